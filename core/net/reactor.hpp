#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/channel.hpp"

namespace fieldlink::net {

// One event-loop thread owning a share of the server's connections (epoll, edge-free: level
// triggered). Channels are served when their socket is ready; a second-by-second tick and
// per-channel wake-up times drive their deadlines. Other threads hand it channels and work
// through queues and an eventfd; nothing a client does can hold the thread.
class Reactor {
 public:
  explicit Reactor(std::string thread_name);
  ~Reactor();  // shuts every channel down and joins the thread
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // --- any thread -------------------------------------------------------------
  void adopt(std::shared_ptr<Channel> channel);
  // Gives the channel a turn soon (serve(false, false)): it has bytes to write.
  void scheduleServe(std::shared_ptr<Channel> channel);
  // Runs `work` on the reactor's thread.
  void post(std::function<void()> work);

  // --- reactor thread ---------------------------------------------------------
  // `replacement` takes the place of `current` on the same socket (a protocol upgrade); the
  // current channel is let go without dropped(), its socket now belongs to the replacement.
  void replace(Channel& current, std::shared_ptr<Channel> replacement);
  // Calls channel.tick() at `when` (at the latest by the next second's tick).
  void wakeAt(Channel& channel, SteadyClock::time_point when);

 private:
  void run();
  void wake();
  void takeQueued(bool signalled);
  void add(std::shared_ptr<Channel> channel);
  void serve(const std::shared_ptr<Channel>& channel, bool readable, bool writable);
  void tickAll(SteadyClock::time_point now);
  void tickDue(SteadyClock::time_point now);
  void refreshInterest(Channel& channel);
  void drop(const std::shared_ptr<Channel>& channel);
  bool owns(const std::shared_ptr<Channel>& channel) const;
  template <class Work>
  void guarded(const std::shared_ptr<Channel>& channel, Work&& work);
  int pollTimeoutMs(SteadyClock::time_point now) const;

  const std::string thread_name_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::unordered_map<int, std::shared_ptr<Channel>> channels_;  // by descriptor
  std::vector<std::pair<SteadyClock::time_point, std::weak_ptr<Channel>>> wake_times_;

  std::mutex queue_mutex_;
  std::vector<std::shared_ptr<Channel>> adopted_;
  std::vector<std::shared_ptr<Channel>> scheduled_;
  std::vector<std::function<void()>> posted_;
  bool woken_ = false;

  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace fieldlink::net

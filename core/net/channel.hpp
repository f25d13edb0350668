#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace fieldlink::net {

class Reactor;
using SteadyClock = std::chrono::steady_clock;

// One non-blocking connection served by a reactor: an HTTP connection, or the WebSocket it
// becomes. The reactor calls these on its own thread only; a channel keeps its own state,
// deadlines and buffers, and tells the reactor through wantsRead/wantsWrite what to wait for.
class Channel {
 public:
  virtual ~Channel() = default;

  virtual int fd() const = 0;
  // The socket is ready (or, with both false, the channel asked for a turn through
  // Reactor::scheduleServe). Returns false once the channel is done and should be dropped.
  virtual bool serve(bool readable, bool writable) = 0;
  // About once a second, and at the time asked with Reactor::wakeAt: deadlines. Returns false
  // once the channel should be dropped.
  virtual bool tick(SteadyClock::time_point now) = 0;
  virtual bool wantsRead() const = 0;
  virtual bool wantsWrite() const = 0;
  // Once, after the reactor let go of it: release the socket and whatever else it holds.
  virtual void dropped() = 0;
  // The server is stopping: a last goodbye written without waiting, then dropped() follows.
  virtual void shutdown() = 0;

  // The reactor serving this channel; null before it was adopted. Any thread.
  Reactor* reactor() const { return reactor_.load(std::memory_order_acquire); }

 private:
  friend class Reactor;
  std::atomic<Reactor*> reactor_{nullptr};
  std::uint32_t registered_events_ = 0;  // what epoll watches for it; reactor thread only
};

}  // namespace fieldlink::net

#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/PollSet.h>

#include "ws/connection.hpp"

namespace fieldlink::ws {

// What the hub does with what a reactor reads. Called on the reactor's thread.
class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  virtual void onText(const std::shared_ptr<Connection>& connection, std::string text) = 0;
  // About once a second per connection: timers (typing expiry).
  virtual void onTick(const std::shared_ptr<Connection>& connection,
                      SteadyClock::time_point now) = 0;
  // Once, when the connection is gone.
  virtual void onClosed(const std::shared_ptr<Connection>& connection) = 0;
};

// One event loop thread owning a share of the connections: epoll through Poco's PollSet,
// non-blocking reads and writes, keep-alive pings and idle timeouts. Other threads hand it
// new connections and ask it to flush; a datagram socket connected to itself wakes it.
class Reactor {
 public:
  Reactor(ConnectionHandler& handler, const WsSettings& settings);
  ~Reactor();  // closes its connections and joins the thread
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Any thread.
  void adopt(std::shared_ptr<Connection> connection, std::string pending_bytes);
  void scheduleFlush(std::shared_ptr<Connection> connection);
  std::size_t connectionCount() const { return count_.load(); }

 private:
  void run();
  void wake();
  void takeQueued();
  void serve(const std::shared_ptr<Connection>& connection, int mode);
  void flush(const std::shared_ptr<Connection>& connection);
  void drop(const std::shared_ptr<Connection>& connection);
  template <class Work>
  void guarded(const std::shared_ptr<Connection>& connection, Work&& work);
  void housekeeping(SteadyClock::time_point now);

  ConnectionHandler& handler_;
  const WsSettings& settings_;
  Poco::Net::PollSet poll_set_;
  Poco::Net::DatagramSocket wake_socket_;
  std::unordered_map<const void*, std::shared_ptr<Connection>> connections_;  // by SocketImpl*
  std::atomic<std::size_t> count_{0};

  std::mutex queue_mutex_;
  std::vector<std::pair<std::shared_ptr<Connection>, std::string>> adopted_;
  std::vector<std::shared_ptr<Connection>> dirty_;
  bool woken_ = false;

  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace fieldlink::ws

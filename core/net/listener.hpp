#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

namespace fieldlink::net {

// Accepts connections on one thread and hands each, non-blocking, to `accepted` with the
// peer's address. It never reads from them: a client that connects and says nothing costs
// this thread nothing.
class Listener {
 public:
  using Accepted = std::function<void(int fd, const Poco::Net::SocketAddress& peer)>;

  // Binds (without SO_REUSEPORT, so that a second server on a taken port fails instead of
  // silently splitting the traffic) and listens with `backlog`. Throws on failure.
  Listener(const Poco::Net::SocketAddress& address, int backlog);
  ~Listener();  // stops accepting
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  Poco::Net::SocketAddress address() const { return socket_.address(); }
  void start(Accepted accepted);

 private:
  void run();

  Poco::Net::ServerSocket socket_;
  Accepted accepted_;
  int stop_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace fieldlink::net

#include "net/listener.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include <Poco/Logger.h>

namespace fieldlink::net {

Listener::Listener(const Poco::Net::SocketAddress& address, int backlog) {
  socket_.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
  socket_.listen(backlog);
  socket_.setBlocking(false);
  stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

Listener::~Listener() {
  stopping_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(stop_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  ::close(stop_fd_);
}

void Listener::start(Accepted accepted) {
  accepted_ = std::move(accepted);
  thread_ = std::thread([this] { run(); });
}

void Listener::run() {
  pthread_setname_np(pthread_self(), "fl-accept");
  const int listen_fd = socket_.impl()->sockfd();
  pollfd watched[2] = {{listen_fd, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  while (!stopping_) {
    if (::poll(watched, 2, -1) < 0 && errno != EINTR) break;
    if (stopping_) break;
    // Take everything the kernel queued: a reconnect storm arrives all at once.
    for (;;) {
      sockaddr_storage peer{};
      socklen_t length = sizeof peer;
      const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &length,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: the kernel keeps the rest queued; try again shortly.
          Poco::Logger::get("fieldlink.net").warning("accept: out of descriptors");
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        break;
      }
      const int on = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      try {
        accepted_(fd, Poco::Net::SocketAddress(reinterpret_cast<sockaddr*>(&peer), length));
      } catch (const std::exception& e) {
        Poco::Logger::get("fieldlink.net").error("accept: %s", std::string(e.what()));
      }
    }
  }
}

}  // namespace fieldlink::net

#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <openssl/ssl.h>

#include "http/http_connection.hpp"
#include "http/request_dispatcher.hpp"
#include "net/connection_limits.hpp"
#include "net/listener.hpp"
#include "net/reactor.hpp"
#include "util/network_list.hpp"
#include "util/work_queue.hpp"

namespace fieldlink {

struct FrontDoorSettings {
  Poco::Net::SocketAddress address;
  int backlog = 4096;
  int reactor_threads = 2;
  int handler_threads = 8;
  int upload_threads = 2;  // answer the upload paths (HttpContext::uploads)
  std::size_t max_connections = 50000;
  std::size_t max_connections_per_address = 1024;
  RequestLimits limits;
  HttpTimeouts timeouts;
};

// Where every client comes in: one accepting thread, the reactors that own every connection
// (HTTP, and the WebSockets they become), and the handler threads that run complete requests
// (uploads on threads of their own, since checking a file may take seconds of decoding).
// No thread waits on a client: a connection that is idle or slow costs memory within the
// configured limits, never a thread.
class FrontDoor {
 public:
  // `tls` (may be null) is the server's TLS context; `trusted_proxies` are exempt from the
  // per-address limit. Listens at once (clients queue in the backlog); serves after start().
  FrontDoor(const FrontDoorSettings& settings, const RequestDispatcher& dispatcher, SSL_CTX* tls,
            const NetworkList& trusted_proxies, metrics::Counter* deadline_closes);
  ~FrontDoor();  // stops accepting, finishes handling, then closes every connection

  Poco::Net::SocketAddress address() const { return listener_->address(); }
  void start();
  std::size_t openConnections() const { return limits_.open(); }

 private:
  void accepted(int fd, const Poco::Net::SocketAddress& peer);

  const FrontDoorSettings settings_;
  SSL_CTX* tls_;
  const NetworkList& trusted_proxies_;
  HttpContext context_;
  net::ConnectionLimits limits_;
  std::atomic<std::uint64_t> next_id_{1};
  // In this order, so that they stop in reverse: no new connection, then no more handling
  // (answers already made are handed to their reactors), then the reactors close the rest.
  std::vector<std::unique_ptr<net::Reactor>> reactors_;
  std::unique_ptr<WorkQueue> handlers_;
  std::unique_ptr<WorkQueue> uploads_;
  std::unique_ptr<net::Listener> listener_;
};

}  // namespace fieldlink

#include "http/front_door.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Logger.h>

#include "net/transport.hpp"

namespace fieldlink {
namespace {

const std::string& busyAnswer() {
  static const std::string answer =
      refusalAnswer(503, "too_many_connections", "Too many connections from this address.");
  return answer;
}

}  // namespace

FrontDoor::FrontDoor(const FrontDoorSettings& settings, const RequestDispatcher& dispatcher,
                     SSL_CTX* tls, const NetworkList& trusted_proxies,
                     metrics::Counter* deadline_closes)
    : settings_(settings),
      tls_(tls),
      trusted_proxies_(trusted_proxies),
      limits_(settings.max_connections, settings.max_connections_per_address) {
  context_.limits = settings_.limits;
  context_.timeouts = settings_.timeouts;
  context_.dispatcher = &dispatcher;
  context_.deadline_closes = deadline_closes;
  context_.secure = tls != nullptr;
  for (int i = 0; i < settings_.reactor_threads; ++i)
    reactors_.push_back(std::make_unique<net::Reactor>("fl-reactor-" + std::to_string(i)));
  handlers_ = std::make_unique<WorkQueue>(settings_.handler_threads, "fl-http");
  context_.handlers = handlers_.get();
  uploads_ = std::make_unique<WorkQueue>(settings_.upload_threads, "fl-upload");
  context_.uploads = uploads_.get();
  listener_ = std::make_unique<net::Listener>(settings_.address, settings_.backlog);
  context_.server_address = listener_->address();
}

void FrontDoor::start() {
  listener_->start([this](int fd, const Poco::Net::SocketAddress& peer) { accepted(fd, peer); });
}

FrontDoor::~FrontDoor() {
  listener_.reset();
  uploads_.reset();
  handlers_.reset();
  reactors_.clear();
}

void FrontDoor::accepted(int fd, const Poco::Net::SocketAddress& peer) {
  const bool exempt = trusted_proxies_.contains(peer.host());
  auto lease = limits_.acquire(peer.host().toString(), exempt);
  if (!lease) {
    // Best effort, never waiting: the answer fits in an empty socket buffer. What the client
    // sent already is read and dropped first, or closing would reset the connection and the
    // answer with it.
    char sink[4096];
    while (::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0) {
    }
    if (!tls_) ::send(fd, busyAnswer().data(), busyAnswer().size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
    while (::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0) {
    }
    ::close(fd);
    // At debug level: a client hammering the limit would otherwise fill the log.
    Poco::Logger::get("fieldlink.net")
        .debug("refused a connection from %s: too many", peer.host().toString());
    return;
  }
  auto transport = net::makeTransport(fd, tls_, std::move(lease));
  const std::uint64_t id = next_id_++;
  auto connection = std::make_shared<HttpConnection>(id, std::move(transport), peer, context_);
  reactors_[id % reactors_.size()]->adopt(std::move(connection));
}

}  // namespace fieldlink

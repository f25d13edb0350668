#include "http/deadline_connection.hpp"

#include <Poco/Net/HTTPServerConnection.h>

namespace fieldlink {
namespace {

class DeadlineConnection final : public Poco::Net::HTTPServerConnection {
 public:
  DeadlineConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                     Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                     RequestDeadlines& deadlines)
      : HTTPServerConnection(socket, std::move(params), std::move(handlers)),
        deadlines_(deadlines) {}

  void run() override {
    std::string peer;
    try {
      peer = socket().peerAddress().host().toString();
    } catch (const Poco::Exception&) {
      peer = "a client that is gone";
    }
    RequestDeadlines::Watch watch(deadlines_, socket().impl()->sockfd(), peer);
    HTTPServerConnection::run();
  }

 private:
  RequestDeadlines& deadlines_;
};

}  // namespace

Poco::Net::TCPServerConnection* DeadlineConnectionFactory::createConnection(
    const Poco::Net::StreamSocket& socket) {
  return new DeadlineConnection(socket, params_, handlers_, deadlines_);
}

}  // namespace fieldlink

#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include "http/request_deadlines.hpp"

namespace fieldlink {

// Poco's HTTP connections, each under a RequestDeadlines::Watch. Given to a Poco TCPServer in
// place of HTTPServer, whose own connection factory cannot be replaced.
class DeadlineConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  DeadlineConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                            Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                            RequestDeadlines& deadlines)
      : params_(std::move(params)), handlers_(std::move(handlers)), deadlines_(deadlines) {}

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  RequestDeadlines& deadlines_;
};

}  // namespace fieldlink

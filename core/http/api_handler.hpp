#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "http/router.hpp"
#include "http/services.hpp"

namespace fieldlink {

// Runs one HTTP request through the router: authentication for routes that need it, the
// handler, and errorResponse() for anything thrown. Always answers with JSON.
class ApiHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  ApiHandler(const Router& router, Services& services) : router_(router), services_(services) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  const Router& router_;
  Services& services_;
};

class ApiHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  ApiHandlerFactory(const Router& router, Services& services)
      : router_(router), services_(services) {}
  // /ws/ paths go to the WebSocket handshake, everything else to the REST router.
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;
  // At shutdown: connections finish the request they serve and take no other (what Poco's
  // HTTPServer::stopAll does; fieldlinkd runs Poco's TCPServer with its own connections).
  void stopServing();

 private:
  const Router& router_;
  Services& services_;
};

}  // namespace fieldlink

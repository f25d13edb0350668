#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "domain/accounts.hpp"
#include "store/store.hpp"
#include "ws/hub.hpp"

namespace fieldlink::ws {

// Answers GET /ws/ and /ws/chat/{id}/ upgrade requests (RFC 6455 handshake), then hands the
// socket to the hub and returns, freeing the HTTP thread. Poco 1.11's own WebSocket class
// reads frames with blocking calls, so only the handshake is done here. An upgrade request
// that is not valid HTTP-wise gets an HTTP error; a valid one with a bad token or for a
// conversation the user is not in is upgraded and then closed with 4401 or 4403, as the
// service fieldlink replaces did.
class UpgradeHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  UpgradeHandler(Hub& hub, Accounts& accounts, Store& store)
      : hub_(hub), accounts_(accounts), store_(store) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  // The handshake; returns the HTTP status answered and sets `user_id` once authenticated.
  int upgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              std::optional<std::int64_t>& user_id);
  Hub& hub_;
  Accounts& accounts_;
  Store& store_;
};

bool isWebSocketPath(const std::string& path);

}  // namespace fieldlink::ws

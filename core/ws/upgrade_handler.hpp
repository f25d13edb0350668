#pragma once

#include <memory>
#include <optional>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "domain/accounts.hpp"
#include "store/store.hpp"
#include "ws/hub.hpp"

namespace fieldlink::ws {

// Decides GET /ws/ and /ws/chat/{id}/ upgrade requests (RFC 6455 handshake) on a handler
// thread: the answer goes into `response`, and the connection that will serve the socket
// once the answer is written is returned. An upgrade request that is not valid HTTP-wise gets
// an HTTP error (and null); a valid one with a bad token or for a conversation the user is not
// in is upgraded and then closed with 4401 or 4403, as the service fieldlink replaces did.
class UpgradeHandler {
 public:
  UpgradeHandler(Hub& hub, Accounts& accounts, Store& store)
      : hub_(hub), accounts_(accounts), store_(store) {}
  std::shared_ptr<Connection> handle(Poco::Net::HTTPServerRequest& request,
                                     Poco::Net::HTTPServerResponse& response);

 private:
  // The handshake; returns the HTTP status answered and sets `user_id` once authenticated.
  int upgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              std::optional<std::int64_t>& user_id, std::shared_ptr<Connection>& connection);
  Hub& hub_;
  Accounts& accounts_;
  Store& store_;
};

bool isWebSocketPath(const std::string& path);

}  // namespace fieldlink::ws

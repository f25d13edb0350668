#pragma once

#include <memory>
#include <optional>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "auth/abuse_limits.hpp"
#include "domain/accounts.hpp"
#include "store/store.hpp"
#include "ws/hub.hpp"
#include "ws/public_tracking_feed.hpp"

namespace fieldlink::ws {

// Decides GET /ws/, /ws/chat/{id}/ and /ws/public/tracking/{token}/ upgrade requests (RFC
// 6455 handshake) on a handler thread: the answer goes into `response`, and the connection
// that will serve the socket once the answer is written is returned. An upgrade request that
// is not valid HTTP-wise gets an HTTP error (and null); a valid one with a bad token or for a
// conversation the user is not in is upgraded and then closed with 4401 or 4403, as the
// service fieldlink replaces did; a tracking link that does not open, with 4404.
class UpgradeHandler {
 public:
  // The public tracking feed, and what counts its looks per client address (null: the
  // feed's path answers 404).
  struct PublicTracking {
    PublicTrackingFeed* feed = nullptr;
    AbuseLimits* abuse = nullptr;
    std::string client_address;
  };
  UpgradeHandler(Hub& hub, Accounts& accounts, Store& store, PublicTracking public_tracking)
      : hub_(hub), accounts_(accounts), store_(store), public_(std::move(public_tracking)) {}
  std::shared_ptr<Connection> handle(Poco::Net::HTTPServerRequest& request,
                                     Poco::Net::HTTPServerResponse& response);

  struct TokenChoice {
    std::string token;
    std::string protocol;  // the subprotocol to echo, if the token came that way
  };

 private:
  // The handshake; returns the HTTP status answered and sets `user_id` once authenticated.
  int upgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              std::optional<std::int64_t>& user_id, std::shared_ptr<Connection>& connection);
  // A user's connection, or one that closes with why not (4401, 4403, 4429).
  std::shared_ptr<Connection> admitUser(const TokenChoice& token,
                                        std::optional<ConversationId> scope,
                                        std::optional<std::int64_t>& user_id);
  // A watcher of a tracking link, or a connection that closes with why not (4404, 4429).
  std::shared_ptr<Connection> publicWatcher(const std::string& token);
  Hub& hub_;
  Accounts& accounts_;
  Store& store_;
  PublicTracking public_;
};

bool isWebSocketPath(const std::string& path);

}  // namespace fieldlink::ws

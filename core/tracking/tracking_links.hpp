#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

#include "domain/model.hpp"
#include "domain/service_requests.hpp"
#include "store/store.hpp"
#include "tracking/tracker.hpp"

namespace fieldlink {

struct TrackingLinkSettings {
  std::chrono::seconds ttl{24 * 3600};  // tracking.link_ttl
  std::string public_url;               // server.public_url: where links point ("" : relative)
  bool on_en_route = true;              // tracking.link_on_en_route: one for the client then
};

// Links that show a request's tracking to someone without an account (the customer's
// neighbour, an SMS): the request's client or a dispatcher makes one; it shows what
// Tracker::publicView shows until it expires, is revoked, or the request ends.
class TrackingLinks {
 public:
  TrackingLinks(Store& store, ServiceRequests& requests, Tracker& tracker,
                TrackingLinkSettings settings)
      : store_(store), requests_(requests), tracker_(tracker), settings_(std::move(settings)) {}

  struct Created {
    std::string token;  // 128 random bits; given once, only its hash is kept
    std::string url;
    TimePoint expires_at;
  };
  // NotFound unless the caller sees the request; Forbidden for its technician;
  // Conflict(tracking_stopped) once it is completed or cancelled.
  Created create(const User& caller, RequestId id);
  // A link for the request's client, made by the server in `session` (the client's
  // notification that the technician is on the way carries it).
  Created issue(StoreSession& session, const ServiceRequest& request);
  bool issuedOnEnRoute() const { return settings_.on_en_route; }
  // Revokes every link of the request (an ended one's too): NotFound unless the caller sees
  // it, Forbidden for its technician. Then tells the revocation listener.
  void revoke(const User& caller, RequestId id);
  // Called after links were revoked on this node (live watchers are told at once; other
  // nodes' watchers find out when they next check). Set before serving.
  void setRevocationListener(std::function<void(RequestId)> listener) {
    revoked_ = std::move(listener);
  }

  struct Opened {
    RequestId request_id{0};
    std::optional<ConversationId> conversation_id;
    TimePoint expires_at;
    Poco::JSON::Object::Ptr view;  // what Tracker::publicView shows
  };
  // The public view a token opens, with what a live watcher needs to know of the link.
  // NotFound, the same for every reason: unknown, expired, revoked, or the request ended.
  Opened openLink(const std::string& token);
  Poco::JSON::Object::Ptr open(const std::string& token) { return openLink(token).view; }

 private:
  // The request, if the caller may share it: NotFound unless they see it, Forbidden for its
  // technician (where they are is theirs to keep, not to hand out).
  ServiceRequest requireSharer(const User& caller, RequestId id);
  Created insert(StoreSession& session, RequestId request, UserId by);

  Store& store_;
  ServiceRequests& requests_;
  Tracker& tracker_;
  const TrackingLinkSettings settings_;
  std::function<void(RequestId)> revoked_;
};

}  // namespace fieldlink

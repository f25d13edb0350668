#pragma once

#include <chrono>
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
  // Revokes every link of the request (an ended one's too): NotFound unless the caller sees
  // it, Forbidden for its technician.
  void revoke(const User& caller, RequestId id);
  // The public view a token opens. NotFound, the same for every reason: unknown, expired,
  // revoked, or the request ended.
  Poco::JSON::Object::Ptr open(const std::string& token);

 private:
  // The request, if the caller may share it: NotFound unless they see it, Forbidden for its
  // technician (where they are is theirs to keep, not to hand out).
  ServiceRequest requireSharer(const User& caller, RequestId id);

  Store& store_;
  ServiceRequests& requests_;
  Tracker& tracker_;
  const TrackingLinkSettings settings_;
};

}  // namespace fieldlink

#include "domain/errors.hpp"
#include "http/client_address.hpp"
#include "http/endpoints/endpoints.hpp"
#include "tracking/position_input.hpp"
#include "tracking/tracking_links.hpp"

namespace fieldlink::endpoints {

ApiResponse postPosition(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  s.tracker.post(r.caller(), RequestId(r.pathId("id")), tracking::readTrackPoint(*body, nowMs()));
  return ApiResponse::json(202, Poco::JSON::Object::Ptr(new Poco::JSON::Object));
}

ApiResponse getTracking(Services& s, ApiRequest& r) {
  return ApiResponse::json(200, s.tracker.view(r.caller(), RequestId(r.pathId("id"))));
}

ApiResponse createTrackingLink(Services& s, ApiRequest& r) {
  const auto link = s.tracking_links->create(r.caller(), RequestId(r.pathId("id")));
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("token", link.token);
  out->set("url", link.url);
  out->set("expires_at", formatRfc3339(link.expires_at));
  return ApiResponse::json(201, out);
}

ApiResponse revokeTrackingLinks(Services& s, ApiRequest& r) {
  s.tracking_links->revoke(r.caller(), RequestId(r.pathId("id")));
  return ApiResponse::noContent();
}

// No account: the token is the key, so every look counts against the client's address.
ApiResponse publicTracking(Services& s, ApiRequest& r) {
  s.abuse.publicTracking(clientAddressOf(r.http(), s.trusted_proxies).toString());
  return ApiResponse::json(200, s.tracking_links->open(r.pathText("token")));
}

}  // namespace fieldlink::endpoints

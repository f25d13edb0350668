#include "domain/errors.hpp"
#include "http/endpoints/endpoints.hpp"
#include "tracking/position_input.hpp"

namespace fieldlink::endpoints {

ApiResponse postPosition(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  s.tracker.post(r.caller(), RequestId(r.pathId("id")), tracking::readTrackPoint(*body, nowMs()));
  return ApiResponse::json(202, Poco::JSON::Object::Ptr(new Poco::JSON::Object));
}

ApiResponse getTracking(Services& s, ApiRequest& r) {
  return ApiResponse::json(200, s.tracker.view(r.caller(), RequestId(r.pathId("id"))));
}

}  // namespace fieldlink::endpoints

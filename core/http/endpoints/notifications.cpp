#include <Poco/JSON/Array.h>

#include "domain/views.hpp"
#include "http/endpoints/endpoints.hpp"

namespace fieldlink::endpoints {

ApiResponse listNotifications(Services& s, ApiRequest& r) {
  const bool unread_only = r.queryInt("unread", 0, 1).value_or(0) == 1;
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& n : s.notifications.list(r.caller(), unread_only))
    out->add(views::notification(n));
  return ApiResponse::json(200, out);
}

ApiResponse readNotification(Services& s, ApiRequest& r) {
  s.notifications.markRead(r.caller(), r.pathId("id"));
  return ApiResponse::noContent();
}

}  // namespace fieldlink::endpoints

#include "http/routes.hpp"

#include "http/endpoints/endpoints.hpp"

namespace fieldlink {

const std::vector<RouteEntry>& routeTable() {
  using A = Access;
  namespace e = endpoints;
  static const std::vector<RouteEntry> table{
      // The web page (docs/web.md).
      {"GET", "/", A::Public, e::webPage},
      {"GET", "/communication/{id}", A::Public, e::webPage},
      {"GET", "/communication/{id}/", A::Public, e::webPage},
      {"GET", "/t/{token}", A::Public, e::webPage},  // a tracking link, no account
      {"GET", "/t/{token}/", A::Public, e::webPage},
      {"GET", "/static/{name}", A::Public, e::webFile},
      // Public: the tracking link's page needs the map's tiles too.
      {"GET", "/api/web/settings/", A::Public, e::webSettings},
      // Probes and monitoring.
      {"GET", "/healthz", A::Public, e::health},
      {"GET", "/readyz", A::Public, e::ready},
      {"GET", "/metrics", A::Public, e::metricsText},
      // Accounts and tokens.
      {"POST", "/api/auth/register/", A::Public, e::registerAccount},
      {"POST", "/api/token/", A::Public, e::obtainToken},
      {"POST", "/api/token/refresh/", A::Public, e::refreshToken},
      {"POST", "/api/auth/logout/", A::Authenticated, e::logout},
      {"POST", "/api/users/", A::Authenticated, e::createUser},
      {"GET", "/api/users/", A::Authenticated, e::listUsers},
      {"GET", "/api/users/me/", A::Authenticated, e::me},
      // Service requests.
      {"POST", "/api/requests/", A::Authenticated, e::createRequest},
      {"GET", "/api/requests/", A::Authenticated, e::listRequests},
      {"GET", "/api/requests/{id}/", A::Authenticated, e::getRequest},
      {"POST", "/api/requests/{id}/assign/", A::Authenticated, e::assignRequest},
      {"POST", "/api/requests/{id}/status/", A::Authenticated, e::changeRequestStatus},
      {"POST", "/api/requests/{id}/tracking_link/", A::Authenticated, e::createTrackingLink},
      {"DELETE", "/api/requests/{id}/tracking_link/", A::Authenticated, e::revokeTrackingLinks},
      // Chat.
      {"GET", "/api/chat/conversations/", A::Authenticated, e::listConversations},
      {"GET", "/api/chat/conversations/{id}/", A::Authenticated, e::getConversation},
      {"POST", "/api/chat/messages/", A::Authenticated, e::sendMessage},
      {"GET", "/api/chat/messages/conversation_messages/", A::Authenticated,
       e::conversationMessages},
      {"POST", "/api/chat/messages/mark_read/", A::Authenticated, e::markRead},
      {"POST", uploadPaths()[0], A::Authenticated, e::sendVoice},
      {"POST", "/api/chat/messages/send_location/", A::Authenticated, e::sendLocation},
      {"GET", "/api/chat/stats/", A::Authenticated, e::requestStats},
      {"GET", "/api/chat/dashboard/", A::Authenticated, e::dashboard},
      {"POST", uploadPaths()[1], A::Authenticated, e::uploadAttachment},
      {"GET", "/api/chat/attachments/{id}/", A::Authenticated, e::downloadAttachment},
      {"GET", "/api/chat/calls/ice_servers/", A::Authenticated, e::iceServers},
      // Tracking, notifications, plugins.
      {"POST", "/api/tracking/{id}/position/", A::Authenticated, e::postPosition},
      {"GET", "/api/tracking/{id}/", A::Authenticated, e::getTracking},
      {"GET", "/api/public/tracking/{token}/", A::Public, e::publicTracking},
      {"GET", "/api/notifications/", A::Authenticated, e::listNotifications},
      {"POST", "/api/notifications/{id}/read/", A::Authenticated, e::readNotification},
      {"GET", "/api/plugins/", A::Authenticated, e::listPlugins},
      {"POST", "/api/plugins/{name}/enable/", A::Authenticated, e::enablePlugin},
      {"POST", "/api/plugins/{name}/disable/", A::Authenticated, e::disablePlugin},
  };
  return table;
}

Router makeRoutes(Services& services) {
  Router router;
  for (const RouteEntry& entry : routeTable())
    router.add(
        entry.method, entry.path, entry.access,
        [&services, endpoint = entry.endpoint](ApiRequest& r) { return endpoint(services, r); });
  router.setFallback(Access::Public,
                     [&services](ApiRequest& r) { return endpoints::unknownPage(services, r); });
  return router;
}

const std::vector<std::string>& uploadPaths() {
  static const std::vector<std::string> paths{"/api/chat/messages/send_voice/",
                                              "/api/chat/attachments/"};
  return paths;
}

}  // namespace fieldlink

#include "http/routes.hpp"

#include "http/endpoints/endpoints.hpp"

namespace fieldlink {

Router makeRoutes(Services& services) {
  Router router;
  auto add = [&](const char* method, const char* path, Access access,
                 ApiResponse (*endpoint)(Services&, ApiRequest&)) {
    router.add(method, path, access,
               [&services, endpoint](ApiRequest& r) { return endpoint(services, r); });
  };
  using A = Access;
  namespace e = endpoints;

  add("GET", "/", A::Public, e::webPage);
  add("GET", "/communication/{id}", A::Public, e::webPage);
  add("GET", "/communication/{id}/", A::Public, e::webPage);
  add("GET", "/static/{name}", A::Public, e::webFile);
  router.setFallback(A::Public,
                     [&services](ApiRequest& r) { return endpoints::unknownPage(services, r); });
  add("GET", "/api/web/settings/", A::Authenticated, e::webSettings);

  add("GET", "/healthz", A::Public, e::health);
  add("GET", "/readyz", A::Public, e::ready);
  add("GET", "/metrics", A::Public, e::metricsText);  // address or token checked inside

  add("POST", "/api/auth/register/", A::Public, e::registerAccount);
  add("POST", "/api/token/", A::Public, e::obtainToken);
  add("POST", "/api/token/refresh/", A::Public, e::refreshToken);
  add("POST", "/api/users/", A::Authenticated, e::createUser);
  add("GET", "/api/users/me/", A::Authenticated, e::me);

  add("POST", "/api/requests/", A::Authenticated, e::createRequest);
  add("GET", "/api/requests/", A::Authenticated, e::listRequests);
  add("GET", "/api/requests/{id}/", A::Authenticated, e::getRequest);
  add("POST", "/api/requests/{id}/assign/", A::Authenticated, e::assignRequest);
  add("POST", "/api/requests/{id}/status/", A::Authenticated, e::changeRequestStatus);

  add("GET", "/api/chat/conversations/", A::Authenticated, e::listConversations);
  add("GET", "/api/chat/conversations/{id}/", A::Authenticated, e::getConversation);
  add("POST", "/api/chat/messages/", A::Authenticated, e::sendMessage);
  add("GET", "/api/chat/messages/conversation_messages/", A::Authenticated,
      e::conversationMessages);
  add("POST", "/api/chat/messages/mark_read/", A::Authenticated, e::markRead);
  add("POST", uploadPaths()[0].c_str(), A::Authenticated, e::sendVoice);
  add("POST", "/api/chat/messages/send_location/", A::Authenticated, e::sendLocation);
  add("GET", "/api/chat/stats/", A::Authenticated, e::requestStats);
  add("GET", "/api/chat/dashboard/", A::Authenticated, e::dashboard);
  add("POST", uploadPaths()[1].c_str(), A::Authenticated, e::uploadAttachment);
  add("GET", "/api/chat/attachments/{id}/", A::Authenticated, e::downloadAttachment);
  add("GET", "/api/chat/calls/ice_servers/", A::Authenticated, e::iceServers);

  add("POST", "/api/tracking/{id}/position/", A::Authenticated, e::postPosition);
  add("GET", "/api/tracking/{id}/", A::Authenticated, e::getTracking);
  add("GET", "/api/notifications/", A::Authenticated, e::listNotifications);
  add("POST", "/api/notifications/{id}/read/", A::Authenticated, e::readNotification);
  add("GET", "/api/plugins/", A::Authenticated, e::listPlugins);
  add("POST", "/api/plugins/{name}/enable/", A::Authenticated, e::enablePlugin);
  add("POST", "/api/plugins/{name}/disable/", A::Authenticated, e::disablePlugin);
  return router;
}

const std::vector<std::string>& uploadPaths() {
  static const std::vector<std::string> paths{"/api/chat/messages/send_voice/",
                                              "/api/chat/attachments/"};
  return paths;
}

}  // namespace fieldlink

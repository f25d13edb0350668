#pragma once

#include "http/api_request.hpp"
#include "http/services.hpp"

// The REST endpoints, one function each; http/routes.cpp maps paths to them.
namespace fieldlink::endpoints {

ApiResponse registerAccount(Services& s, ApiRequest& r);
ApiResponse createUser(Services& s, ApiRequest& r);
ApiResponse listUsers(Services& s, ApiRequest& r);
ApiResponse me(Services& s, ApiRequest& r);
ApiResponse obtainToken(Services& s, ApiRequest& r);
ApiResponse refreshToken(Services& s, ApiRequest& r);
ApiResponse logout(Services& s, ApiRequest& r);

ApiResponse createRequest(Services& s, ApiRequest& r);
ApiResponse listRequests(Services& s, ApiRequest& r);
ApiResponse getRequest(Services& s, ApiRequest& r);
ApiResponse assignRequest(Services& s, ApiRequest& r);
ApiResponse changeRequestStatus(Services& s, ApiRequest& r);

ApiResponse listConversations(Services& s, ApiRequest& r);
ApiResponse getConversation(Services& s, ApiRequest& r);
ApiResponse sendMessage(Services& s, ApiRequest& r);
ApiResponse conversationMessages(Services& s, ApiRequest& r);
ApiResponse markRead(Services& s, ApiRequest& r);
ApiResponse uploadAttachment(Services& s, ApiRequest& r);
ApiResponse downloadAttachment(Services& s, ApiRequest& r);
ApiResponse sendVoice(Services& s, ApiRequest& r);
ApiResponse sendLocation(Services& s, ApiRequest& r);
ApiResponse postPosition(Services& s, ApiRequest& r);
ApiResponse requestStats(Services& s, ApiRequest& r);
ApiResponse dashboard(Services& s, ApiRequest& r);
ApiResponse metricsText(Services& s, ApiRequest& r);
ApiResponse ready(Services& s, ApiRequest& r);
ApiResponse getTracking(Services& s, ApiRequest& r);
ApiResponse createTrackingLink(Services& s, ApiRequest& r);
ApiResponse revokeTrackingLinks(Services& s, ApiRequest& r);
ApiResponse publicTracking(Services& s, ApiRequest& r);
ApiResponse listNotifications(Services& s, ApiRequest& r);
ApiResponse readNotification(Services& s, ApiRequest& r);

ApiResponse listPlugins(Services& s, ApiRequest& r);
ApiResponse enablePlugin(Services& s, ApiRequest& r);
ApiResponse disablePlugin(Services& s, ApiRequest& r);
ApiResponse health(Services& s, ApiRequest& r);

// The browser client (web.dir): the page, and /static/{name} files.
ApiResponse webPage(Services& s, ApiRequest& r);
ApiResponse webFile(Services& s, ApiRequest& r);
ApiResponse unknownPage(Services& s, ApiRequest& r);  // the router's fallback for GET
ApiResponse webSettings(Services& s, ApiRequest& r);
ApiResponse iceServers(Services& s, ApiRequest& r);

}  // namespace fieldlink::endpoints

// Video calls over REST: only the ICE servers. The signalling is the video plugin's, on the
// WebSocket.
#include "calls/ice_servers.hpp"
#include "domain/errors.hpp"
#include "http/endpoints/endpoints.hpp"

namespace fieldlink::endpoints {

ApiResponse iceServers(Services& s, ApiRequest& r) {
  // TURN relays traffic for whoever holds a credential: only people with someone to call get
  // one. Anyone else is an outsider, refused as outsiders are everywhere (404).
  const UserId caller = r.caller().id;
  if (!s.store.read([&](StoreSession& session) { return session.takesPartInAny(caller); }))
    throw NotFound("Not found.");
  const IceServers none;
  const IceServers& servers = s.ice_servers ? *s.ice_servers : none;
  ApiResponse response = ApiResponse::json(
      200, servers.forUser(r.caller().id.value, std::chrono::system_clock::now()));
  // The TURN credential is the caller's own.
  response.headers["Cache-Control"] = "no-store";
  return response;
}

}  // namespace fieldlink::endpoints

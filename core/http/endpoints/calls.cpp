// Video calls over REST: only the ICE servers. The signalling is the video plugin's, on the
// WebSocket.
#include "calls/ice_servers.hpp"
#include "http/endpoints/endpoints.hpp"

namespace fieldlink::endpoints {

ApiResponse iceServers(Services& s, ApiRequest& r) {
  const IceServers none;
  const IceServers& servers = s.ice_servers ? *s.ice_servers : none;
  ApiResponse response = ApiResponse::json(
      200, servers.forUser(r.caller().id.value, std::chrono::system_clock::now()));
  // The TURN credential is the caller's own.
  response.headers["Cache-Control"] = "no-store";
  return response;
}

}  // namespace fieldlink::endpoints

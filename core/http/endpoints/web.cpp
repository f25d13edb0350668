// The browser client: its page for every client-side route, and its files.
#include "domain/errors.hpp"
#include "http/endpoints/endpoints.hpp"
#include "web/map_tiles.hpp"
#include "web/web_assets.hpp"

namespace fieldlink::endpoints {
namespace {

// The page may run its own script and style and talk to its own origin (REST and the
// WebSocket); photos and voice notes it shows come from the API or from blob: URLs it made,
// and map tiles from the one origin the operator configured.
std::string pagePolicy(const MapTiles* tiles) {
  const std::string tile_origin =
      tiles && tiles->configured() ? " " + tiles->origin() : std::string();
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:" +
         tile_origin +
         "; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
         "form-action 'self'; frame-ancestors 'none'";
}

// `status` other than 200: the page answers an error (no revalidation then).
ApiResponse serve(Services& s, ApiRequest& r, const std::string& name, int status = 200) {
  const WebAssets::Asset* asset = s.web ? s.web->find(name) : nullptr;
  if (!asset) throw NotFound("Not found.");
  ApiResponse response;
  // Revalidated on every use (cheap: 304), so a new release shows on the next load.
  response.headers["Cache-Control"] = "no-cache";
  response.headers["ETag"] = asset->etag;
  if (name.size() > 5 && name.compare(name.size() - 5, 5, ".html") == 0)
    response.headers["Content-Security-Policy"] = pagePolicy(s.map_tiles);
  if (name == "sw.js") {
    // The service worker keeps the whole site for offline use, so its scope is "/"; and it
    // fetches from the origin, which the API's sandboxing policy (an opaque origin allowed
    // nothing) would forbid.
    response.headers["Service-Worker-Allowed"] = "/";
    response.headers["Content-Security-Policy"] = "default-src 'self'";
  }
  if (status == 200 && r.http().get("If-None-Match", "") == asset->etag) {
    response.status = 304;
    return response;
  }
  response.status = status;
  response.headers["Content-Type"] = asset->content_type;
  response.text = asset->body;
  return response;
}

}  // namespace

ApiResponse webPage(Services& s, ApiRequest& r) { return serve(s, r, "index.html"); }

ApiResponse unknownPage(Services& s, ApiRequest& r) {
  // A person who typed or followed a wrong address gets the page, which says so, with a 404;
  // programs (and anything under /api/) get the API's JSON 404.
  const std::string& uri = r.http().getURI();
  const bool for_a_person = r.http().get("Accept", "").find("text/html") != std::string::npos;
  if (!for_a_person || uri.rfind("/api/", 0) == 0 || !s.web) throw NotFound("Not found.");
  return serve(s, r, "index.html", 404);
}

ApiResponse webFile(Services& s, ApiRequest& r) {
  const std::string& name = r.pathText("name");
  // The page is reached through its routes, never as a file.
  if (name == "index.html") throw NotFound("Not found.");
  return serve(s, r, name);
}

ApiResponse webSettings(Services& s, ApiRequest&) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  if (s.map_tiles && s.map_tiles->configured()) {
    Poco::JSON::Object::Ptr map = new Poco::JSON::Object;
    map->set("tiles_url", s.map_tiles->urlTemplate());
    map->set("attribution", s.map_tiles->attribution());
    out->set("map", map);
  } else {
    out->set("map", Poco::Dynamic::Var());
  }
  // So the page refuses a file that is too large before sending it.
  Poco::JSON::Object::Ptr limits = new Poco::JSON::Object;
  for (const char* type : {"file", "voice", "video"}) {
    if (!s.plugins.hasMessageType(type)) continue;
    try {
      limits->set(type, s.attachments.uploadLimit(type));
    } catch (const std::exception&) {
      // A type without uploads, or a plugin failing: the server's answer to the upload says.
    }
  }
  out->set("upload_limits", limits);
  out->set("video_calls", s.plugins.ownsFrame("call.invite"));
  out->set("position_stale_seconds", static_cast<std::int64_t>(s.position_stale_after.count()));
  return ApiResponse::json(200, out);
}

}  // namespace fieldlink::endpoints

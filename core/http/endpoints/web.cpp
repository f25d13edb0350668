// The browser client: its page for every client-side route, and its files.
#include "domain/errors.hpp"
#include "http/endpoints/endpoints.hpp"
#include "web/web_assets.hpp"

namespace fieldlink::endpoints {
namespace {

// The page may run its own script and style and talk to its own origin (REST and the
// WebSocket); photos and voice notes it shows come from the API or from blob: URLs it made.
constexpr const char* kPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

ApiResponse serve(Services& s, ApiRequest& r, const std::string& name) {
  const WebAssets::Asset* asset = s.web ? s.web->find(name) : nullptr;
  if (!asset) throw NotFound("Not found.");
  ApiResponse response;
  // Revalidated on every use (cheap: 304), so a new release shows on the next load.
  response.headers["Cache-Control"] = "no-cache";
  response.headers["ETag"] = asset->etag;
  if (name.size() > 5 && name.compare(name.size() - 5, 5, ".html") == 0)
    response.headers["Content-Security-Policy"] = kPagePolicy;
  if (r.http().get("If-None-Match", "") == asset->etag) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.headers["Content-Type"] = asset->content_type;
  response.text = asset->body;
  return response;
}

}  // namespace

ApiResponse webPage(Services& s, ApiRequest& r) { return serve(s, r, "index.html"); }

ApiResponse webFile(Services& s, ApiRequest& r) {
  const std::string& name = r.pathText("name");
  // The page is reached through its routes, never as a file.
  if (name == "index.html") throw NotFound("Not found.");
  return serve(s, r, name);
}

}  // namespace fieldlink::endpoints

#pragma once

#include <string>
#include <vector>

#include "http/router.hpp"
#include "http/services.hpp"

namespace fieldlink {

// One path of the server: who may call it and what answers.
struct RouteEntry {
  const char* method;
  std::string path;  // "/api/requests/{id}/assign/"
  Access access;
  ApiResponse (*endpoint)(Services&, ApiRequest&);
};

// Every path of the server, in one place. docs/openapi.yaml describes those of the API, and
// a test holds the two together.
const std::vector<RouteEntry>& routeTable();

// The router over routeTable(), with the web page's fallback for unknown addresses.
Router makeRoutes(Services& services);

// The paths that take a multipart upload (POST), whose bodies may be as large as
// attachments.max_bytes; every other body is held to http.max_body_bytes.
const std::vector<std::string>& uploadPaths();

}  // namespace fieldlink

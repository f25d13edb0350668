#pragma once

#include <string>
#include <vector>

#include "http/router.hpp"
#include "http/services.hpp"

namespace fieldlink {

// Every REST path of the server, in one place.
Router makeRoutes(Services& services);

// The paths that take a multipart upload (POST), whose bodies may be as large as
// attachments.max_bytes; every other body is held to http.max_body_bytes.
const std::vector<std::string>& uploadPaths();

}  // namespace fieldlink

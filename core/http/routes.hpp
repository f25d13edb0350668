#pragma once

#include "http/router.hpp"
#include "http/services.hpp"

namespace fieldlink {

// Every REST path of the server, in one place.
Router makeRoutes(Services& services);

}  // namespace fieldlink

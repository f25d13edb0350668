#pragma once

#include "http/router.hpp"
#include "http/served_exchange.hpp"
#include "http/services.hpp"

namespace fieldlink {

// Runs one HTTP request through the router: authentication for routes that need it, the
// handler, and errorResponse() for anything thrown. Always answers with JSON. Runs on a
// handler thread, with the request's body already received in full.
class ApiHandler {
 public:
  ApiHandler(const Router& router, Services& services) : router_(router), services_(services) {}
  void handle(ServedRequest& request, BufferedResponse& response) const;

 private:
  const Router& router_;
  Services& services_;
};

}  // namespace fieldlink

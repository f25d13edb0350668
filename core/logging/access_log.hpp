#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include <Poco/Net/HTTPServerRequest.h>

namespace fieldlink::logging {

struct AccessRecord {
  int status = 0;
  std::int64_t bytes = -1;  // body bytes sent; -1 when unknown
  std::chrono::steady_clock::duration took{};
  std::optional<std::int64_t> user_id;
  std::string remote;  // the client as the limits see it; empty: the peer's address
};

// One line on the "fieldlink.access" logger per request. The path is logged without its
// query string, so that tokens passed as ?token= never reach the log.
void logAccess(const Poco::Net::HTTPServerRequest& request, const AccessRecord& record);

}  // namespace fieldlink::logging

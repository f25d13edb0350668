#pragma once

#include <chrono>
#include <cstddef>

namespace fieldlink {

// Deadlines of an HTTP connection (http.* keys), against clients that trickle or stall.
struct HttpTimeouts {
  std::chrono::seconds headers{10};   // from a request's first byte to its last header (408)
  std::chrono::seconds request{600};  // from a request's first byte to its last (408); 0: none
  std::chrono::seconds idle{30};      // keep-alive wait for the next request; stalled writes
  std::size_t min_body_rate = 1024;   // bytes per second a body must average over each window
  std::chrono::seconds body_window{10};
};

}  // namespace fieldlink

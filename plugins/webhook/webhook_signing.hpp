#pragma once

// How a webhook delivery is signed and when a failed one is tried again: plain logic, unit
// tested without the plugin.

#include <chrono>
#include <string>

namespace fieldlink::webhook {

// Hex HMAC-SHA256 of "<timestamp>.<body>" with the shared secret. The receiver recomputes it
// from the X-Fieldlink-Timestamp header and the raw body, and rejects old timestamps, so a
// captured delivery cannot be replayed later.
std::string signature(const std::string& secret, const std::string& timestamp,
                      const std::string& body);

// The wait before attempt `attempt` (2, 3, ...): `first` doubled each time, at most `cap`.
std::chrono::milliseconds backoff(int attempt, std::chrono::milliseconds first,
                                  std::chrono::milliseconds cap);

}  // namespace fieldlink::webhook

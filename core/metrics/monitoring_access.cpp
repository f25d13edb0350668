#include "metrics/monitoring_access.hpp"

#include <Poco/Exception.h>

namespace fieldlink::metrics {
namespace {

// Compares every byte, so the time taken does not tell how much of a guess was right.
bool sameSecret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

MonitoringAccess::MonitoringAccess(const std::string& allow, std::string token)
    : allowed_(allow, "metrics.allow"), token_(std::move(token)) {
  if (!token_.empty() && token_.size() < 16)
    throw Poco::InvalidArgumentException("metrics.token must be empty or at least 16 characters");
}

bool MonitoringAccess::permits(const Poco::Net::IPAddress& client,
                               const std::string& authorization) const {
  if (allowed_.contains(client)) return true;
  const std::string prefix = "Bearer ";
  return !token_.empty() && authorization.rfind(prefix, 0) == 0 &&
         sameSecret(authorization.substr(prefix.size()), token_);
}

}  // namespace fieldlink::metrics

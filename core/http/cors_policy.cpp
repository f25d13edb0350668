#include "http/cors_policy.hpp"

#include <Poco/Exception.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

namespace fieldlink {

CorsPolicy::CorsPolicy(const std::string& origins) {
  Poco::StringTokenizer entries(
      origins, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto& entry : entries) {
    Poco::URI uri;
    try {
      uri = Poco::URI(entry);
    } catch (const Poco::SyntaxException&) {
    }
    const bool plain = (uri.getScheme() == "http" || uri.getScheme() == "https") &&
                       !uri.getHost().empty() && uri.getPath().empty() && uri.getQuery().empty() &&
                       uri.getFragment().empty() && uri.getUserInfo().empty();
    // Browsers send the origin exactly as scheme://host[:port], lower-case, no slash.
    if (!plain || entry.back() == '/')
      throw Poco::InvalidArgumentException("http.cors_allowed_origins: '" + entry +
                                           "' is not an origin such as https://app.example.com");
    origins_.insert(entry);
  }
}

std::map<std::string, std::string> CorsPolicy::headersFor(const std::string& origin) const {
  if (!allows(origin)) return {{"Vary", "Origin"}};
  return {{"Access-Control-Allow-Origin", origin},
          {"Access-Control-Expose-Headers", "Retry-After, X-Request-Id, Content-Range, Link"},
          {"Vary", "Origin"}};
}

std::optional<std::map<std::string, std::string>> CorsPolicy::preflight(
    const std::string& origin) const {
  if (!allows(origin)) return std::nullopt;
  auto headers = headersFor(origin);
  headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS";
  headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Range, X-Request-Id";
  headers["Access-Control-Max-Age"] = "600";
  return headers;
}

}  // namespace fieldlink

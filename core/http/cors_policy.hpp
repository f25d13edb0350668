#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

namespace fieldlink {

// Which web origins may call the API from a browser (`http.cors_allowed_origins`). Tokens
// travel in the Authorization header, never in cookies, so no credentials mode is offered.
class CorsPolicy {
 public:
  CorsPolicy() = default;
  // Comma-separated origins such as "https://app.example.com"; "" allows none. Throws
  // Poco::InvalidArgumentException for an entry that is not scheme://host[:port].
  explicit CorsPolicy(const std::string& origins);

  bool allows(const std::string& origin) const { return origins_.count(origin) > 0; }
  // The headers an answer to `origin` carries (none when it is not allowed).
  std::map<std::string, std::string> headersFor(const std::string& origin) const;
  // The headers of a preflight's 204 for `origin`; nothing when it is not allowed.
  std::optional<std::map<std::string, std::string>> preflight(const std::string& origin) const;

 private:
  std::set<std::string> origins_;
};

}  // namespace fieldlink

#pragma once

#include <chrono>
#include <string>

#include "domain/ids.hpp"
#include "util/clock.hpp"

namespace fieldlink {

enum class TokenKind { Access, Refresh };

struct TokenClaims {
  UserId user;
  TokenKind kind = TokenKind::Access;
  TimePoint expires_at;
};

// JWT HS256 tokens. An access token cannot be used as a refresh token and the reverse.
class TokenService {
 public:
  struct Options {
    std::string secret;
    std::chrono::seconds access_lifetime{900};
    std::chrono::seconds refresh_lifetime{7 * 24 * 3600};
  };
  explicit TokenService(Options options);

  std::string issue(UserId user, TokenKind kind, TimePoint now) const;
  // Throws Unauthorized for a malformed, tampered, foreign, expired or wrong-kind token.
  TokenClaims verify(const std::string& token, TokenKind expected, TimePoint now) const;

  std::chrono::seconds lifetime(TokenKind kind) const {
    return kind == TokenKind::Access ? options_.access_lifetime : options_.refresh_lifetime;
  }

 private:
  Options options_;
};

}  // namespace fieldlink

#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "domain/ids.hpp"
#include "util/clock.hpp"

namespace fieldlink {

enum class TokenKind { Access, Refresh };

struct TokenClaims {
  UserId user;
  TokenKind kind = TokenKind::Access;
  TimePoint expires_at;
  // The user's session generation when it was issued (0 for tokens that carry none).
  std::int64_t generation = 0;
  // Refresh tokens: this token's id and its family (every token rotated from one sign-in);
  // empty for access tokens and for refresh tokens issued before rotation existed.
  std::string token_id;
  std::string family;
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

  std::string issue(UserId user, TokenKind kind, TimePoint now, std::int64_t generation = 0,
                    const std::string& token_id = "", const std::string& family = "") const;
  // Throws Unauthorized for a malformed, tampered, foreign, expired or wrong-kind token.
  TokenClaims verify(const std::string& token, TokenKind expected, TimePoint now) const;

  std::chrono::seconds lifetime(TokenKind kind) const {
    return kind == TokenKind::Access ? options_.access_lifetime : options_.refresh_lifetime;
  }

 private:
  TokenClaims verifySignedToken(const std::string& token, TokenKind expected, TimePoint now) const;

  Options options_;
  // Tokens whose signature and claims were checked, with what they say: every request
  // carries one, and checking it again cost a tenth of a history page's CPU. Only the expiry
  // depends on the time, and it is checked on every use. Bounded: emptied when full.
  static constexpr std::size_t kVerifiedCapacity = 4096;
  mutable std::mutex verified_mutex_;
  mutable std::unordered_map<std::string, TokenClaims> verified_;
};

}  // namespace fieldlink

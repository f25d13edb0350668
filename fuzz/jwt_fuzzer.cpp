// Bearer tokens as the server checks them: any string must be refused with Unauthorized
// (401) and nothing else, unless it is a token this server signed. The fuzzer also mutates
// real tokens (the seed corpus), so near misses of valid tokens get tried.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "auth/token_service.hpp"
#include "domain/errors.hpp"

using namespace fieldlink;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TokenService tokens(TokenService::Options{"fuzz-secret-0123456789abcdef0123456789"});
  const std::string token(reinterpret_cast<const char*>(data), size);
  const TimePoint now = fromEpochMs(1764000000000);
  for (const TokenKind kind : {TokenKind::Access, TokenKind::Refresh}) {
    try {
      const TokenClaims claims = tokens.verify(token, kind, now);
      // Accepted: it must really be ours, of that kind, and not expired.
      if (claims.kind != kind || claims.expires_at <= now || claims.user.value <= 0) std::abort();
      if (tokens.issue(claims.user, kind, claims.expires_at - tokens.lifetime(kind)).empty())
        std::abort();
    } catch (const Unauthorized&) {
    }
  }
  return 0;
}

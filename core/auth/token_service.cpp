#include "auth/token_service.hpp"

#include <Poco/Crypto/OpenSSLInitializer.h>
#include <Poco/Exception.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/NumberParser.h>

#include "domain/errors.hpp"

namespace fieldlink {
namespace {

const char* kindName(TokenKind kind) { return kind == TokenKind::Access ? "access" : "refresh"; }

Poco::Timestamp toTimestamp(TimePoint t) {
  return Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(toEpochMs(t)) * 1000);
}

}  // namespace

TokenService::TokenService(Options options) : options_(std::move(options)) {
  // Poco::JWT's digests each hold an OpenSSLInitializer; when the last one goes, Poco tears
  // OpenSSL's lock table down while another thread may be setting it up again, which crashed
  // the server under load (a backtrace through OpenSSLInitializer::uninitialize). One held
  // until the process exits keeps the count above zero.
  static const Poco::Crypto::OpenSSLInitializer keep_openssl_initialised;
  (void)keep_openssl_initialised;
}

std::string TokenService::issue(UserId user, TokenKind kind, TimePoint now, std::int64_t generation,
                                const std::string& token_id, const std::string& family) const {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setSubject(std::to_string(user.value));
  token.payload().set("token_type", std::string(kindName(kind)));
  // Whole seconds: Poco writes fractional NumericDates, which some JWT libraries refuse.
  token.payload().set("iat", static_cast<Poco::Int64>(toEpochMs(now) / 1000));
  token.payload().set("exp", static_cast<Poco::Int64>(toEpochMs(now + lifetime(kind)) / 1000));
  if (generation != 0) token.payload().set("gen", static_cast<Poco::Int64>(generation));
  if (!token_id.empty()) token.setId(token_id);
  if (!family.empty()) token.payload().set("fam", family);
  Poco::JWT::Signer signer(options_.secret);
  return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

TokenClaims TokenService::verify(const std::string& jwt, TokenKind expected, TimePoint now) const {
  {
    std::lock_guard<std::mutex> lock(verified_mutex_);
    const auto known = verified_.find(jwt);
    if (known != verified_.end() && known->second.kind == expected &&
        known->second.expires_at > now)
      return known->second;
  }
  // Unknown, expired or of the other kind: the full check, which throws for those.
  const TokenClaims claims = verifySignedToken(jwt, expected, now);
  std::lock_guard<std::mutex> lock(verified_mutex_);
  if (verified_.size() >= kVerifiedCapacity) verified_.clear();
  verified_.emplace(jwt, claims);
  return claims;
}

TokenClaims TokenService::verifySignedToken(const std::string& jwt, TokenKind expected,
                                            TimePoint now) const {
  const std::string why = std::string("Token is invalid or expired (") + kindName(expected) + ").";
  Poco::JWT::Token token;
  try {
    // The signer only accepts HS256 (its default), so "alg": "none" fails here too.
    Poco::JWT::Signer signer(options_.secret);
    if (!signer.tryVerify(jwt, token)) throw Unauthorized(why, "token_not_valid");
  } catch (const Poco::Exception&) {
    throw Unauthorized(why, "token_not_valid");
  } catch (const std::exception&) {
    throw Unauthorized(why, "token_not_valid");
  }
  if (token.getAlgorithm() != Poco::JWT::Signer::ALGO_HS256)
    throw Unauthorized(why, "token_not_valid");
  if (!token.payload().has("exp") || token.getExpiration() <= toTimestamp(now))
    throw Unauthorized(why, "token_not_valid");
  if (token.payload().optValue<std::string>("token_type", "") != kindName(expected))
    throw Unauthorized(why, "token_not_valid");
  Poco::Int64 user = 0;
  if (!Poco::NumberParser::tryParse64(token.getSubject(), user) || user <= 0)
    throw Unauthorized(why, "token_not_valid");
  TokenClaims claims;
  claims.user = UserId(user);
  claims.kind = expected;
  claims.expires_at = fromEpochMs(token.getExpiration().epochMicroseconds() / 1000);
  try {
    claims.generation = token.payload().optValue<Poco::Int64>("gen", 0);
    claims.token_id = token.getId();
    claims.family = token.payload().optValue<std::string>("fam", "");
  } catch (const Poco::Exception&) {
    throw Unauthorized(why, "token_not_valid");  // signed by us, so never; but not a number
  }
  return claims;
}

}  // namespace fieldlink

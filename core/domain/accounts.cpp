#include "domain/accounts.hpp"

#include "auth/account_name.hpp"
#include "auth/random_id.hpp"
#include "domain/errors.hpp"
#include "domain/input_rules.hpp"

namespace fieldlink {

User Accounts::registerClient(AccountInput input) {
  input.role = Role::Client;
  return createUser(std::nullopt, input);
}

User Accounts::createUser(const std::optional<User>& caller, const AccountInput& input) {
  if (caller && caller->role != Role::Dispatcher)
    throw Forbidden("Only dispatchers create accounts.");
  rules::checkUsername(input.username);
  rules::checkPassword(input.password);
  rules::checkDisplayName(input.display_name);
  rules::checkPhone(input.phone);
  NewUser user{input.username, input.display_name,           input.role,
               input.phone,    hasher_.hash(input.password), nowMs()};
  return store_.write([&](StoreSession& s) { return s.insertUser(user); });
}

namespace {

// The user a verified token names, if the token still counts: the account exists, is not
// disabled, and its sessions were not revoked since the token was issued.
User holderOf(Store& store, const TokenClaims& claims) {
  auto user = store.read([&](StoreSession& s) { return s.findUser(claims.user); });
  if (!user) throw Unauthorized("User not found.", "user_not_found");
  if (user->disabled) throw Unauthorized("This account is disabled.", "account_disabled");
  if (claims.generation != user->session_generation)
    throw Unauthorized("This session was ended; sign in again.", "session_revoked");
  return std::move(*user);
}

}  // namespace

TokenPair Accounts::issuePair(StoreSession& s, const User& user, const std::string& family,
                              TimePoint now) {
  RefreshTokenRecord refresh;
  refresh.id = randomId();
  refresh.family = family;
  refresh.user_id = user.id;
  refresh.expires_at = now + tokens_.lifetime(TokenKind::Refresh);
  s.insertRefreshToken(refresh, now);
  return {
      tokens_.issue(user.id, TokenKind::Access, now, user.session_generation),
      tokens_.issue(user.id, TokenKind::Refresh, now, user.session_generation, refresh.id, family)};
}

TokenPair Accounts::obtainTokens(const std::string& username, const std::string& password) {
  const auto key = accountNameKey(username);
  const auto user =
      key ? store_.read([&](StoreSession& s) { return s.findUserByUsername(*key); }) : std::nullopt;
  if (!user) {
    hasher_.burnVerifyTime(password);
  } else if (hasher_.verify(password, user->password_hash)) {
    // Said only to whoever knows the password.
    if (user->disabled) throw Unauthorized("This account is disabled.", "account_disabled");
    const auto now = nowMs();
    // A sign-in starts a family of refresh tokens.
    return store_.write([&](StoreSession& s) { return issuePair(s, *user, randomId(), now); });
  }
  throw Unauthorized("No active account found with the given credentials.", "invalid_credentials");
}

// A spent token presented again soon after, while the session has not moved on (no newer
// token of its family spent since): the answer to the first use was lost (a phone between
// two cells), or a second tab of the page read the tokens before the first tab's new ones
// reached it. That is the holder asking again, not a thief, so it gets a pair too.
bool Accounts::presentedAgainByItsHolder(StoreSession& s, const RefreshTokenRecord& spent,
                                         TimePoint now) const {
  using std::chrono::milliseconds;
  if (reuse_grace_ <= milliseconds(0) || !spent.used_at || now - *spent.used_at > reuse_grace_)
    return false;
  return !s.refreshFamilyUsedSince(spent.family, spent.id, *spent.used_at);
}

TokenPair Accounts::refreshTokens(const std::string& refresh_token) {
  const auto now = nowMs();
  const TokenClaims claims = tokens_.verify(refresh_token, TokenKind::Refresh, now);
  const User user = holderOf(store_, claims);
  enum class Outcome { Rotated, Unknown, Revoked, Reused };
  Outcome outcome = Outcome::Rotated;
  TokenPair pair;
  // A reuse must commit its revocation, so the refusals are thrown after the write.
  store_.write([&](StoreSession& s) {
    if (claims.token_id.empty()) {  // issued before rotation: it starts a family
      pair = issuePair(s, user, randomId(), now);
      return;
    }
    const auto record = s.findRefreshToken(claims.token_id);
    if (!record || record->user_id != user.id) {
      outcome = Outcome::Unknown;
    } else if (record->revoked) {
      outcome = Outcome::Revoked;
    } else if (s.useRefreshToken(record->id, now)) {
      pair = issuePair(s, user, record->family, now);
    } else if (const auto spent = s.findRefreshToken(record->id); !spent || spent->revoked) {
      outcome = Outcome::Revoked;  // revoked meanwhile, by a logout or another node
    } else if (presentedAgainByItsHolder(s, *spent, now)) {
      pair = issuePair(s, user, record->family, now);
    } else {
      // Rotated before: whoever holds the newer token, one of the two is not its owner.
      s.revokeRefreshFamily(record->family);
      outcome = Outcome::Reused;
    }
  });
  switch (outcome) {
    case Outcome::Rotated:
      return pair;
    case Outcome::Unknown:
      throw Unauthorized("Token is invalid or expired (refresh).", "token_not_valid");
    case Outcome::Revoked:
      throw Unauthorized("This session was ended; sign in again.", "token_revoked");
    case Outcome::Reused:
      break;
  }
  throw Unauthorized(
      "This refresh token was used already, so the session it belongs to was ended; sign in "
      "again.",
      "token_reused");
}

void Accounts::logout(const User& caller, const std::string& refresh_token) {
  TokenClaims claims;
  try {
    claims = tokens_.verify(refresh_token, TokenKind::Refresh, nowMs());
  } catch (const Unauthorized&) {
    return;  // expired or not ours: nothing it names can be used
  }
  if (claims.user != caller.id) throw Forbidden("That refresh token is someone else's.");
  if (claims.family.empty()) {
    // Issued before rotation, so not tracked: only ending every session ends it.
    logoutEverywhere(caller);
    return;
  }
  store_.write([&](StoreSession& s) { s.revokeRefreshFamily(claims.family); });
}

void Accounts::logoutEverywhere(const User& caller) {
  changeAccess(caller.username, [](UserAccess& access) { ++access.session_generation; });
}

User Accounts::authenticate(const std::string& access_token) {
  return holderOf(store_, tokens_.verify(access_token, TokenKind::Access, nowMs()));
}

std::vector<User> Accounts::listUsers(std::optional<Role> role) {
  return store_.read([&](StoreSession& s) { return s.listUsers(role); });
}

User Accounts::changeAccess(const std::string& username,
                            const std::function<void(UserAccess&)>& change) {
  return store_.write([&](StoreSession& s) {
    auto user = s.findUserByUsername(username);
    if (!user) throw NotFound("No user named '" + username + "'.", "user_not_found");
    UserAccess access{user->disabled, user->password_hash, user->session_generation, nowMs()};
    change(access);
    s.updateUserAccess(user->id, access);
    return *s.findUser(user->id);
  });
}

User Accounts::setDisabled(const std::string& username, bool disabled) {
  return changeAccess(username, [&](UserAccess& access) {
    // Disabling ends every session for good: enabling again does not bring them back.
    if (disabled && !access.disabled) ++access.session_generation;
    access.disabled = disabled;
  });
}

User Accounts::resetPassword(const std::string& username, const std::string& password) {
  rules::checkPassword(password);
  const std::string hash = hasher_.hash(password);
  return changeAccess(username, [&](UserAccess& access) {
    access.password_hash = hash;
    ++access.session_generation;
  });
}

}  // namespace fieldlink

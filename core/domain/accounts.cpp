#include "domain/accounts.hpp"

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

TokenPair Accounts::obtainTokens(const std::string& username, const std::string& password) {
  const auto user = store_.read([&](StoreSession& s) { return s.findUserByUsername(username); });
  if (!user) {
    hasher_.burnVerifyTime(password);
  } else if (hasher_.verify(password, user->password_hash)) {
    const auto now = nowMs();
    return {tokens_.issue(user->id, TokenKind::Access, now),
            tokens_.issue(user->id, TokenKind::Refresh, now)};
  }
  throw Unauthorized("No active account found with the given credentials.", "invalid_credentials");
}

std::string Accounts::refreshAccess(const std::string& refresh_token) {
  const auto now = nowMs();
  const TokenClaims claims = tokens_.verify(refresh_token, TokenKind::Refresh, now);
  const auto user = store_.read([&](StoreSession& s) { return s.findUser(claims.user); });
  if (!user) throw Unauthorized("User not found.", "user_not_found");
  return tokens_.issue(user->id, TokenKind::Access, now);
}

User Accounts::authenticate(const std::string& access_token) {
  const TokenClaims claims = tokens_.verify(access_token, TokenKind::Access, nowMs());
  auto user = store_.read([&](StoreSession& s) { return s.findUser(claims.user); });
  if (!user) throw Unauthorized("User not found.", "user_not_found");
  return std::move(*user);
}

}  // namespace fieldlink

#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "auth/password_hasher.hpp"
#include "auth/token_service.hpp"
#include "domain/model.hpp"
#include "store/store.hpp"

namespace fieldlink {

struct AccountInput {
  std::string username;
  std::string password;
  std::string display_name;
  std::string phone;
  Role role = Role::Client;
};

struct TokenPair {
  std::string access;
  std::string refresh;
};

// Users, passwords and tokens.
class Accounts {
 public:
  // `reuse_grace`: how long after its rotation a refresh token may be presented again by
  // its holder (auth.refresh_reuse_grace; see refreshTokens).
  Accounts(Store& store, const PasswordHasher& hasher, const TokenService& tokens,
           std::chrono::milliseconds reuse_grace = {})
      : store_(store), hasher_(hasher), tokens_(tokens), reuse_grace_(reuse_grace) {}

  // Self-registration: always a client.
  User registerClient(AccountInput input);
  // Any role; `caller` must be a dispatcher (nullopt: the command line, trusted).
  User createUser(const std::optional<User>& caller, const AccountInput& input);

  // A sign-in: an access token and the first refresh token of a new family.
  TokenPair obtainTokens(const std::string& username, const std::string& password);
  // Rotation: a new access token and a new refresh token of the same family; the one given
  // may not be used again. Presenting a used one revokes its whole family (401
  // token_reused), so a stolen token is worth one use at most, and its theft shows. Except
  // within `reuse_grace` of its rotation while no newer token of the family was spent: then
  // its holder is asking again (a lost answer, a second tab) and gets another pair.
  TokenPair refreshTokens(const std::string& refresh_token);
  // Revokes the family of `refresh_token` (the caller's; Forbidden if it is another's). Its
  // access tokens run out by themselves (auth.access_token_lifetime).
  void logout(const User& caller, const std::string& refresh_token);
  // Ends every session of the caller, access tokens and WebSockets included.
  void logoutEverywhere(const User& caller);
  // The user an access token belongs to; Unauthorized when the token or the user is gone,
  // the account is disabled or its sessions were ended after the token was issued.
  User authenticate(const std::string& access_token);

  // The administrator's commands (fieldlinkd --list-users, ...): trusted callers only.
  std::vector<User> listUsers(std::optional<Role> role);
  // A disabled user cannot log in, refresh or use any token; disabling ends their sessions.
  // NotFound when there is no such user.
  User setDisabled(const std::string& username, bool disabled);
  // Checks the password as registration does, and ends every session of the user.
  User resetPassword(const std::string& username, const std::string& password);

 private:
  bool presentedAgainByItsHolder(StoreSession& s, const RefreshTokenRecord& spent,
                                 TimePoint now) const;
  TokenPair issuePair(StoreSession& s, const User& user, const std::string& family, TimePoint now);
  User changeAccess(const std::string& username, const std::function<void(UserAccess&)>& change);

  Store& store_;
  const PasswordHasher& hasher_;
  const TokenService& tokens_;
  const std::chrono::milliseconds reuse_grace_;
};

}  // namespace fieldlink

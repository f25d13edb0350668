#pragma once

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
  Accounts(Store& store, const PasswordHasher& hasher, const TokenService& tokens)
      : store_(store), hasher_(hasher), tokens_(tokens) {}

  // Self-registration: always a client.
  User registerClient(AccountInput input);
  // Any role; `caller` must be a dispatcher (nullopt: the command line, trusted).
  User createUser(const std::optional<User>& caller, const AccountInput& input);

  TokenPair obtainTokens(const std::string& username, const std::string& password);
  std::string refreshAccess(const std::string& refresh_token);
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
  User changeAccess(const std::string& username, const std::function<void(UserAccess&)>& change);

  Store& store_;
  const PasswordHasher& hasher_;
  const TokenService& tokens_;
};

}  // namespace fieldlink

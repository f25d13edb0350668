#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "domain/accounts.hpp"

// fieldlinkd's commands on accounts: --create-user, --list-users, --disable-user,
// --enable-user and --reset-password. They work on the store, SQLite or MySQL, whether or
// not a server runs on it: a running server closes the connections of a user disabled or
// given a new password within ws.access_check_interval.
namespace fieldlink {

enum class UserCommandKind { Create, List, Disable, Enable, ResetPassword };

struct UserCommand {
  UserCommandKind kind = UserCommandKind::List;
  std::string username;      // all but List
  std::optional<Role> role;  // Create: the new user's; List: only these
};

// Runs it and says what was done on `out`. `password` is asked only by Create and
// ResetPassword. Throws ApiError (no such user, a name taken, a password too short).
void runUserCommand(Accounts& accounts, const UserCommand& command,
                    const std::function<std::string()>& password, std::ostream& out);

// FIELDLINK_PASSWORD if set (scripts), else the first line of `input`.
std::string passwordFromEnvironmentOr(std::istream& input);

}  // namespace fieldlink

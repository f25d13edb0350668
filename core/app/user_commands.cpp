#include "app/user_commands.hpp"

#include <iomanip>
#include <istream>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Environment.h>
#include <Poco/Timestamp.h>

namespace fieldlink {
namespace {

std::string dateOf(TimePoint t) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(toEpochMs(t) * 1000),
                                         Poco::DateTimeFormat::ISO8601_FORMAT);
}

// One line per user under a header, columns as wide as their widest value.
void printUsers(const std::vector<User>& users, std::ostream& out) {
  std::size_t name_width = 8;  // "username"
  for (const auto& user : users) name_width = std::max(name_width, user.username.size());
  out << std::left << std::setw(8) << "id" << std::setw(static_cast<int>(name_width) + 2)
      << "username" << std::setw(12) << "role" << std::setw(10) << "status" << std::setw(22)
      << "created"
      << "display name\n";
  for (const auto& user : users)
    out << std::left << std::setw(8) << user.id.value << std::setw(static_cast<int>(name_width) + 2)
        << user.username << std::setw(12) << toString(user.role) << std::setw(10)
        << (user.disabled ? "disabled" : "active") << std::setw(22) << dateOf(user.created_at)
        << user.display_name << "\n";
  out << users.size() << (users.size() == 1 ? " user\n" : " users\n");
}

}  // namespace

void runUserCommand(Accounts& accounts, const UserCommand& command,
                    const std::function<std::string()>& password, std::ostream& out) {
  switch (command.kind) {
    case UserCommandKind::Create: {
      const User user =
          accounts.createUser(std::nullopt, {command.username, password(), command.username, "",
                                             command.role.value_or(Role::Dispatcher)});
      out << "created " << toString(user.role) << " '" << user.username << "' with id "
          << user.id.value << std::endl;
      return;
    }
    case UserCommandKind::List:
      printUsers(accounts.listUsers(command.role), out);
      return;
    case UserCommandKind::Disable:
    case UserCommandKind::Enable: {
      const bool disable = command.kind == UserCommandKind::Disable;
      const User user = accounts.setDisabled(command.username, disable);
      out << (disable ? "disabled '" : "enabled '") << user.username << "'"
          << (disable ? ": they cannot sign in, and their sessions are ended" : "") << std::endl;
      return;
    }
    case UserCommandKind::ResetPassword: {
      const User user = accounts.resetPassword(command.username, password());
      out << "new password for '" << user.username << "'; their sessions are ended" << std::endl;
      return;
    }
  }
}

std::string passwordFromEnvironmentOr(std::istream& input) {
  if (Poco::Environment::has("FIELDLINK_PASSWORD"))
    return Poco::Environment::get("FIELDLINK_PASSWORD");
  std::string password;
  std::getline(input, password);
  return password;
}

}  // namespace fieldlink

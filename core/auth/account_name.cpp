#include "auth/account_name.hpp"

#include <algorithm>

namespace fieldlink {
namespace {

constexpr std::size_t kMaxUsernameLength = 150;

bool isAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool isUsernameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' ||
         c == '.' || c == '+' || c == '-' || c == '_';
}

std::optional<std::string> accountNameKey(std::string_view typed) {
  while (!typed.empty() && isAsciiSpace(typed.front())) typed.remove_prefix(1);
  while (!typed.empty() && isAsciiSpace(typed.back())) typed.remove_suffix(1);
  if (typed.empty() || typed.size() > kMaxUsernameLength ||
      !std::all_of(typed.begin(), typed.end(), isUsernameCharacter))
    return std::nullopt;
  std::string key(typed);
  std::transform(key.begin(), key.end(), key.begin(), asciiLower);
  return key;
}

}  // namespace fieldlink

#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fieldlink {

// The characters a username may hold: ASCII letters, digits and @ . + - _ (as Django's
// default validator, without its Unicode letters).
bool isUsernameCharacter(char c);

// The key an account is found and counted by, from a name typed at sign-in: without
// surrounding white space (phone keyboards add one), in lower case (usernames are unique
// ignoring case). nullopt when what remains breaks the username rules, so it names no
// account: MySQL's collation would otherwise find "alice" for "alicé" or "ａｌｉｃｅ", and each
// spelling would get a failure budget of its own.
std::optional<std::string> accountNameKey(std::string_view typed);

}  // namespace fieldlink

#pragma once

#include <string>

namespace fieldlink {

// 128 bits from OpenSSL's CSPRNG as 32 lower-case hex digits: ids that must not be guessed
// (refresh tokens and their families).
std::string randomId();

}  // namespace fieldlink

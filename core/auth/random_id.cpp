#include "auth/random_id.hpp"

#include <stdexcept>

#include <openssl/rand.h>

namespace fieldlink {

std::string randomId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id;
  id.reserve(2 * sizeof bytes);
  for (unsigned char b : bytes) {
    id += kDigits[b >> 4];
    id += kDigits[b & 0xf];
  }
  return id;
}

}  // namespace fieldlink

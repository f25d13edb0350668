#include "auth/random_id.hpp"

#include <stdexcept>

#include <Poco/DigestEngine.h>
#include <openssl/rand.h>

namespace fieldlink {

std::string randomId() {
  Poco::DigestEngine::Digest bytes(16);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return Poco::DigestEngine::digestToHex(bytes);
}

}  // namespace fieldlink

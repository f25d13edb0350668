#include "auth/password_hasher.hpp"

#include <cctype>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/StringTokenizer.h>

namespace fieldlink {
namespace {

constexpr std::size_t kHashBytes = 32;
constexpr const char* kAlgorithm = "pbkdf2_sha256";

std::string base64(const unsigned char* data, std::size_t size) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  encoder.close();
  return out.str();
}

std::vector<unsigned char> derive(const std::string& password, const std::string& salt,
                                  int iterations) {
  std::vector<unsigned char> out(kHashBytes);
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()), out.data()) != 1)
    throw std::runtime_error("PKCS5_PBKDF2_HMAC failed");
  return out;
}

std::string randomSalt() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  // Django salts are alphanumeric; base64 without its padding and symbols keeps them so.
  std::string salt;
  for (char c : base64(bytes, sizeof bytes))
    if (std::isalnum(static_cast<unsigned char>(c))) salt += c;
  return salt;
}

}  // namespace

std::string PasswordHasher::hash(const std::string& password) const {
  const std::string salt = randomSalt();
  const auto derived = derive(password, salt, iterations_);
  return std::string(kAlgorithm) + "$" + std::to_string(iterations_) + "$" + salt + "$" +
         base64(derived.data(), derived.size());
}

bool PasswordHasher::verify(const std::string& password, const std::string& encoded) const {
  Poco::StringTokenizer parts(encoded, "$");
  if (parts.count() != 4 || parts[0] != kAlgorithm) return false;
  int iterations = 0;
  try {
    iterations = std::stoi(parts[1]);
  } catch (const std::exception&) {
    return false;
  }
  if (iterations < 1 || iterations > 10'000'000) return false;
  const auto derived = derive(password, parts[2], iterations);
  const std::string expected = base64(derived.data(), derived.size());
  return expected.size() == parts[3].size() &&
         CRYPTO_memcmp(expected.data(), parts[3].data(), expected.size()) == 0;
}

void PasswordHasher::burnVerifyTime(const std::string& password) const {
  derive(password, "fieldlink-no-such-user", iterations_);
}

}  // namespace fieldlink

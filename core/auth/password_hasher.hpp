#pragma once

#include <string>

namespace fieldlink {

// PBKDF2-HMAC-SHA256 in Django's format, "pbkdf2_sha256$<iterations>$<salt>$<hash>", so
// hashes carried over from the service fieldlink replaces keep working.
class PasswordHasher {
 public:
  explicit PasswordHasher(int iterations) : iterations_(iterations) {}

  std::string hash(const std::string& password) const;
  // Constant-time comparison; false for anything that is not a hash in this format.
  bool verify(const std::string& password, const std::string& encoded) const;
  // Spends the same time as verify() on a real hash; called when the user does not exist so
  // that timing does not reveal which usernames are taken.
  void burnVerifyTime(const std::string& password) const;

 private:
  int iterations_;
};

}  // namespace fieldlink

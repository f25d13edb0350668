#include "auth/password_hasher.hpp"

#include <gtest/gtest.h>

namespace fieldlink {
namespace {

TEST(PasswordHasher, VerifiesTheRightPasswordOnly) {
  PasswordHasher hasher(1000);
  const std::string hash = hasher.hash("correct horse");
  EXPECT_TRUE(hasher.verify("correct horse", hash));
  EXPECT_FALSE(hasher.verify("correct horsf", hash));
  EXPECT_FALSE(hasher.verify("", hash));
}

TEST(PasswordHasher, UsesDjangoFormatWithFreshSalt) {
  PasswordHasher hasher(1234);
  const std::string a = hasher.hash("pw");
  const std::string b = hasher.hash("pw");
  EXPECT_EQ(a.rfind("pbkdf2_sha256$1234$", 0), 0u) << a;
  EXPECT_NE(a, b);  // salted
}

TEST(PasswordHasher, VerifiesAKnownDjangoHash) {
  // Made with Python: hashlib.pbkdf2_hmac('sha256', b'secret', b'saltsalt', 1000), base64.
  PasswordHasher hasher(600000);
  EXPECT_TRUE(hasher.verify(
      "secret", "pbkdf2_sha256$1000$saltsalt$hgR9HsqtKupWxpnv8y99TrPDajTT/9PcSTlNafpdLXQ="));
}

TEST(PasswordHasher, RefusesMalformedHashes) {
  PasswordHasher hasher(1000);
  for (const std::string bad : {"", "plain", "pbkdf2_sha256$x$salt$hash", "md5$1$a$b",
                                "pbkdf2_sha256$0$salt$hash", "pbkdf2_sha256$1000$salt"})
    EXPECT_FALSE(hasher.verify("pw", bad)) << bad;
}

}  // namespace
}  // namespace fieldlink

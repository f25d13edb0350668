// Refresh-token rotation as Accounts decides it, on a real SQLite store: a spent token is
// a reuse (the session ends), unless its holder asks again within the grace while the
// session has not moved on.
#include <gtest/gtest.h>

#include "domain/accounts.hpp"
#include "domain/errors.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace fieldlink {
namespace {

using namespace std::chrono_literals;

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Accounts(store, hasher, tokens).registerClient({"alice", "password-123", "Alice", "", {}});
  }
  std::unique_ptr<Accounts> accountsWithGrace(std::chrono::milliseconds grace) {
    return std::make_unique<Accounts>(store, hasher, tokens, grace);
  }
  // The code of the Unauthorized that refreshing with `token` throws ("" when it works).
  static std::string refusalOf(Accounts& accounts, const std::string& token) {
    try {
      accounts.refreshTokens(token);
      return "";
    } catch (const Unauthorized& e) {
      return e.code();
    }
  }

  testing::TempDir dir;
  sqlite::SqliteStore store{sqlite::SqliteStore::Options{dir.file("db.sqlite"), 8}};
  PasswordHasher hasher{1000};
  TokenService tokens{{"a-secret-of-thirty-two-bytes-or-more!", 900s, 3600s}};
};

TEST_F(AccountsTest, ASpentTokenAskedAgainWhileTheSessionStaysPutGetsAnotherPair) {
  const auto accounts = accountsWithGrace(10s);
  const TokenPair first = accounts->obtainTokens("alice", "password-123");
  const TokenPair second = accounts->refreshTokens(first.refresh);
  // The answer was lost, say: the holder presents the same token again.
  const TokenPair again = accounts->refreshTokens(first.refresh);
  EXPECT_NE(again.refresh, second.refresh);
  // Both answers are of the same session; once one is spent the session has moved on, and
  // the first token is then a reuse that ends all of it.
  EXPECT_EQ(refusalOf(*accounts, second.refresh), "");
  EXPECT_EQ(refusalOf(*accounts, first.refresh), "token_reused");
  EXPECT_EQ(refusalOf(*accounts, again.refresh), "token_revoked");
}

TEST_F(AccountsTest, WithoutAGraceEveryReuseEndsTheSession) {
  const auto accounts = accountsWithGrace(0ms);
  const TokenPair first = accounts->obtainTokens("alice", "password-123");
  const TokenPair second = accounts->refreshTokens(first.refresh);
  EXPECT_EQ(refusalOf(*accounts, first.refresh), "token_reused");
  EXPECT_EQ(refusalOf(*accounts, second.refresh), "token_revoked");
}

TEST_F(AccountsTest, ARevokedSessionIsNotRevivedWithinTheGrace) {
  const auto accounts = accountsWithGrace(10s);
  const TokenPair first = accounts->obtainTokens("alice", "password-123");
  accounts->refreshTokens(first.refresh);
  accounts->logout(accounts->authenticate(first.access), first.refresh);
  EXPECT_EQ(refusalOf(*accounts, first.refresh), "token_revoked");
}

}  // namespace
}  // namespace fieldlink

#include "auth/account_name.hpp"

#include <gtest/gtest.h>

namespace fieldlink {
namespace {

TEST(AccountName, SpellingsOfOneNameShareAKey) {
  for (const char* typed : {"alice", "Alice", "ALICE", " alice", "alice ", "\talice\n"})
    EXPECT_EQ(accountNameKey(typed), "alice") << '"' << typed << '"';
  EXPECT_EQ(accountNameKey("Tom.O-Neil+work@example.org"), "tom.o-neil+work@example.org");
}

TEST(AccountName, NamesThatBreakTheRulesHaveNoKey) {
  // Accents, full-width letters and inner spaces are what a Unicode collation folds onto an
  // ASCII name; none can be a username.
  for (const char* typed : {"alicé", "ａｌｉｃｅ", "ali ce", "", "   ", "alice\x01", "al/ice"})
    EXPECT_EQ(accountNameKey(typed), std::nullopt) << '"' << typed << '"';
  EXPECT_TRUE(accountNameKey(std::string(150, 'a')));
  EXPECT_FALSE(accountNameKey(std::string(151, 'a')));
}

}  // namespace
}  // namespace fieldlink

#include "store/message_rows.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace fieldlink {
namespace {

using Ids = std::vector<std::int64_t>;

TEST(AttachmentsColumn, ReadsBackWhatIsWritten) {
  for (const Ids& ids : {Ids{}, Ids{3}, Ids{3, 4, 9000000000}})
    EXPECT_EQ(parseAttachmentsColumn(attachmentsColumn(ids)), ids);
  EXPECT_EQ(attachmentsColumn({3, 4}), "[3,4]");
}

TEST(AttachmentsColumn, ReadsOtherJsonSpellingsToo) {
  EXPECT_EQ(parseAttachmentsColumn("[ 3, 4 ]"), (Ids{3, 4}));
  EXPECT_EQ(parseAttachmentsColumn("[\n5]"), (Ids{5}));
  EXPECT_THROW(parseAttachmentsColumn("[3,"), std::exception);
}

// Id lists are padded to a power of two with repeats, so a handful of statements serve
// pages of any length; the placeholders match the values.
TEST(IdLists, ArePaddedToAPowerOfTwoWithTheLastIdRepeated) {
  EXPECT_EQ(idPlaceholders(1), "(?)");
  EXPECT_EQ(idPlaceholders(3), "(?, ?, ?, ?)");
  EXPECT_EQ(idPlaceholders(4), "(?, ?, ?, ?)");
  EXPECT_EQ(paddedIds({7, 8, 9}),
            (SqlValues{std::int64_t{7}, std::int64_t{8}, std::int64_t{9}, std::int64_t{9}}));
  EXPECT_EQ(paddedIds({}), SqlValues{std::int64_t{0}}) << "no id matches 0";
  for (std::size_t n : {1, 2, 5, 50, 200}) {
    const std::string list = idPlaceholders(n);
    EXPECT_EQ(paddedIds(Ids(n, 1)).size(),
              static_cast<std::size_t>(std::count(list.begin(), list.end(), '?')));
  }
}

}  // namespace
}  // namespace fieldlink

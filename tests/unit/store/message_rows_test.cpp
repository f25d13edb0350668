#include "store/message_rows.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace fieldlink

#include <gtest/gtest.h>

#include "attachments/byte_range.hpp"

namespace fieldlink::attachments {
namespace {

using Kind = ByteRange::Kind;

void expectPart(const std::string& header, std::int64_t size, std::int64_t offset,
                std::int64_t length) {
  const ByteRange r = parseRange(header, size);
  EXPECT_EQ(r.kind, Kind::Part) << header;
  EXPECT_EQ(r.offset, offset) << header;
  EXPECT_EQ(r.length, length) << header;
}

TEST(ByteRange, ReadsTheThreeFormsOfOneRange) {
  expectPart("bytes=0-9", 100, 0, 10);
  expectPart("bytes=90-", 100, 90, 10);
  expectPart("bytes=-10", 100, 90, 10);
  expectPart("bytes=95-200", 100, 95, 5);  // clipped to the end
  expectPart("bytes=-500", 100, 0, 100);
}

TEST(ByteRange, AnswersTheWholeFileWhenItCannotOrNeedNotServeARange) {
  for (const char* header : {"", "items=0-1", "bytes=5-2", "bytes=a-b", "bytes=0-1,5-6", "bytes=-0",
                             "bytes=--1", "bytes=99999999999999999999-"}) {
    const ByteRange r = parseRange(header, 100);
    EXPECT_EQ(r.kind, Kind::Whole) << header;
    EXPECT_EQ(r.length, 100) << header;
  }
}

TEST(ByteRange, ARangeStartingPastTheEndIsUnsatisfiable) {
  EXPECT_EQ(parseRange("bytes=100-", 100).kind, Kind::Unsatisfiable);
  EXPECT_EQ(parseRange("bytes=-1", 0).kind, Kind::Unsatisfiable);
}

}  // namespace
}  // namespace fieldlink::attachments

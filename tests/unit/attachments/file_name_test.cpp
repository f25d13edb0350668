#include <gtest/gtest.h>

#include "attachments/file_name.hpp"

namespace fieldlink::attachments {
namespace {

TEST(FileName, KeepsOnlyTheLastPathComponent) {
  EXPECT_EQ(sanitiseFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(sanitiseFileName("C:\\Users\\me\\invoice.pdf"), "invoice.pdf");
  EXPECT_EQ(sanitiseFileName("folder/"), "");
}

TEST(FileName, DropsControlAndDirectionCharactersAndLeadingDots) {
  EXPECT_EQ(sanitiseFileName("a\x01"
                             "b\x7f"
                             "c\r\n.txt"),
            "abc.txt");
  EXPECT_EQ(sanitiseFileName("invoice\xe2\x80\xae"
                             "fdp.exe"),
            "invoicefdp.exe");  // U+202E
  EXPECT_EQ(sanitiseFileName("..hidden"), "hidden");
  EXPECT_EQ(sanitiseFileName(".."), "");
  EXPECT_EQ(sanitiseFileName("  photo.jpg  "), "photo.jpg");
}

TEST(FileName, KeepsValidUtf8AndDropsInvalidBytes) {
  EXPECT_EQ(sanitiseFileName("chaudière.jpg"), "chaudière.jpg");
  EXPECT_EQ(sanitiseFileName("bad\xff\xfe.jpg"), "bad.jpg");
}

TEST(FileName, IsBoundedWithoutSplittingACharacter) {
  std::string long_name;
  for (int i = 0; i < 200; ++i) long_name += "é";  // 2 bytes each
  const std::string clean = sanitiseFileName(long_name);
  EXPECT_LE(clean.size(), kMaxFileNameBytes);
  EXPECT_EQ(clean.size() % 2, 0u);
  EXPECT_EQ(clean.substr(0, 2), "é");
}

}  // namespace
}  // namespace fieldlink::attachments

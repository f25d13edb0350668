#include <gtest/gtest.h>

#include <fieldlink/sdk/time.hpp>

namespace fieldlink::sdk {
namespace {

TEST(SdkTime, ReadsRfc3339WithZonesAndWritesUtcMilliseconds) {
  EXPECT_EQ(formatTime(*parseTime("2026-11-24T10:15:30.123Z")), "2026-11-24T10:15:30.123Z");
  EXPECT_EQ(formatTime(*parseTime("2026-11-24T10:15:30+02:00")), "2026-11-24T08:15:30.000Z");
  EXPECT_EQ(formatTime(*parseTime("2026-11-24t10:15:30.5z")), "2026-11-24T10:15:30.500Z");
}

TEST(SdkTime, RefusesWhatOnlyLooksLikeATime) {
  // Poco's own parser reads "yesterday" as year 0, and year 0 overflowed the clock.
  for (const char* text :
       {"yesterday", "", "2026-11-24", "2026-11-24 10:15:30Z", "2026-11-24T10:15:30",
        "2026-11-24T10:15:30.Z", "2026-11-24T10:15:30+0200", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z", "2026-11-24T10:15:30Zjunk", "2026-13-45T10:15:30Z"})
    EXPECT_FALSE(parseTime(text)) << text;
}

}  // namespace
}  // namespace fieldlink::sdk

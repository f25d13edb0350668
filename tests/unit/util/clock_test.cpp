#include "util/clock.hpp"

#include <random>

#include <gtest/gtest.h>
#include <fieldlink/sdk/time.hpp>

namespace fieldlink {
namespace {

TEST(Rfc3339, FormatsAsTheSdkDoes) {
  // Days around leap years, month ends and centuries, then random times up to 2199.
  for (const std::int64_t ms : {0LL, 951782400000LL, 951868799999LL, 4107542399999LL,
                                1709164800123LL, 1735689599999LL, 7258118400000LL})
    EXPECT_EQ(formatRfc3339(fromEpochMs(ms)), sdk::formatTime(fromEpochMs(ms))) << ms;
  std::mt19937_64 random(17);
  std::uniform_int_distribution<std::int64_t> any(0, 7258118399999LL);
  for (int i = 0; i < 20000; ++i) {
    const TimePoint t = fromEpochMs(any(random));
    ASSERT_EQ(formatRfc3339(t), sdk::formatTime(t)) << toEpochMs(t);
  }
  EXPECT_EQ(formatRfc3339(fromEpochMs(1764633600123)), "2025-12-02T00:00:00.123Z");
}

TEST(Rfc3339, ReadsBackWhatItWrites) {
  const TimePoint t = fromEpochMs(1764633600123);
  EXPECT_EQ(parseRfc3339(formatRfc3339(t)), t);
}

}  // namespace
}  // namespace fieldlink

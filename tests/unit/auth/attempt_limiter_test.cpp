#include "auth/attempt_limiter.hpp"

#include <gtest/gtest.h>

namespace fieldlink {
namespace {

using namespace std::chrono_literals;
using Clock = AttemptLimiter::Clock;

TEST(AttemptLimiter, WaitsForTheEndOfTheWindowOnceTheLimitIsReached) {
  AttemptLimiter limiter(3, 60s);
  const Clock::time_point t0{};
  for (int i = 0; i < 2; ++i) limiter.record("alice", t0 + std::chrono::seconds(i));
  EXPECT_EQ(limiter.waitFor("alice", t0 + 2s), 0s);
  limiter.record("alice", t0 + 2s);
  EXPECT_EQ(limiter.waitFor("alice", t0 + 2s), 58s);
  EXPECT_EQ(limiter.waitFor("alice", t0 + 59500ms), 1s);  // rounded up
  EXPECT_EQ(limiter.waitFor("alice", t0 + 60s), 0s);
  EXPECT_EQ(limiter.waitFor("bob", t0 + 2s), 0s);
}

TEST(AttemptLimiter, ANewWindowStartsAfterTheOldOneAndForgetClears) {
  AttemptLimiter limiter(2, 10s);
  const Clock::time_point t0{};
  limiter.record("k", t0);
  limiter.record("k", t0 + 11s);  // the first window is over: this one starts afresh
  EXPECT_EQ(limiter.waitFor("k", t0 + 12s), 0s);
  limiter.record("k", t0 + 12s);
  EXPECT_EQ(limiter.waitFor("k", t0 + 12s), 9s);
  limiter.forget("k");
  EXPECT_EQ(limiter.waitFor("k", t0 + 12s), 0s);
}

TEST(AttemptLimiter, ExpiredKeysAreDroppedSoMemoryFollowsRecentAttempts) {
  AttemptLimiter limiter(1, 1s);
  const Clock::time_point t0{};
  for (int i = 0; i < 5000; ++i) limiter.record("old-" + std::to_string(i), t0);
  // Long after, a fresh flood: the old keys are swept as it grows, and still limited ones
  // stay limited.
  for (int i = 0; i < 5000; ++i) limiter.record("new-" + std::to_string(i), t0 + 10s);
  EXPECT_EQ(limiter.waitFor("new-4999", t0 + 10s), 1s);
  EXPECT_EQ(limiter.waitFor("old-0", t0 + 10s), 0s);
}

}  // namespace
}  // namespace fieldlink

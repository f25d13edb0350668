#include "util/work_queue.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

namespace fieldlink {
namespace {

TEST(WorkQueueTest, TasksUnderOneKeyRunInOrderOneAtATime) {
  constexpr int kKeys = 8;
  constexpr int kTasksPerKey = 500;
  std::mutex mutex;
  std::map<WorkQueue::Key, std::vector<int>> seen;
  std::atomic<int> running_per_key[kKeys] = {};
  std::atomic<bool> overlapped{false};
  std::atomic<int> done{0};
  std::promise<void> all_done;
  {
    WorkQueue queue(4, "test-worker");
    for (int i = 0; i < kTasksPerKey; ++i) {
      for (int key = 0; key < kKeys; ++key) {
        queue.post(key, [&, key, i] {
          if (running_per_key[key].fetch_add(1) != 0) overlapped = true;
          {
            std::lock_guard<std::mutex> lock(mutex);
            seen[key].push_back(i);
          }
          running_per_key[key].fetch_sub(1);
          if (done.fetch_add(1) + 1 == kKeys * kTasksPerKey) all_done.set_value();
        });
      }
    }
    all_done.get_future().wait();
  }
  EXPECT_FALSE(overlapped);
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kKeys));
  for (const auto& [key, order] : seen) {
    ASSERT_EQ(order.size(), static_cast<std::size_t>(kTasksPerKey)) << "key " << key;
    for (int i = 0; i < kTasksPerKey; ++i) EXPECT_EQ(order[i], i) << "key " << key;
  }
}

TEST(WorkQueueTest, ABlockedKeyDoesNotHoldUpOtherKeys) {
  WorkQueue queue(2, "test-worker");
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> other_ran;
  queue.post(1, [released] { released.wait(); });
  queue.post(1, [] {});
  queue.post(2, [&] { other_ran.set_value(); });
  // Key 2 runs while key 1 is stuck; if it did not, this wait would never end and the
  // test would time out rather than pass.
  other_ran.get_future().wait();
  EXPECT_TRUE(queue.busy(1));
  release.set_value();
}

TEST(WorkQueueTest, BusyWhileTasksWaitOrRunAndIdleAfter) {
  WorkQueue queue(1, "test-worker");
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> finished;
  EXPECT_FALSE(queue.busy(7));
  queue.post(7, [released] { released.wait(); });
  queue.post(7, [&] { finished.set_value(); });
  EXPECT_TRUE(queue.busy(7));
  release.set_value();
  finished.get_future().wait();
  // The key is released just after its last task returns.
  while (queue.busy(7)) std::this_thread::yield();
  EXPECT_FALSE(queue.busy(7));
}

TEST(WorkQueueTest, ATaskThatThrowsDoesNotStopItsKey) {
  WorkQueue queue(1, "test-worker");
  std::promise<void> next_ran;
  queue.post(3, [] { throw std::runtime_error("boom"); });
  queue.post(3, [&] { next_ran.set_value(); });
  next_ran.get_future().wait();
  SUCCEED();
}

}  // namespace
}  // namespace fieldlink

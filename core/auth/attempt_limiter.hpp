#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace fieldlink {

// Counts attempts per key (an account, an address) in fixed windows: once `limit` attempts
// fall in one window, the key waits for the window's end. Thread-safe. Keys whose window
// is over are dropped as new ones arrive, so memory follows the recent attempts only.
class AttemptLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  AttemptLimiter(int limit, std::chrono::seconds window);

  // How long `key` must wait before its next attempt; zero when it may go now.
  std::chrono::seconds waitFor(const std::string& key, Clock::time_point now) const;
  void record(const std::string& key, Clock::time_point now);
  void forget(const std::string& key);

 private:
  struct Window {
    Clock::time_point started;
    int attempts = 0;
  };
  void dropExpired(Clock::time_point now);

  const int limit_;
  const std::chrono::seconds window_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
  std::size_t prune_at_ = 1024;
};

}  // namespace fieldlink

#include "auth/attempt_limiter.hpp"

#include <algorithm>

namespace fieldlink {

AttemptLimiter::AttemptLimiter(int limit, std::chrono::seconds window)
    : limit_(limit), window_(window) {}

std::chrono::seconds AttemptLimiter::waitFor(const std::string& key, Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = windows_.find(key);
  if (it == windows_.end() || it->second.attempts < limit_) return std::chrono::seconds(0);
  const auto ends = it->second.started + window_;
  if (now >= ends) return std::chrono::seconds(0);
  // Rounded up, so a client that waits exactly this long is let in.
  return std::chrono::ceil<std::chrono::seconds>(ends - now);
}

void AttemptLimiter::record(const std::string& key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (windows_.size() >= prune_at_) dropExpired(now);
  Window& window = windows_[key];
  if (window.attempts == 0 || now >= window.started + window_) window = Window{now, 0};
  ++window.attempts;
}

void AttemptLimiter::forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  windows_.erase(key);
}

void AttemptLimiter::dropExpired(Clock::time_point now) {
  for (auto it = windows_.begin(); it != windows_.end();)
    it = now >= it->second.started + window_ ? windows_.erase(it) : std::next(it);
  // Amortised: the next sweep waits until the map has doubled past what is still live.
  prune_at_ = std::max<std::size_t>(1024, windows_.size() * 2);
}

}  // namespace fieldlink

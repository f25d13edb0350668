#include "metrics/instruments.hpp"

#include <algorithm>

namespace fieldlink::metrics {

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(bounds_.size() + 1) {}

void Histogram::observe(std::chrono::nanoseconds duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin();
  buckets_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(0, duration.count())),
                    std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot out;
  out.upper_bounds = bounds_;
  std::uint64_t running = 0;
  for (const auto& bucket : buckets_) {
    running += bucket.load(std::memory_order_relaxed);
    out.cumulative.push_back(running);
  }
  out.count = running;
  out.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
  return out;
}

std::vector<std::pair<int, std::uint64_t>> StatusCounter::nonZero() const {
  std::vector<std::pair<int, std::uint64_t>> out;
  for (std::size_t i = 0; i < counts_.size(); ++i)
    if (const auto n = counts_[i].value()) out.emplace_back(static_cast<int>(i) + 100, n);
  return out;
}

void LabelledCounter::add(const std::string& label) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++values_[label];
}

std::map<std::string, std::uint64_t> LabelledCounter::values() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return values_;
}

}  // namespace fieldlink::metrics

#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace fieldlink::metrics {

// Lock-free instruments for hot paths: increments are relaxed atomic adds, and a scrape
// reads each value once (a scrape may see one counter a little ahead of another).

class Counter {
 public:
  void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Durations in seconds, counted into fixed buckets (upper bounds, ascending).
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(std::chrono::nanoseconds duration);

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf last
    double sum_seconds = 0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  const std::vector<double> bounds_;
  std::vector<std::atomic<std::uint64_t>> buckets_;  // bounds_.size() + 1 (+Inf)
  std::atomic<std::uint64_t> sum_ns_{0};
};

// One counter per HTTP status code.
class StatusCounter {
 public:
  void add(int status) {
    if (status >= 100 && status < 600) counts_[status - 100].add();
  }
  // (status, count) for every status seen, ascending.
  std::vector<std::pair<int, std::uint64_t>> nonZero() const;

 private:
  std::array<Counter, 500> counts_;
};

// Counters keyed by a label value known only at run time (a plugin's name). For rare events:
// each add takes a lock.
class LabelledCounter {
 public:
  void add(const std::string& label);
  std::map<std::string, std::uint64_t> values() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> values_;
};

}  // namespace fieldlink::metrics

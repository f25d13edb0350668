#include "http/request_deadlines.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <vector>

#include <Poco/Logger.h>

namespace fieldlink {
namespace {

// Also how long a connection may wait in the queue for a worker held by an idle one.
constexpr auto kCheckEvery = std::chrono::milliseconds(100);

Poco::Logger& log() { return Poco::Logger::get("fieldlink.http"); }

// The connection served by this worker thread, if any.
struct Current {
  RequestDeadlines* deadlines = nullptr;
  std::uint64_t id = 0;
};
thread_local Current current;

}  // namespace

RequestDeadlines::RequestDeadlines(Limits limits, metrics::Counter* closed_counter,
                                   metrics::Counter* reclaimed_counter)
    : limits_(limits),
      closed_counter_(closed_counter),
      reclaimed_counter_(reclaimed_counter),
      thread_([this] { run(); }) {}

void RequestDeadlines::reclaimIdleWhenWaiting(std::function<std::size_t()> waiting) {
  std::lock_guard<std::mutex> lock(mutex_);
  waiting_ = std::move(waiting);
}

RequestDeadlines::~RequestDeadlines() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

RequestDeadlines::Watch::Watch(RequestDeadlines& deadlines, int fd, std::string peer)
    : deadlines_(deadlines) {
  {
    std::lock_guard<std::mutex> lock(deadlines.mutex_);
    id_ = deadlines.next_id_++;
    deadlines.entries_[id_] =
        Entry{fd, std::move(peer), Clock::time_point::max(), "", Clock::time_point::max()};
  }
  deadlines.set(id_, deadlines.limits_.headers, "request headers", false);
  current = Current{&deadlines, id_};
}

RequestDeadlines::Watch::~Watch() {
  current = Current{};
  // Under the lock, so the watch thread never shuts down a descriptor that, once this
  // connection closes it, may belong to someone else.
  std::lock_guard<std::mutex> lock(deadlines_.mutex_);
  deadlines_.entries_.erase(id_);
}

void RequestDeadlines::headersReceived() {
  if (!current.deadlines) return;
  const auto& limits = current.deadlines->limits_;
  current.deadlines->set(
      current.id,
      limits.request == Clock::duration::zero() ? Clock::duration::max() : limits.request,
      "the whole request and its answer", false);
}

void RequestDeadlines::answered() {
  if (!current.deadlines) return;
  const auto& limits = current.deadlines->limits_;
  current.deadlines->set(current.id, limits.idle + limits.headers, "the next request's headers",
                         true);
}

void RequestDeadlines::handedOver() {
  if (!current.deadlines) return;
  current.deadlines->set(current.id, Clock::duration::max(), "", false);
}

void RequestDeadlines::set(std::uint64_t id, Clock::duration from_now, const char* missing,
                           bool idle) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return;
  const auto now = Clock::now();
  it->second.deadline =
      from_now >= Clock::time_point::max() - now ? Clock::time_point::max() : now + from_now;
  it->second.missing = missing;
  it->second.idle_since = idle ? now : Clock::time_point::max();
}

void RequestDeadlines::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, kCheckEvery);
    closeLateConnections(Clock::now());
    // Asked under the lock, so that once the server clears it, it is never called again.
    // (The server's queue takes a lock of its own, and never calls in here holding it.)
    const std::size_t count = waiting_ ? waiting_() : 0;
    if (count > 0) reclaimIdle(count);
  }
}

void RequestDeadlines::closeLateConnections(Clock::time_point now) {
  for (auto& [id, entry] : entries_) {
    if (now < entry.deadline) continue;
    // Counted first: whoever sees the connection end (a test, a dashboard) sees it counted.
    if (closed_counter_) closed_counter_->add();
    entry.deadline = Clock::time_point::max();
    entry.idle_since = Clock::time_point::max();
    // The worker's blocked read returns, it sees the connection end, and is free again.
    ::shutdown(entry.fd, SHUT_RDWR);
    log().warning("closed the connection of %s: %s did not arrive in time", entry.peer,
                  std::string(entry.missing));
  }
}

void RequestDeadlines::reclaimIdle(std::size_t waiting) {
  std::vector<Entry*> idle;
  for (auto& [id, entry] : entries_)
    if (entry.idle_since != Clock::time_point::max()) idle.push_back(&entry);
  const std::size_t count = std::min(waiting, idle.size());
  std::partial_sort(idle.begin(), idle.begin() + static_cast<std::ptrdiff_t>(count), idle.end(),
                    [](const Entry* a, const Entry* b) { return a->idle_since < b->idle_since; });
  for (std::size_t i = 0; i < count; ++i) {
    Entry& entry = *idle[i];
    if (reclaimed_counter_) reclaimed_counter_->add();
    entry.idle_since = Clock::time_point::max();
    entry.deadline = Clock::time_point::max();
    ::shutdown(entry.fd, SHUT_RDWR);
  }
  if (count > 0)
    log().debug("closed %z idle keep-alive connection(s): %z waited for a worker", count, waiting);
}

}  // namespace fieldlink

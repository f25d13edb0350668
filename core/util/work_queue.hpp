#pragma once

#include <pthread.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <Poco/Logger.h>

namespace fieldlink {

// A few threads running queued tasks: where event-loop threads send work that may block
// (database reads and writes they need not wait for). Tasks posted under one key run one
// at a time, in the order they were posted; tasks under different keys run side by side.
// The hub keys by connection, so one connection's frames are handled in the order they
// arrived (two positions are stored in the order they were sent, and an error frame comes
// before the answer to any later frame).
class WorkQueue {
 public:
  using Key = std::uint64_t;

  // `thread_name` (15 characters at most) names the threads in ps and debuggers.
  WorkQueue(int threads, std::string thread_name) : thread_name_(std::move(thread_name)) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { run(); });
  }
  ~WorkQueue() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& worker : workers_) worker.join();
  }
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void post(Key key, std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto& waiting = pending_[key];
      waiting.push_back(std::move(task));
      // A key with earlier tasks is already ready or running; it picks this one up after.
      if (waiting.size() > 1) return;
      ready_.push_back(key);
    }
    wake_.notify_one();
  }

  // Whether tasks under `key` are waiting or running: work posted now would run after them.
  bool busy(Key key) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pending_.count(key) != 0;
  }

 private:
  void run() {
    pthread_setname_np(pthread_self(), thread_name_.c_str());
    for (;;) {
      Key key;
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
        if (ready_.empty()) return;
        key = ready_.front();
        ready_.pop_front();
        // The task stays at the front of its key's queue while it runs, so the key counts
        // as busy and later tasks under it wait.
        task = std::move(pending_[key].front());
      }
      try {
        task();
      } catch (const std::exception& e) {
        Poco::Logger::get("fieldlink.work").error("task threw: %s", std::string(e.what()));
      }
      bool more = false;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        auto found = pending_.find(key);
        found->second.pop_front();
        if (found->second.empty()) {
          pending_.erase(found);
        } else {
          ready_.push_back(
              key);  // behind other keys' work: one busy connection cannot starve the rest
          more = true;
        }
      }
      if (more) wake_.notify_one();
    }
  }

  const std::string thread_name_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::unordered_map<Key, std::deque<std::function<void()>>> pending_;
  std::deque<Key> ready_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace fieldlink

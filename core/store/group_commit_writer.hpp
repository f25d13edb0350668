#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "metrics/instruments.hpp"
#include "store/store.hpp"

namespace fieldlink {

// The SQL a backend runs around a batch. Savepoints isolate each unit of work, so one
// failing write rolls back alone while the rest of the batch commits.
class TransactionControl {
 public:
  virtual ~TransactionControl() = default;
  // False where a savepoint costs a round trip to a server: the writer then runs a batch
  // without them, and only if a unit of work fails, rolls it all back and runs it again with
  // a savepoint around each unit.
  virtual bool cheapSavepoints() const { return true; }
  virtual void begin() = 0;
  virtual void savepoint() = 0;
  virtual void releaseSavepoint() = 0;
  virtual void rollbackToSavepoint() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

// One writer thread that drains queued units of work into a single transaction: one
// durable commit (one fsync) for the whole batch instead of one per message. Completions
// run on a second thread, batch after batch in commit order, so that what they do (acks,
// fan-out) overlaps the next batch's commit instead of delaying it. A batch the database
// rolled back whole (TransactionAborted: a deadlock with another node) runs again, a few
// times, before its callers hear of it.
class GroupCommitWriter {
 public:
  using Work = std::function<void(StoreSession&)>;
  using Done = std::function<void(std::exception_ptr)>;

  // `session` and `control` belong to the writer thread from now on. `latency` (may be
  // null) observes each successful write from submission to durable commit.
  GroupCommitWriter(StoreSession& session, TransactionControl& control, std::size_t max_batch,
                    metrics::Histogram* latency = nullptr);
  ~GroupCommitWriter();  // finishes queued work, then stops

  void submit(Work work, Done done);
  // Blocks until `work` is committed; rethrows its exception. `after_commit` (may be null)
  // runs on the writer thread right after a successful commit.
  void run(const Work& work, const std::function<void()>& after_commit = nullptr);

 private:
  struct Job {
    Work work;
    Done done;
    std::exception_ptr error;
    std::chrono::steady_clock::time_point queued;
  };
  void loop();
  void runBatch(std::deque<Job>& batch);
  // One try at the batch: null when committed, else what made the whole batch fail. With
  // `isolated` false, no savepoints: the first unit that fails fails the batch
  // (UnitFailed), to be run again isolated.
  std::exception_ptr attemptBatch(std::deque<Job>& batch, bool isolated);
  struct UnitFailed {};
  static constexpr int kAttemptsAfterAbort = 5;
  void completionLoop();

  StoreSession& session_;
  TransactionControl& control_;
  const std::size_t max_batch_;
  metrics::Histogram* const latency_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;

  std::mutex completed_mutex_;
  std::condition_variable completed_wake_;
  std::deque<std::pair<std::deque<Job>, std::exception_ptr>> completed_;
  bool writer_done_ = false;

  std::thread thread_;
  std::thread completion_thread_;
};

}  // namespace fieldlink

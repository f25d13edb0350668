#include "store/group_commit_writer.hpp"

#include <pthread.h>

#include <future>

#include <Poco/Logger.h>

#include "store/store_errors.hpp"

namespace fieldlink {

GroupCommitWriter::GroupCommitWriter(StoreSession& session, TransactionControl& control,
                                     std::size_t max_batch, metrics::Histogram* latency)
    : session_(session),
      control_(control),
      max_batch_(max_batch),
      latency_(latency),
      thread_([this] { loop(); }),
      completion_thread_([this] { completionLoop(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  {
    std::lock_guard<std::mutex> lock(completed_mutex_);
    writer_done_ = true;
  }
  completed_wake_.notify_all();
  completion_thread_.join();
}

void GroupCommitWriter::completionLoop() {
  pthread_setname_np(pthread_self(), "fl-store-done");
  for (;;) {
    std::pair<std::deque<Job>, std::exception_ptr> finished;
    {
      std::unique_lock<std::mutex> lock(completed_mutex_);
      completed_wake_.wait(lock, [this] { return writer_done_ || !completed_.empty(); });
      if (completed_.empty()) return;  // the writer stopped and everything is told
      finished = std::move(completed_.front());
      completed_.pop_front();
    }
    auto& [batch, batch_error] = finished;
    const auto now = std::chrono::steady_clock::now();
    for (auto& job : batch) {
      const std::exception_ptr error = batch_error ? batch_error : job.error;
      if (latency_ && !error) latency_->observe(now - job.queued);
      try {
        job.done(error);
      } catch (const std::exception& e) {
        Poco::Logger::get("fieldlink.store")
            .error("write completion threw: %s", std::string(e.what()));
      }
    }
  }
}

void GroupCommitWriter::submit(Work work, Done done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(
        Job{std::move(work), std::move(done), nullptr, std::chrono::steady_clock::now()});
  }
  wake_.notify_one();
}

void GroupCommitWriter::run(const Work& work, const std::function<void()>& after_commit) {
  std::promise<void> committed;
  auto result = committed.get_future();
  submit(work, [&committed, &after_commit](std::exception_ptr error) {
    if (error) {
      committed.set_exception(error);
      return;
    }
    if (after_commit) {
      try {
        after_commit();
      } catch (const std::exception& e) {
        Poco::Logger::get("fieldlink.store")
            .error("after-commit action threw: %s", std::string(e.what()));
      }
    }
    committed.set_value();
  });
  result.get();
}

void GroupCommitWriter::loop() {
  pthread_setname_np(pthread_self(), "fl-store-writer");
  std::deque<Job> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    runBatch(batch);
    batch = std::deque<Job>();
  }
}

std::exception_ptr GroupCommitWriter::attemptBatch(std::deque<Job>& batch, bool isolated) {
  try {
    control_.begin();
    for (auto& job : batch) {
      if (!isolated) {
        try {
          job.work(session_);
        } catch (const TransactionAborted&) {
          throw;
        } catch (...) {
          throw UnitFailed{};  // what it wrote cannot be undone alone: the batch goes again
        }
        continue;
      }
      control_.savepoint();
      try {
        job.work(session_);
        control_.releaseSavepoint();
      } catch (const TransactionAborted&) {
        throw;  // the database rolled back the whole transaction, savepoints included
      } catch (...) {
        job.error = std::current_exception();
        control_.rollbackToSavepoint();
        control_.releaseSavepoint();
      }
    }
    control_.commit();
    return nullptr;
  } catch (...) {
    // The commit (or the transaction itself) failed: nothing of this batch is durable.
    const std::exception_ptr error = std::current_exception();
    try {
      control_.rollback();
    } catch (const std::exception& e) {
      Poco::Logger::get("fieldlink.store")
          .error("rollback after failed batch: %s", std::string(e.what()));
    }
    return error;
  }
}

void GroupCommitWriter::runBatch(std::deque<Job>& batch) {
  std::exception_ptr batch_error;
  bool isolated = control_.cheapSavepoints();
  for (int attempt = 1;; ++attempt) {
    batch_error = attemptBatch(batch, isolated);
    if (!batch_error) break;
    try {
      std::rethrow_exception(batch_error);
    } catch (const UnitFailed&) {
      // Rolled back whole, as if never run: now each unit alone, and the failing one fails
      // by itself. Not an attempt lost to the database.
      isolated = true;
      --attempt;
      for (auto& job : batch) job.error = nullptr;
      continue;
    } catch (...) {
    }
    if (attempt == kAttemptsAfterAbort) break;
    try {
      std::rethrow_exception(batch_error);
    } catch (const TransactionAborted& aborted) {
      // A deadlock with another node's batch: the database kept nothing of ours, so the
      // whole batch runs again (each unit of work is run as if for the first time).
      Poco::Logger::get("fieldlink.store")
          .warning("batch of %z rolled back by the database (%s); running it again", batch.size(),
                   aborted.why());
      for (auto& job : batch) job.error = nullptr;
      continue;
    } catch (...) {
      break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(completed_mutex_);
    completed_.emplace_back(std::move(batch), batch_error);
  }
  completed_wake_.notify_one();
}

}  // namespace fieldlink

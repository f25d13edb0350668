#include "store/group_commit_writer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <Poco/Data/SQLite/Connector.h>

#include "store/sqlite/sqlite_session.hpp"

namespace fieldlink {
namespace {

// Records the SQL the writer would run, to check the batching protocol itself.
class RecordingControl : public TransactionControl {
 public:
  void begin() override { log.push_back("begin"); }
  void savepoint() override { log.push_back("savepoint"); }
  void releaseSavepoint() override { log.push_back("release"); }
  void rollbackToSavepoint() override { log.push_back("rollback_to"); }
  void commit() override {
    log.push_back("commit");
    ++commits;
    if (fail_commit) throw std::runtime_error("disk full");
  }
  void rollback() override { log.push_back("rollback"); }
  bool cheapSavepoints() const override { return cheap; }
  std::vector<std::string> log;
  bool cheap = true;
  std::atomic<int> commits{0};
  bool fail_commit = false;
};

// The writer hands this session to the work; these tests' work does not use it.
StoreSession& noSession() {
  Poco::Data::SQLite::Connector::registerConnector();
  static sqlite::SqliteSession session(Poco::Data::Session("SQLite", ":memory:"));
  return session;
}

TEST(GroupCommitWriter, QueuedWorkIsCommittedTogether) {
  RecordingControl control;
  std::atomic<int> done{0};
  {
    std::mutex gate;
    std::unique_lock<std::mutex> hold(gate);
    GroupCommitWriter writer(noSession(), control, 100);
    // The first job blocks the writer so the next ones queue up behind it.
    writer.submit([&](StoreSession&) { std::lock_guard<std::mutex> wait(gate); },
                  [&](std::exception_ptr) { ++done; });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int i = 0; i < 10; ++i)
      writer.submit([](StoreSession&) {}, [&](std::exception_ptr) { ++done; });
    hold.unlock();
  }
  EXPECT_EQ(done.load(), 11);
  EXPECT_EQ(control.commits.load(), 2);  // the blocker alone, then the ten together
}

TEST(GroupCommitWriter, FailedCommitFailsEveryJobOfTheBatch) {
  RecordingControl control;
  control.fail_commit = true;
  GroupCommitWriter writer(noSession(), control, 100);
  EXPECT_THROW(writer.run([](StoreSession&) {}), std::runtime_error);
  EXPECT_EQ(control.log.back(), "rollback");
}

TEST(GroupCommitWriter, ThrowingWorkIsRolledBackToItsSavepoint) {
  RecordingControl control;
  GroupCommitWriter writer(noSession(), control, 100);
  EXPECT_THROW(writer.run([](StoreSession&) { throw std::logic_error("no"); }), std::logic_error);
  const std::vector<std::string> expected{"begin", "savepoint", "rollback_to", "release", "commit"};
  EXPECT_EQ(control.log, expected);
}

// A server's savepoints cost a round trip each: a batch runs without them, and only a batch
// in which some unit fails runs again with them.
TEST(GroupCommitWriter, WithDearSavepointsOnlyABatchWithAFailureIsRunAgainIsolated) {
  RecordingControl control;
  control.cheap = false;
  GroupCommitWriter writer(noSession(), control, 100);
  writer.run([](StoreSession&) {});
  EXPECT_EQ(control.log, (std::vector<std::string>{"begin", "commit"}));

  control.log.clear();
  std::mutex gate;
  std::unique_lock<std::mutex> hold(gate);
  std::atomic<int> runs_of_good{0};
  std::vector<std::exception_ptr> errors(3);
  std::atomic<int> done{0};
  // A blocker, so that the next three queue up and go in one batch.
  writer.submit([&](StoreSession&) { std::lock_guard<std::mutex> wait(gate); },
                [&](std::exception_ptr) { ++done; });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  writer.submit([&](StoreSession&) { ++runs_of_good; },
                [&](std::exception_ptr e) { errors[0] = e, ++done; });
  writer.submit([](StoreSession&) { throw std::logic_error("no"); },
                [&](std::exception_ptr e) { errors[1] = e, ++done; });
  writer.submit([&](StoreSession&) { ++runs_of_good; },
                [&](std::exception_ptr e) { errors[2] = e, ++done; });
  hold.unlock();
  while (done.load() < 4) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(errors[0]);
  ASSERT_TRUE(errors[1]);
  EXPECT_THROW(std::rethrow_exception(errors[1]), std::logic_error);
  EXPECT_FALSE(errors[2]);
  EXPECT_EQ(runs_of_good.load(), 3);  // the first ran, was rolled back with the batch, ran again
  const std::vector<std::string> expected{"begin",     "commit",    // the blocker
                                          "begin",     "rollback",  // the three, until one failed
                                          "begin",     "savepoint",   "release",
                                          "savepoint", "rollback_to", "release",
                                          "savepoint", "release",     "commit"};
  EXPECT_EQ(control.log, expected);
}

}  // namespace
}  // namespace fieldlink

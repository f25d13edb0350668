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
  std::vector<std::string> log;
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

}  // namespace
}  // namespace fieldlink

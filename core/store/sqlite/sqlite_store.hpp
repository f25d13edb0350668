#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/group_commit_writer.hpp"
#include "store/sqlite/sqlite_session.hpp"
#include "store/store.hpp"

namespace fieldlink::sqlite {

// The embedded store: one SQLite file in WAL mode. All writes go through one writer
// connection and are group-committed with synchronous=FULL, so an acknowledged write
// survives a crash or power loss; reads use a pool of read-only connections that WAL lets
// run beside the writer.
class SqliteStore final : public Store {
 public:
  struct Options {
    std::string path;
    std::size_t max_batch = 1024;
    metrics::Histogram* write_latency = nullptr;  // optional: submission to durable commit
    metrics::Histogram* read_latency = nullptr;   // optional
  };
  explicit SqliteStore(const Options& options);
  ~SqliteStore() override;

  // Whether SQLite runs without its per-connection mutexes (multi-thread mode), which the
  // first store of the process asks for; possible only before SQLite's first use in it.
  static bool connectionMutexesOff();

  void writeAsync(std::function<void(StoreSession&)> work,
                  std::function<void(std::exception_ptr)> done) override;

 protected:
  void runRead(const std::function<void(StoreSession&)>& work) override;
  void runWrite(const std::function<void(StoreSession&)>& work,
                const std::function<void()>& after_commit) override;

 private:
  class Transactions;
  std::unique_ptr<SqliteSession> openConnection(bool read_only) const;
  std::unique_ptr<SqliteSession> acquireReader();
  void releaseReader(std::unique_ptr<SqliteSession> reader);

  Options options_;
  std::unique_ptr<SqliteSession> writer_session_;
  std::unique_ptr<Transactions> transactions_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<SqliteSession>> idle_readers_;
};

}  // namespace fieldlink::sqlite

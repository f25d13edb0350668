#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "metrics/instruments.hpp"
#include "store/group_commit_writer.hpp"
#include "store/mysql/mysql_session.hpp"
#include "store/mysql/mysql_target.hpp"
#include "store/store.hpp"

namespace fieldlink::mysql {

// The production store on MySQL or MariaDB (Connector/C++ 1.1), for one node or several
// sharing one database. Writes go through one writer connection per node and are
// group-committed as on SQLite; reads use a pool of connections. A lost server makes calls
// fail with Unavailable (503) at once rather than hang; the next call connects again, so
// service resumes by itself when the database is back. Nothing is acknowledged before
// InnoDB has committed it.
class MysqlStore final : public Store {
 public:
  struct Options {
    MysqlTarget target;
    std::size_t max_batch = 1024;
    std::size_t max_idle_readers = 16;
    metrics::Histogram* write_latency = nullptr;
    metrics::Histogram* read_latency = nullptr;
  };
  // Connects and migrates; throws Unavailable when the database cannot be reached.
  explicit MysqlStore(const Options& options);
  ~MysqlStore() override;

  void writeAsync(std::function<void(StoreSession&)> work,
                  std::function<void(std::exception_ptr)> done) override;

 protected:
  void runRead(const std::function<void(StoreSession&)>& work) override;
  void runWrite(const std::function<void(StoreSession&)>& work,
                const std::function<void()>& after_commit) override;

 private:
  class Transactions;
  std::function<void(StoreSession&)> translated(std::function<void(StoreSession&)> work);
  std::unique_ptr<MysqlSession> acquireReader();
  void releaseReader(std::unique_ptr<MysqlSession> reader);
  void forgetIdleReaders();

  Options options_;
  std::unique_ptr<MysqlSession> writer_session_;
  std::unique_ptr<Transactions> transactions_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<MysqlSession>> idle_readers_;
};

}  // namespace fieldlink::mysql

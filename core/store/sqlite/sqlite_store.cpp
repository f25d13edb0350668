#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <Poco/Data/SQLite/Connector.h>

#include "store/sqlite/migrations.hpp"

namespace fieldlink::sqlite {

using namespace Poco::Data::Keywords;

// SQLite's per-connection mutexes and the global one of its allocation statistics cost about
// 6% of the server's CPU at full load. They can go: the writer's connection is used by the
// writer thread alone, and a reader by the one thread that took it from the pool.
bool SqliteStore::connectionMutexesOff() {
  static const bool off = sqlite3_config(SQLITE_CONFIG_MULTITHREAD) == SQLITE_OK &&
                          sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  return off;
}

class SqliteStore::Transactions final : public TransactionControl {
 public:
  explicit Transactions(SqliteSession& session) : session_(session) {}
  void begin() override { session_.execute("BEGIN IMMEDIATE"); }
  void savepoint() override { session_.execute("SAVEPOINT unit"); }
  void releaseSavepoint() override { session_.execute("RELEASE unit"); }
  void rollbackToSavepoint() override { session_.execute("ROLLBACK TO unit"); }
  void commit() override {
    session_.refreshLastMessageIds();
    session_.execute("COMMIT");
  }
  void rollback() override {
    session_.forgetAppends();
    session_.execute("ROLLBACK");
  }

 private:
  SqliteSession& session_;
};

SqliteStore::SqliteStore(const Options& options) : options_(options) {
  connectionMutexesOff();  // before SQLite's first use
  Poco::Data::SQLite::Connector::registerConnector();
  writer_session_ = openConnection(false);
  auto& db = writer_session_->connection();
  db << "PRAGMA journal_mode = WAL", now;
  migrate(db);
  transactions_ = std::make_unique<Transactions>(*writer_session_);
  writer_ = std::make_unique<GroupCommitWriter>(*writer_session_, *transactions_,
                                                options_.max_batch, options_.write_latency);
}

SqliteStore::~SqliteStore() {
  writer_.reset();  // drains queued writes before the connection closes
}

std::unique_ptr<SqliteSession> SqliteStore::openConnection(bool read_only) const {
  auto session = std::make_unique<SqliteSession>(Poco::Data::Session("SQLite", options_.path));
  auto& db = session->connection();
  db << "PRAGMA busy_timeout = 5000", now;
  db << "PRAGMA foreign_keys = ON", now;
  // FULL: the WAL is synced at every commit, so what was acknowledged is on disk.
  db << "PRAGMA synchronous = FULL", now;
  if (read_only) db << "PRAGMA query_only = ON", now;
  return session;
}

std::unique_ptr<SqliteSession> SqliteStore::acquireReader() {
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  return openConnection(true);
}

void SqliteStore::releaseReader(std::unique_ptr<SqliteSession> reader) {
  std::lock_guard<std::mutex> lock(readers_mutex_);
  idle_readers_.push_back(std::move(reader));
}

void SqliteStore::runRead(const std::function<void(StoreSession&)>& work) {
  const auto started = std::chrono::steady_clock::now();
  auto reader = acquireReader();
  try {
    work(*reader);
  } catch (...) {
    releaseReader(std::move(reader));
    throw;
  }
  releaseReader(std::move(reader));
  if (options_.read_latency)
    options_.read_latency->observe(std::chrono::steady_clock::now() - started);
}

void SqliteStore::runWrite(const std::function<void(StoreSession&)>& work,
                           const std::function<void()>& after_commit) {
  writer_->run(work, after_commit);
}

void SqliteStore::writeAsync(std::function<void(StoreSession&)> work,
                             std::function<void(std::exception_ptr)> done) {
  writer_->submit(std::move(work), std::move(done));
}

}  // namespace fieldlink::sqlite

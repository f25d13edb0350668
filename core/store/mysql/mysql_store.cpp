#include "store/mysql/mysql_store.hpp"

#include <Poco/Logger.h>

#include "store/mysql/mysql_errors.hpp"
#include "store/mysql/mysql_migrations.hpp"

namespace fieldlink::mysql {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("fieldlink.store"); }

}  // namespace

// Transaction control on the writer's connection. A connection found lost is replaced when
// the next batch begins, so one outage costs the batches that ran into it and no more.
class MysqlStore::Transactions final : public TransactionControl {
 public:
  explicit Transactions(MysqlSession& session) : session_(session) {}

  void begin() override {
    session_.transactionEnded();
    if (session_.lost()) guarded("reconnect", [&] { session_.reconnect(); });
    try {
      session_.execute("START TRANSACTION");
    } catch (const sql::SQLException& e) {
      if (classify(e) != ErrorKind::ConnectionLost) throwStoreError(e, "begin");
      // An idle connection the server dropped (a restart, wait_timeout): nothing of this
      // batch has run yet, so connect again and carry on.
      guarded("reconnect", [&] { session_.reconnect(); });
      guarded("begin", [&] { session_.execute("START TRANSACTION"); });
    }
  }
  // Each costs a round trip: batches run without them unless a unit of work fails.
  bool cheapSavepoints() const override { return false; }
  void savepoint() override {
    guarded("savepoint", [&] { session_.execute("SAVEPOINT unit"); });
  }
  // Nothing to send: the next SAVEPOINT of the same name replaces this one, and the commit
  // ends them all. One round trip less per unit of work.
  void releaseSavepoint() override {}
  void rollbackToSavepoint() override {
    guarded("rollback to savepoint", [&] { session_.execute("ROLLBACK TO SAVEPOINT unit"); });
  }
  void commit() override {
    guarded("commit", [&] {
      session_.refreshLastMessageIds();
      session_.execute("COMMIT");
    });
    session_.transactionEnded();
  }
  void rollback() override {
    session_.transactionEnded();
    if (session_.lost()) return;  // the server has rolled it back already
    guarded("rollback", [&] { session_.execute("ROLLBACK"); });
  }

  template <class Action>
  void guarded(const char* what, Action&& action) {
    try {
      action();
    } catch (const sql::SQLException& e) {
      if (classify(e) == ErrorKind::ConnectionLost) session_.markLost();
      throwStoreError(e, what);
    }
  }

 private:
  MysqlSession& session_;
};

MysqlStore::MysqlStore(const Options& options) : options_(options) {
  try {
    writer_session_ = std::make_unique<MysqlSession>(options_.target, false);
    migrate(writer_session_->connection());
  } catch (const sql::SQLException& e) {
    logger().error("cannot open the MySQL store at %s: %s", options_.target.describe(),
                   std::string(e.what()));
    throwStoreError(e, "opening " + options_.target.describe());
  }
  transactions_ = std::make_unique<Transactions>(*writer_session_);
  writer_ = std::make_unique<GroupCommitWriter>(*writer_session_, *transactions_,
                                                options_.max_batch, options_.write_latency);
}

MysqlStore::~MysqlStore() {
  writer_.reset();  // drains queued writes before the connection closes
}

std::function<void(StoreSession&)> MysqlStore::translated(std::function<void(StoreSession&)> work) {
  return [this, work = std::move(work)](StoreSession& session) {
    try {
      work(session);
    } catch (const sql::SQLException& e) {
      if (classify(e) == ErrorKind::ConnectionLost) writer_session_->markLost();
      throwStoreError(e, "write");
    }
  };
}

void MysqlStore::runWrite(const std::function<void(StoreSession&)>& work,
                          const std::function<void()>& after_commit) {
  writer_->run(translated(work), after_commit);
}

void MysqlStore::writeAsync(std::function<void(StoreSession&)> work,
                            std::function<void(std::exception_ptr)> done) {
  writer_->submit(translated(std::move(work)), std::move(done));
}

std::unique_ptr<MysqlSession> MysqlStore::acquireReader() {
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  try {
    return std::make_unique<MysqlSession>(options_.target, true);
  } catch (const sql::SQLException& e) {
    throwStoreError(e, "connect");
  }
}

void MysqlStore::releaseReader(std::unique_ptr<MysqlSession> reader) {
  std::lock_guard<std::mutex> lock(readers_mutex_);
  if (idle_readers_.size() < options_.max_idle_readers) idle_readers_.push_back(std::move(reader));
}

void MysqlStore::forgetIdleReaders() {
  std::lock_guard<std::mutex> lock(readers_mutex_);
  idle_readers_.clear();
}

void MysqlStore::runRead(const std::function<void(StoreSession&)>& work) {
  const auto started = std::chrono::steady_clock::now();
  // A read may meet a pooled connection the server dropped while it sat idle; reads change
  // nothing, so it runs once more on a fresh connection before the caller hears of it.
  for (int attempt = 1;; ++attempt) {
    auto reader = acquireReader();
    try {
      work(*reader);
      releaseReader(std::move(reader));
      break;
    } catch (const sql::SQLException& e) {
      const bool lost = classify(e) == ErrorKind::ConnectionLost;
      if (lost) forgetIdleReaders();
      if (lost && attempt == 1) continue;
      if (!lost) releaseReader(std::move(reader));
      throwStoreError(e, "read");
    } catch (...) {
      releaseReader(std::move(reader));
      throw;
    }
  }
  if (options_.read_latency)
    options_.read_latency->observe(std::chrono::steady_clock::now() - started);
}

}  // namespace fieldlink::mysql

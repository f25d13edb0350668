#include "store/sqlite/online_backup.hpp"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>

namespace fieldlink::sqlite {
namespace {

constexpr int kBusyWaitMs = 20;

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;

Database open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  Database owned(db);
  if (rc != SQLITE_OK)
    throw std::runtime_error("cannot open " + path + ": " +
                             (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(db, 5000);
  return owned;
}

}  // namespace

void backupDatabase(const std::string& from, const std::string& to) {
  Database source = open(from, SQLITE_OPEN_READONLY);
  Database target = open(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE);
  sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
  if (!backup)
    throw std::runtime_error("backup not started: " + std::string(sqlite3_errmsg(target.get())));
  // All pages in one step, inside one read transaction: a consistent snapshot that WAL lets
  // the server's writer work beside. Copying in smaller steps would restart after every
  // write by the server and might never finish under load.
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(kBusyWaitMs);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE)
    throw std::runtime_error("backup failed: " + std::string(sqlite3_errstr(rc)));
  target.reset();
  checkDatabase(to);
}

void checkDatabase(const std::string& path) {
  Database db = open(path, SQLITE_OPEN_READONLY);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db.get(), "PRAGMA integrity_check", -1, &statement, nullptr) != SQLITE_OK)
    throw std::runtime_error(path + " is not a database: " + sqlite3_errmsg(db.get()));
  std::string verdict;
  if (sqlite3_step(statement) == SQLITE_ROW)
    verdict = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  sqlite3_finalize(statement);
  if (verdict != "ok") throw std::runtime_error(path + " fails its integrity check: " + verdict);
}

}  // namespace fieldlink::sqlite

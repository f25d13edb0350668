#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fieldlink::testing {

// The MySQL/MariaDB server the suite runs against, when it does: FIELDLINK_TEST_MYSQL holds
// its URL without a database (scripts/test.sh starts a MariaDB and sets it). Unset, the
// suite runs on SQLite.
std::optional<std::string> mysqlTestServer();

// Skips a test that is about the SQLite store itself (its file, its backups).
#define FIELDLINK_SQLITE_ONLY()                                               \
  do {                                                                        \
    if (::fieldlink::testing::mysqlTestServer())                              \
      GTEST_SKIP() << "about the SQLite store; this run is on MySQL/MariaDB"; \
  } while (false)

// A database of its own on the test server, dropped when this goes.
class ScratchDatabase {
 public:
  explicit ScratchDatabase(const std::string& server_url);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  // mysql://USER:PASSWORD@HOST:PORT/NAME, for store.mysql.url.
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  // Runs SQL on it (test set-up and inspection).
  void execute(const std::string& sql) const;
  // A query's rows, every value as text ("" for NULL).
  std::vector<std::vector<std::string>> query(const std::string& sql) const;

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

}  // namespace fieldlink::testing

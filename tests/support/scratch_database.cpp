#include "support/scratch_database.hpp"

#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>

#include "store/mysql/mysql_session.hpp"
#include "store/mysql/mysql_target.hpp"

namespace fieldlink::testing {
namespace {

std::unique_ptr<sql::Connection> connectToServer(const std::string& server_url,
                                                 const std::string& database) {
  mysql::MysqlTarget target = mysql::parseMysqlUrl(server_url + database);
  return mysql::connectTo(target);
}

}  // namespace

std::optional<std::string> mysqlTestServer() {
  const char* url = std::getenv("FIELDLINK_TEST_MYSQL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  std::string server(url);
  if (server.back() != '/') server += '/';
  return server;
}

ScratchDatabase::ScratchDatabase(const std::string& server_url) : server_url_(server_url) {
  static std::atomic<int> counter{0};
  std::random_device random;
  name_ = "fl_t" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
          std::to_string(random() % 100000);
  auto connection = connectToServer(server_url_, "mysql");
  std::unique_ptr<sql::Statement> statement(connection->createStatement());
  statement->execute("CREATE DATABASE " + name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  url_ = server_url_ + name_;
}

ScratchDatabase::~ScratchDatabase() {
  try {
    auto connection = connectToServer(server_url_, "mysql");
    std::unique_ptr<sql::Statement> statement(connection->createStatement());
    statement->execute("DROP DATABASE IF EXISTS " + name_);
  } catch (const std::exception&) {
    // The server may be down on purpose (a fault test); its folder goes after the suite.
  }
}

void ScratchDatabase::execute(const std::string& sql) const {
  auto connection = connectToServer(server_url_, name_);
  std::unique_ptr<sql::Statement> statement(connection->createStatement());
  statement->execute(sql);
}

std::vector<std::vector<std::string>> ScratchDatabase::query(const std::string& sql) const {
  auto connection = connectToServer(server_url_, name_);
  std::unique_ptr<sql::Statement> statement(connection->createStatement());
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(sql));
  const unsigned columns = rows->getMetaData()->getColumnCount();
  std::vector<std::vector<std::string>> out;
  while (rows->next()) {
    auto& row = out.emplace_back();
    for (unsigned i = 1; i <= columns; ++i)
      row.push_back(rows->isNull(i) ? "" : std::string(rows->getString(i)));
  }
  return out;
}

}  // namespace fieldlink::testing

// The SQLite and MySQL migrations are written twice (issue 19 will write them once): this
// checks they describe one schema. After both stores have migrated a fresh database, every
// table has the same columns on both, each nullable on both or on neither, so that a row one
// backend takes the other takes too.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "store/mysql/mysql_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/scratch_database.hpp"
#include "support/temp_dir.hpp"

namespace fieldlink {
namespace {

// table -> column -> whether it takes NULL
using Schema = std::map<std::string, std::map<std::string, bool>>;

// The stores' own bookkeeping, kept differently on purpose.
bool isBookkeeping(const std::string& table) { return table == "schema_migrations"; }

Schema sqliteSchema(const std::string& path) {
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session session("SQLite", path);
  Schema out;
  std::vector<std::string> tables;
  session << "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      Poco::Data::Keywords::into(tables), Poco::Data::Keywords::now;
  for (const auto& table : tables) {
    if (isBookkeeping(table)) continue;
    Poco::Data::Statement select(session);
    select << "PRAGMA table_info(" + table + ")";
    select.execute();
    Poco::Data::RecordSet rows(select);
    for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
      // An INTEGER PRIMARY KEY is the rowid: never NULL, whatever notnull says.
      const bool not_null = rows["notnull"].convert<int>() != 0 || rows["pk"].convert<int>() != 0;
      out[table][rows["name"].convert<std::string>()] = !not_null;
    }
  }
  return out;
}

Schema mysqlSchema(const testing::ScratchDatabase& database) {
  Schema out;
  for (const auto& row :
       database.query("SELECT TABLE_NAME, COLUMN_NAME, IS_NULLABLE FROM information_schema.COLUMNS "
                      "WHERE TABLE_SCHEMA = DATABASE()")) {
    if (isBookkeeping(row.at(0))) continue;
    out[row.at(0)][row.at(1)] = row.at(2) == "YES";
  }
  return out;
}

TEST(MysqlSchema, HasSqlitesTablesColumnsAndNullability) {
  const auto server = testing::mysqlTestServer();
  if (!server) GTEST_SKIP() << "needs MySQL/MariaDB (FIELDLINK_TEST_MYSQL)";
  testing::TempDir dir;
  { sqlite::SqliteStore migrated(sqlite::SqliteStore::Options{dir.file("db.sqlite"), 8}); }
  testing::ScratchDatabase database(*server);
  {
    mysql::MysqlStore migrated(mysql::MysqlStore::Options{mysql::parseMysqlUrl(database.url()), 8});
  }
  const Schema lite = sqliteSchema(dir.file("db.sqlite"));
  const Schema my = mysqlSchema(database);
  ASSERT_GT(lite.size(), 5u);
  for (const auto& [table, columns] : lite) {
    ASSERT_TRUE(my.count(table)) << "table " << table << " only on SQLite";
    for (const auto& [column, nullable] : columns) {
      ASSERT_TRUE(my.at(table).count(column)) << table << "." << column << " only on SQLite";
      EXPECT_EQ(my.at(table).at(column), nullable) << table << "." << column << " takes NULL on "
                                                   << (nullable ? "SQLite" : "MySQL") << " only";
    }
  }
  for (const auto& [table, columns] : my) {
    ASSERT_TRUE(lite.count(table)) << "table " << table << " only on MySQL";
    for (const auto& [column, nullable] : columns)
      EXPECT_TRUE(lite.at(table).count(column)) << table << "." << column << " only on MySQL";
  }
}

}  // namespace
}  // namespace fieldlink

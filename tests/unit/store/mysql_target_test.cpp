#include "store/mysql/mysql_target.hpp"

#include <gtest/gtest.h>

#include "store/mysql/mysql_session.hpp"

#include <Poco/Exception.h>

namespace fieldlink::mysql {
namespace {

TEST(MysqlTarget, ReadsEveryPartOfTheUrl) {
  const MysqlTarget t = parseMysqlUrl("mysql://fl:s%40cret%3Apw@db.internal:3307/fieldlink");
  EXPECT_EQ(t.user, "fl");
  EXPECT_EQ(t.password, "s@cret:pw");
  EXPECT_EQ(t.host, "db.internal");
  EXPECT_EQ(t.port, 3307);
  EXPECT_EQ(t.database, "fieldlink");
  EXPECT_EQ(t.describe(), "fl@db.internal:3307/fieldlink");  // never the password
}

TEST(MysqlTarget, DefaultsToPort3306AndNoPassword) {
  const MysqlTarget t = parseMysqlUrl("mysql://fl@127.0.0.1/fl");
  EXPECT_EQ(t.port, 3306);
  EXPECT_EQ(t.password, "");
}

TEST(MysqlTarget, RefusesUrlsThatNameNoDatabaseUserOrHost) {
  for (const char* url :
       {"", "mysql://fl@127.0.0.1/", "mysql://fl@127.0.0.1", "mysql://127.0.0.1/fl",
        "postgres://fl@127.0.0.1/fl", "mysql://fl@127.0.0.1/a/b"})
    EXPECT_THROW(parseMysqlUrl(url), Poco::InvalidArgumentException) << url;
}

TEST(MysqlVersion, InsertReturningIsUsedOnMariaDb105AndLaterOnly) {
  EXPECT_TRUE(supportsInsertReturning("10.11.6-MariaDB-0+deb12u1"));
  EXPECT_TRUE(supportsInsertReturning("10.5.0-MariaDB"));
  EXPECT_TRUE(supportsInsertReturning("11.4.2-MariaDB-ubu2404"));
  EXPECT_FALSE(supportsInsertReturning("10.4.32-MariaDB"));
  EXPECT_FALSE(supportsInsertReturning("8.0.36"));  // MySQL
  EXPECT_FALSE(supportsInsertReturning("MariaDB"));
}

}  // namespace
}  // namespace fieldlink::mysql

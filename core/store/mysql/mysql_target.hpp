#pragma once

#include <chrono>
#include <string>

namespace fieldlink::mysql {

// Where the MySQL/MariaDB store lives, read from `store.mysql.url`:
//   mysql://USER:PASSWORD@HOST:PORT/DATABASE   (user and password percent-encoded)
// The password may also come from `store.mysql.password` (FIELDLINK_STORE_MYSQL_PASSWORD), so
// it need not sit in a URL that ends up in process listings or shell history.
struct MysqlTarget {
  std::string host;
  int port = 3306;
  std::string user;
  std::string password;
  std::string database;
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds io_timeout{30};

  // "user@host:port/database": what logs and errors may show (never the password).
  std::string describe() const;
};

// Throws Poco::InvalidArgumentException naming what is wrong with the URL.
MysqlTarget parseMysqlUrl(const std::string& url);

}  // namespace fieldlink::mysql

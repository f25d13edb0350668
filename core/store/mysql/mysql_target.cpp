#include "store/mysql/mysql_target.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace fieldlink::mysql {

std::string MysqlTarget::describe() const {
  return user + "@" + host + ":" + std::to_string(port) + "/" + database;
}

MysqlTarget parseMysqlUrl(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    throw Poco::InvalidArgumentException("store.mysql.url: " + e.message());
  }
  if (uri.getScheme() != "mysql" && uri.getScheme() != "mariadb")
    throw Poco::InvalidArgumentException(
        "store.mysql.url: expected mysql://USER:PASSWORD@HOST:PORT/DATABASE");
  MysqlTarget target;
  target.host = uri.getHost();
  if (target.host.empty()) throw Poco::InvalidArgumentException("store.mysql.url: no host");
  if (uri.getPort() != 0) target.port = uri.getPort();
  // Poco keeps the user information as written: decode each half after splitting at ':'.
  const std::string user_info = uri.getUserInfo();
  const auto colon = user_info.find(':');
  Poco::URI::decode(user_info.substr(0, colon), target.user);
  if (colon != std::string::npos) Poco::URI::decode(user_info.substr(colon + 1), target.password);
  if (target.user.empty()) throw Poco::InvalidArgumentException("store.mysql.url: no user");
  target.database = uri.getPath();
  if (!target.database.empty() && target.database.front() == '/') target.database.erase(0, 1);
  if (target.database.empty() || target.database.find('/') != std::string::npos)
    throw Poco::InvalidArgumentException("store.mysql.url: the path must name one database");
  return target;
}

}  // namespace fieldlink::mysql

#include "support/mariadb_server.hpp"

#include <stdexcept>

#include <Poco/String.h>

#include "support/server_process.hpp"
#include "support/shell.hpp"

namespace fieldlink::testing {
namespace {

const std::string kScript = std::string(FIELDLINK_SOURCE_DIR) + "/scripts/mariadb.sh";

}  // namespace

MariaDbServer::MariaDbServer() : port_(freeLoopbackPort()) { start(); }

MariaDbServer::~MariaDbServer() {
  try {
    stop();
  } catch (const std::exception&) {
  }
}

void MariaDbServer::start() {
  std::string output;
  if (runCapturing(dir_, {kScript, "start", dir_.file("server"), std::to_string(port_)}, output) !=
      0)
    throw std::runtime_error("cannot start MariaDB: " + output);
  // The script prints the URL last.
  const auto last_line = output.find_last_of('\n', output.size() - 2);
  url_ = Poco::trim(output.substr(last_line + 1));
  running_ = true;
}

void MariaDbServer::stop() {
  if (!running_) return;
  std::string output;
  if (runCapturing(dir_, {kScript, "stop", dir_.file("server")}, output) != 0)
    throw std::runtime_error("cannot stop MariaDB: " + output);
  running_ = false;
}

}  // namespace fieldlink::testing

#pragma once

#include <string>

#include "support/temp_dir.hpp"

namespace fieldlink::testing {

// A MariaDB server of the test's own (scripts/mariadb.sh), for tests that stop and start it:
// the shared one of the suite must stay up for the others.
class MariaDbServer {
 public:
  MariaDbServer();  // starts it on a free port
  ~MariaDbServer();
  void stop();
  void start();  // again, on the same port and data
  // mysql://USER:PASSWORD@127.0.0.1:PORT/ (append a database name).
  const std::string& url() const { return url_; }

 private:
  TempDir dir_;
  int port_ = 0;
  std::string url_;
  bool running_ = false;
};

}  // namespace fieldlink::testing

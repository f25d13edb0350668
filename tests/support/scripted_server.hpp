#pragma once

#include <string>

#include "support/temp_dir.hpp"

namespace fieldlink::testing {

// A server of the test's own, run by one of scripts/ (mariadb.sh, redis.sh: `start DIR PORT`
// prints the address last, `stop DIR`), for tests that stop and start it: the suite's shared
// servers must stay up for the other tests.
class ScriptedServer {
 public:
  explicit ScriptedServer(const std::string& script);  // starts it on a free port
  ~ScriptedServer();
  void stop();
  void start();  // again, on the same port and data
  // What the script printed: mysql://USER:PASSWORD@127.0.0.1:PORT/ for MariaDB (append a
  // database name), 127.0.0.1:PORT for Redis.
  const std::string& address() const { return address_; }

 private:
  std::string script_;
  TempDir dir_;
  int port_ = 0;
  std::string address_;
  bool running_ = false;
};

}  // namespace fieldlink::testing

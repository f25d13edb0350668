#pragma once

#include <string>

namespace fieldlink {

// An exclusive lock on a server's data (flock on `<database>.lock`), held while serving and
// while restoring, so two servers never share one database and a restore never runs under
// a live server. Released when the process ends, however it ends.
class DataLock {
 public:
  // Throws std::runtime_error when another process holds it.
  explicit DataLock(const std::string& database_path);
  ~DataLock();
  DataLock(const DataLock&) = delete;
  DataLock& operator=(const DataLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace fieldlink

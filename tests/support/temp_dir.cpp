#include "support/temp_dir.hpp"

#include <cstdlib>
#include <stdexcept>

#include <Poco/File.h>

namespace fieldlink::testing {

TempDir::TempDir() {
  char pattern[] = "/tmp/fieldlink-test-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  try {
    Poco::File(path_).remove(true);
  } catch (...) {
  }
}

}  // namespace fieldlink::testing

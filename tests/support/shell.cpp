#include "support/shell.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <Poco/File.h>

namespace fieldlink::testing {

int runCapturing(const TempDir& work, const std::vector<std::string>& command,
                 std::string& output) {
  std::string line;
  for (const auto& part : command) line += "'" + part + "' ";
  const std::string output_file = work.file("command.log");
  const int status = std::system((line + ">'" + output_file + "' 2>&1").c_str());
  std::ifstream in(output_file);
  std::stringstream text;
  text << in.rdbuf();
  output = line + "\n" + text.str();
  Poco::File(output_file).remove();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void runOrFail(const TempDir& work, const std::vector<std::string>& command) {
  std::string output;
  ASSERT_EQ(runCapturing(work, command, output), 0) << output;
}

}  // namespace fieldlink::testing

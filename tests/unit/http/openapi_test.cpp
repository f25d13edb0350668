// docs/openapi.yaml against the server's route table: every path and method of the API is
// described, and nothing is described that the server does not serve.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "http/routes.hpp"

namespace fieldlink {
namespace {

using Operation = std::pair<std::string, std::string>;  // path, METHOD

bool isApi(const std::string& path) {
  return path.rfind("/api/", 0) == 0 || path == "/healthz" || path == "/readyz" ||
         path == "/metrics";
}

// The `paths:` section's operations: a path two spaces in, its methods four spaces in.
std::set<Operation> described() {
  std::ifstream in(std::string(FIELDLINK_SOURCE_DIR) + "/docs/openapi.yaml");
  EXPECT_TRUE(in) << "docs/openapi.yaml";
  const std::regex path_line(R"(^  (/\S*):\s*$)");
  const std::regex method_line(R"(^    (get|put|post|delete|patch|head|options):\s*$)");
  std::set<Operation> out;
  bool in_paths = false;
  std::string path;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = line == "paths:";
    std::smatch m;
    if (!in_paths) continue;
    if (std::regex_match(line, m, path_line)) {
      path = m[1];
    } else if (!path.empty() && std::regex_match(line, m, method_line)) {
      std::string method = m[1];
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.insert({path, method});
    }
  }
  return out;
}

TEST(OpenApi, DescribesEveryOperationOfTheApiAndNoOther) {
  std::set<Operation> served;
  for (const auto& route : routeTable())
    if (isApi(route.path)) served.insert({route.path, route.method});
  const std::set<Operation> documented = described();
  ASSERT_GT(documented.size(), 20u) << "the paths: section was not found";
  for (const auto& [path, method] : served)
    EXPECT_TRUE(documented.count({path, method}))
        << "not in docs/openapi.yaml: " << method << ' ' << path;
  for (const auto& [path, method] : documented)
    EXPECT_TRUE(served.count({path, method}))
        << "in docs/openapi.yaml, not served: " << method << ' ' << path;
}

}  // namespace
}  // namespace fieldlink

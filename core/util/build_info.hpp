#pragma once

#include <string>

namespace fieldlink {

// What this fieldlinkd was built from and with: for `--version`, the startup log and the
// `fieldlink_build_info` metric, so an operator can tell which build answers, and a plugin
// author which compiler and SDK version a server wants.
struct BuildInfo {
  std::string version;   // the project's (CMake), "0.1.0"
  std::string commit;    // git, short; "-modified" for a tree with changes; "unknown" outside git
  std::string compiler;  // "gcc 12"
  std::string stdlib;    // "libstdc++ 20230528 (abi 1)"
  int sdk_api = 0;       // the plugin API version this server loads
  std::string poco;      // "1.11.0"
};

const BuildInfo& buildInfo();

// "fieldlinkd 0.1.0 (git 0369e06abcde)\nbuilt with gcc 12, libstdc++ ...\nSDK API 6, Poco 1.11.0"
std::string versionText();

}  // namespace fieldlink

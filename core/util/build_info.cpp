#include "util/build_info.hpp"

#include <Poco/Version.h>

#include <fieldlink/sdk/api_version.hpp>
#include <fieldlink/sdk/build_record.hpp>

#include "fieldlink_git_commit.hpp"  // generated at build time (cmake/git_commit.cmake)

namespace fieldlink {
namespace {

std::string pocoVersion() {
  // POCO_VERSION is 0xMMmmpp..: major, minor, patch in its top three bytes.
  return std::to_string((POCO_VERSION >> 24) & 0xFF) + "." +
         std::to_string((POCO_VERSION >> 16) & 0xFF) + "." +
         std::to_string((POCO_VERSION >> 8) & 0xFF);
}

}  // namespace

const BuildInfo& buildInfo() {
  static const BuildInfo info{FIELDLINK_VERSION,        FIELDLINK_GIT_COMMIT,
                              sdk::kThisBuild.compiler, sdk::kThisBuild.stdlib,
                              sdk::kApiVersion,         pocoVersion()};
  return info;
}

std::string versionText() {
  const BuildInfo& b = buildInfo();
  return "fieldlinkd " + b.version + " (git " + b.commit + ")\nbuilt with " + b.compiler + ", " +
         b.stdlib + "\nSDK API " + std::to_string(b.sdk_api) + ", Poco " + b.poco + "\n";
}

}  // namespace fieldlink

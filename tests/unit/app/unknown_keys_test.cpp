#include "app/unknown_keys.hpp"

#include <gtest/gtest.h>

namespace fieldlink {
namespace {

TEST(UnknownKeys, KnownKeysPluginSectionsAndLoggingPass) {
  EXPECT_TRUE(unknownKeys({"http.port", "data.dir", "plugins.enabled", "plugins.text.max_length",
                           "plugins.checklist.max_items", "logging.loggers.root.level"})
                  .empty());
}

TEST(UnknownKeys, ASlipNamesTheNearestKey) {
  EXPECT_EQ(unknownKeys({"http.prot"}),
            std::vector<std::string>{"unknown key 'http.prot' (did you mean 'http.port'?)"});
  EXPECT_EQ(
      unknownKeys({"plugins.enable"}),  // not a plugin's section: two parts only
      std::vector<std::string>{"unknown key 'plugins.enable' (did you mean 'plugins.enabled'?)"});
  EXPECT_EQ(
      unknownKeys({"auth.jwt_secrte"}),
      std::vector<std::string>{"unknown key 'auth.jwt_secrte' (did you mean 'auth.jwt_secret'?)"});
}

TEST(UnknownKeys, SomethingFarFromEveryKeyIsOnlyUnknown) {
  EXPECT_EQ(unknownKeys({"colour"}), std::vector<std::string>{"unknown key 'colour'"});
  EXPECT_EQ(unknownKeys({"http.port", "server.name"}),
            std::vector<std::string>{"unknown key 'server.name'"});
}

}  // namespace
}  // namespace fieldlink

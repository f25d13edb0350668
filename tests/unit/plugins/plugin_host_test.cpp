#include "plugins/plugin_host.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include <Poco/File.h>
#include <Poco/Util/MapConfiguration.h>
#include <fieldlink/sdk/testkit/fake_host.hpp>

#include "domain/errors.hpp"
#include "support/temp_dir.hpp"

namespace fieldlink {
namespace {

class PluginHostTest : public ::testing::Test {
 protected:
  PluginHostTest() : config(new Poco::Util::MapConfiguration) {
    // The real text plugin and the misbehaving fixtures, side by side in one folder.
    copy(std::string(FIELDLINK_PLUGIN_DIR) + "/text.so");
    for (const char* name :
         {"wrong_version", "other_compiler", "throwing", "start_fails", "misnamed"})
      copy(std::string(FIELDLINK_FIXTURE_PLUGIN_DIR) + "/" + name + ".so");
    std::ofstream(dir.file("garbage.so")) << "this is not an ELF file";
  }
  void copy(const std::string& from) { Poco::File(from).copyTo(dir.path()); }

  const PluginStatus* statusOf(const PluginHost& host, const std::string& name) {
    static std::vector<PluginStatus> all;
    all = host.status();
    for (const auto& s : all)
      if (s.name == name) return &s;
    return nullptr;
  }

  testing::TempDir dir;
  Poco::AutoPtr<Poco::Util::MapConfiguration> config;
  sdk::testkit::FakeStore store;
  EventBus bus;
};

TEST_F(PluginHostTest, LoadsTheTextPlugin) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"text"});
  EXPECT_TRUE(host.hasMessageType("text"));
  const auto* status = statusOf(host, "text");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, "loaded");
  EXPECT_EQ(status->kind, "message_type");
  EXPECT_EQ(status->api_version, sdk::kApiVersion);
}

TEST_F(PluginHostTest, GarbageFileIsReportedAndSkipped) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"garbage", "text"});
  EXPECT_TRUE(host.hasMessageType("text"));
  EXPECT_FALSE(host.hasMessageType("garbage"));
  EXPECT_EQ(statusOf(host, "garbage")->state, "failed");
  EXPECT_FALSE(statusOf(host, "garbage")->error.empty());
}

TEST_F(PluginHostTest, WrongApiVersionIsRefusedBeforeAnythingIsCalled) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"wrong_version"});  // its factory aborts if called
  const auto* status = statusOf(host, "wrong_version");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, "failed");
  EXPECT_NE(status->error.find("API version"), std::string::npos) << status->error;
  EXPECT_NE(status->error.find("rebuild"), std::string::npos);
}

TEST_F(PluginHostTest, PluginBuiltWithAnotherCompilerIsRefusedUncalled) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"other_compiler"});  // its factory aborts if called
  const auto* status = statusOf(host, "other_compiler");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, "failed");
  EXPECT_NE(status->error.find("gcc 4 and libstdc++ 20080306"), std::string::npos) << status->error;
  EXPECT_NE(status->error.find(sdk::kThisBuild.compiler), std::string::npos);
  EXPECT_NE(status->error.find("rebuild the plugin"), std::string::npos);
}

TEST_F(PluginHostTest, MissingFileIsReported) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"nonexistent"});
  EXPECT_NE(statusOf(host, "nonexistent")->error.find("no file"), std::string::npos);
}

TEST_F(PluginHostTest, ManifestNameMustMatchTheFile) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"misnamed"});
  EXPECT_EQ(statusOf(host, "misnamed")->state, "failed");
  EXPECT_FALSE(host.hasMessageType("impostor"));
}

TEST_F(PluginHostTest, PathLikeNamesAreRefused) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"../text", "text/../text"});
  EXPECT_FALSE(host.hasMessageType("../text"));
  for (const auto& s : host.status()) EXPECT_EQ(s.state, "failed");
}

TEST_F(PluginHostTest, ConfigurationErrorFromStartIsReportedWithTheKey) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"start_fails"});
  EXPECT_NE(statusOf(host, "start_fails")->error.find("plugins.start_fails.required_key"),
            std::string::npos);

  config->setString("plugins.start_fails.required_key", "yes");
  PluginHost configured(*config, store, bus);
  configured.loadAll(dir.path(), {"start_fails"});
  EXPECT_TRUE(configured.hasMessageType("start_fails"));
}

TEST_F(PluginHostTest, ThrowingPluginIsContained) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"throwing"});
  Poco::JSON::Object content;
  EXPECT_THROW(host.validate("throwing", content, {1, 1, {}}), PluginFailure);
  EXPECT_EQ(host.summary("throwing", content), "");
}

TEST_F(PluginHostTest, UnknownTypeIsInvalidInputWithItsCode) {
  PluginHost host(*config, store, bus);
  Poco::JSON::Object content;
  try {
    host.validate("text", content, {1, 1, {}});
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.code(), "unknown_message_type");
  }
}

TEST_F(PluginHostTest, EnabledTwiceLoadsOnce) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"text", "text"});
  int loaded = 0;
  for (const auto& s : host.status()) loaded += s.state == "loaded";
  EXPECT_EQ(loaded, 1);
}

}  // namespace
}  // namespace fieldlink

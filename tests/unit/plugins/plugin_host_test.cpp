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
    copy(std::string(FIELDLINK_PLUGIN_DIR) + "/video.so");
    for (const char* name :
         {"wrong_version", "other_compiler", "throwing", "throwing_stats", "throwing_notifier",
          "throws_on_create", "start_fails", "misnamed", "frame_claimer"})
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

  static Poco::JSON::Object::Ptr text(const std::string& words) {
    Poco::JSON::Object::Ptr content = new Poco::JSON::Object;
    content->set("text", words);
    return content;
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
  EXPECT_EQ(statusOf(host, "../text")->state, "failed");
  EXPECT_EQ(statusOf(host, "text/../text")->state, "failed");
  EXPECT_EQ(statusOf(host, "text")->state, "disabled");  // in the folder, not enabled
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

TEST_F(PluginHostTest, EnabledAndDisabledAtRunTime) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {});
  EXPECT_FALSE(host.hasMessageType("text"));
  EXPECT_EQ(statusOf(host, "text")->state, "disabled");

  EXPECT_EQ(host.enable("text").state, "loaded");
  EXPECT_TRUE(host.hasMessageType("text"));
  EXPECT_EQ(host.enable("text").state, "loaded");  // again: nothing changes
  EXPECT_EQ(statusOf(host, "text")->state, "loaded");

  EXPECT_EQ(host.disable("text").state, "disabled");
  EXPECT_FALSE(host.hasMessageType("text"));
  EXPECT_EQ(host.disable("text").state, "disabled");
  EXPECT_EQ(host.enable("text").state, "loaded");  // and back
  EXPECT_TRUE(host.hasMessageType("text"));
}

TEST_F(PluginHostTest, EnablingWhatIsNotThereOrDoesNotLoadIsRefused) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"text"});
  EXPECT_THROW(host.enable("nonexistent"), NotFound);
  EXPECT_THROW(host.enable("../text"), NotFound);
  EXPECT_THROW(host.disable("nonexistent"), NotFound);
  try {
    host.enable("wrong_version");
    FAIL() << "expected Conflict";
  } catch (const Conflict& e) {
    EXPECT_EQ(e.code(), "plugin_failed");
    EXPECT_NE(std::string(e.what()).find("API version"), std::string::npos) << e.what();
  }
  EXPECT_EQ(statusOf(host, "wrong_version")->state, "failed");
  EXPECT_EQ(host.disable("wrong_version").state, "disabled");  // forgets the failure
  EXPECT_TRUE(host.hasMessageType("text"));
}

TEST_F(PluginHostTest, ApplyStopsWhatIsGoneLoadsWhatIsNewAndKeepsTheRest) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"text", "start_fails"});
  EXPECT_EQ(statusOf(host, "start_fails")->state, "failed");

  Poco::AutoPtr<Poco::Util::MapConfiguration> reloaded(new Poco::Util::MapConfiguration);
  reloaded->setString("plugins.start_fails.required_key", "now set");
  host.apply({"start_fails", "throwing"}, *reloaded);
  EXPECT_FALSE(host.hasMessageType("text"));
  EXPECT_TRUE(host.hasMessageType("start_fails"));  // retried with the new section
  EXPECT_TRUE(host.hasMessageType("throwing"));
  EXPECT_EQ(statusOf(host, "text")->state, "disabled");
}

// Every entry point of every kind throws; the host answers for each and keeps the record.
TEST_F(PluginHostTest, ThrowsFromEveryEntryPointAreContainedAndRecorded) {
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(),
               {"throwing", "throwing_stats", "throwing_notifier", "throws_on_create", "text"});
  EXPECT_EQ(statusOf(host, "throws_on_create")->state, "failed");
  EXPECT_NE(statusOf(host, "throws_on_create")->error.find("boom from the constructor"),
            std::string::npos);

  Poco::JSON::Object content;
  EXPECT_THROW(host.validate("throwing", content, {1, 1, {}}), PluginFailure);
  EXPECT_EQ(host.summary("throwing", content), "");
  EXPECT_THROW(host.uploadLimit("throwing"), PluginFailure);  // uploads() throws
  bus.publish(sdk::Event{"message.created", 1, 1, nullptr, {}});
  const auto figures = host.stats({sdk::StatsScope::Kind::Conversation, {1}, 1});
  EXPECT_FALSE(figures->has("throwing_figure"));  // set, then thrown: nothing half-written
  host.notify(content);

  const auto message_type = *statusOf(host, "throwing");
  EXPECT_EQ(message_type.state, "loaded");
  EXPECT_EQ(message_type.runtime_errors, 3);
  EXPECT_EQ(message_type.last_error, "uploads(): boom from uploads");
  EXPECT_TRUE(message_type.last_error_at);
  EXPECT_EQ(statusOf(host, "throwing_stats")->runtime_errors, 2);  // on_event, query
  EXPECT_EQ(statusOf(host, "throwing_stats")->last_error, "query(): boom from query");
  EXPECT_EQ(statusOf(host, "throwing_notifier")->last_error, "deliver(): boom from deliver");

  // stop() throws too; the host still unloads them, and text was never disturbed.
  for (const char* name : {"throwing", "throwing_stats", "throwing_notifier"})
    EXPECT_EQ(host.disable(name).state, "disabled");
  EXPECT_EQ(host.validate("text", *text("still fine"), {1, 1, {}}).ok(), true);
}

TEST_F(PluginHostTest, ThrowsFromTheUploadPolicyAreContained) {
  config->setString("plugins.throwing.throw_from", "max_bytes,review");
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"throwing"});
  Poco::JSON::Object content;
  EXPECT_TRUE(host.validate("throwing", content, {1, 1, {}}).ok());
  EXPECT_THROW(host.uploadLimit("throwing"), PluginFailure);
  EXPECT_THROW(host.reviewUpload("throwing", sdk::MediaInfo{}, 10), PluginFailure);
  EXPECT_EQ(statusOf(host, "throwing")->runtime_errors, 2);
  EXPECT_EQ(statusOf(host, "throwing")->last_error, "review(): boom from review");
}

TEST_F(PluginHostTest, AThrowingStartIsALoadFailure) {
  config->setString("plugins.throwing.throw_from", "start");
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"throwing"});
  EXPECT_FALSE(host.hasMessageType("throwing"));
  EXPECT_NE(statusOf(host, "throwing")->error.find("boom from start"), std::string::npos)
      << statusOf(host, "throwing")->error;
}

TEST_F(PluginHostTest, APluginTakesTheFrameTypesItClaimsAndAnswersThroughTheBus) {
  config->setString("plugins.frame_claimer.types", "echo.ping, echo.refuse");
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"frame_claimer"});
  ASSERT_EQ(statusOf(host, "frame_claimer")->state, "loaded");
  EXPECT_TRUE(host.ownsFrame("echo.ping"));
  EXPECT_FALSE(host.ownsFrame("typing"));
  EXPECT_FALSE(host.ownsFrame("echo.other"));

  std::vector<std::pair<sdk::Event, Routing>> seen;
  const auto subscription =
      bus.subscribe([&](const sdk::Event& e, const Routing& r) { seen.emplace_back(e, r); });
  sdk::FrameSender from{42, "client", 7, 3};
  Poco::JSON::Object frame;
  frame.set("type", "echo.ping");
  host.onFrame("echo.ping", from, frame);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].first.type, "plugin.frame");
  EXPECT_EQ(seen[0].first.conversation_id, 3);
  EXPECT_EQ(seen[0].first.data->getValue<std::string>("of"), "echo.ping");
  EXPECT_EQ(seen[0].second.audience, std::vector<std::int64_t>{42});
  EXPECT_EQ(seen[0].second.only_connection, 7u);

  frame.set("refuse", true);
  try {
    host.onFrame("echo.ping", from, frame);
    FAIL() << "refused frames throw";
  } catch (const BadRequest& e) {
    EXPECT_EQ(e.code(), "refused_here");
  }
  bus.unsubscribe(subscription);

  host.disable("frame_claimer");
  EXPECT_FALSE(host.ownsFrame("echo.ping"));
}

TEST_F(PluginHostTest, AFrameTypeOfTheServersOrOfAnotherPluginIsRefusedAtLoad) {
  config->setString("plugins.frame_claimer.types", "typing");
  {
    PluginHost host(*config, store, bus);
    host.loadAll(dir.path(), {"frame_claimer"});
    EXPECT_EQ(statusOf(host, "frame_claimer")->state, "failed");
    EXPECT_NE(statusOf(host, "frame_claimer")->error.find("'typing', which is the server's own"),
              std::string::npos);
  }
  config->setString("plugins.frame_claimer.types", "call.invite");
  PluginHost host(*config, store, bus);
  host.loadAll(dir.path(), {"video", "frame_claimer"});
  EXPECT_EQ(statusOf(host, "video")->state, "loaded");
  EXPECT_NE(statusOf(host, "frame_claimer")->error.find("which the video plugin has"),
            std::string::npos);
  EXPECT_TRUE(host.ownsFrame("call.invite"));
}

}  // namespace
}  // namespace fieldlink

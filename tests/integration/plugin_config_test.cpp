// What operators do with plugins: leave one out, drop a broken file in the folder.
#include <gtest/gtest.h>

#include <fstream>

#include <Poco/File.h>

#include "support/scene.hpp"

namespace fieldlink::testing {
namespace {

TEST(PluginConfig, WithoutTextEnabledTextMessagesAreUnknownAndTheServerRunsOn) {
  ServerProcess::Options options;
  options.plugins_enabled = "";
  Scene scene(options);
  const auto r = scene.api.sendText(scene.client, scene.conversation_id, "hello");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "unknown_message_type");
  EXPECT_TRUE(scene.server.running());
  EXPECT_EQ(scene.api.http().get("/api/users/me/", scene.client).status, 200);
  const auto list = scene.api.http().get("/api/plugins/", scene.dispatcher).array();
  ASSERT_GT(list->size(), 0u);  // the folder's plugins, none of them loaded
  for (std::size_t i = 0; i < list->size(); ++i)
    EXPECT_EQ(list->getObject(i)->getValue<std::string>("state"), "disabled");
}

TEST(PluginConfig, GarbageInThePluginFolderIsReportedAndIgnored) {
  TempDir plugins;
  Poco::File(std::string(FIELDLINK_PLUGIN_DIR) + "/text.so").copyTo(plugins.path());
  std::ofstream(plugins.file("broken.so")) << "\x7f"
                                              "ELF but not really";
  ServerProcess::Options options;
  options.plugins_dir = plugins.path();
  options.plugins_enabled = "broken,text";
  Scene scene(options);
  EXPECT_EQ(scene.api.sendText(scene.client, scene.conversation_id, "still works").status, 201);
  const auto list = scene.api.http().get("/api/plugins/", scene.dispatcher).array();
  bool reported = false;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto p = list->getObject(i);
    if (p->getValue<std::string>("name") == "broken") {
      reported = true;
      EXPECT_EQ(p->getValue<std::string>("state"), "failed");
      EXPECT_FALSE(p->isNull("error"));
    }
  }
  EXPECT_TRUE(reported);
  EXPECT_NE(scene.server.log().find("plugin broken not loaded"), std::string::npos)
      << scene.server.log();
}

TEST(PluginConfig, APluginThatThrowsGivesAnErrorAndTheServerStaysUp) {
  TempDir plugins;
  Poco::File(std::string(FIELDLINK_PLUGIN_DIR) + "/text.so").copyTo(plugins.path());
  Poco::File(std::string(FIELDLINK_FIXTURE_PLUGIN_DIR) + "/throwing.so").copyTo(plugins.path());
  ServerProcess::Options options;
  options.plugins_dir = plugins.path();
  options.plugins_enabled = "text,throwing";
  Scene scene(options);
  const auto r =
      scene.api.http().post("/api/chat/messages/",
                            "{\"conversation_id\":" + std::to_string(scene.conversation_id) +
                                R"(,"message_type":"throwing","content":{}})",
                            scene.client);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.code(), "plugin_error");
  EXPECT_TRUE(scene.server.running());
  EXPECT_EQ(scene.api.sendText(scene.client, scene.conversation_id, "fine").status, 201);
  EXPECT_NE(scene.server.log().find("plugin throwing threw from validate()"), std::string::npos);
}

TEST(PluginConfig, PluginSectionsAreConfigurableFromTheEnvironment) {
  ServerProcess::Options options;
  options.env["FIELDLINK_PLUGINS_TEXT_MAX_LENGTH"] = "10";
  Scene scene(options);
  EXPECT_EQ(scene.api.sendText(scene.client, scene.conversation_id, "0123456789").status, 201);
  EXPECT_EQ(scene.api.sendText(scene.client, scene.conversation_id, "0123456789a").status, 400);
}

// A plugin enabled by a dispatcher while the server runs, or only through --set, reads its
// FIELDLINK_PLUGINS_* variables as one enabled in the configuration does.
TEST(PluginConfig, TheEnvironmentCountsForPluginsEnabledAtRunTimeOrThroughSet) {
  ServerProcess::Options at_run_time;
  at_run_time.plugins_enabled = "file";
  at_run_time.env["FIELDLINK_PLUGINS_TEXT_MAX_LENGTH"] = "10";
  Scene later(at_run_time);
  EXPECT_EQ(later.api.sendText(later.client, later.conversation_id, "short").status, 400)
      << "text is not enabled yet";
  ASSERT_EQ(later.api.http().post("/api/plugins/text/enable/", "{}", later.dispatcher).status, 200);
  EXPECT_EQ(later.api.sendText(later.client, later.conversation_id, "0123456789").status, 201);
  EXPECT_EQ(later.api.sendText(later.client, later.conversation_id, "0123456789a").status, 400);

  ServerProcess::Options through_set = at_run_time;
  through_set.extra_args = {"--set=plugins.enabled=text"};
  Scene set(through_set);
  EXPECT_EQ(set.api.sendText(set.client, set.conversation_id, "0123456789").status, 201);
  EXPECT_EQ(set.api.sendText(set.client, set.conversation_id, "0123456789a").status, 400);
}

}  // namespace
}  // namespace fieldlink::testing

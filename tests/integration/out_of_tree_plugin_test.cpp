// What an integrator does: install the SDK, build sdk/examples/checklist against it outside
// this tree, run its own test, and use it through the API of a running server.
#include <gtest/gtest.h>

#include <Poco/File.h>

#include "support/scene.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace fieldlink::testing {
namespace {

TEST(OutOfTree, ChecklistBuiltAgainstTheInstalledSdkIsUsedThroughTheApi) {
  TempDir work;
  const std::string prefix = work.file("prefix");
  const std::string build = work.file("build");
  ASSERT_NO_FATAL_FAILURE(runOrFail(
      work, {"cmake", "--install", FIELDLINK_BUILD_DIR, "--prefix", prefix, "--component", "sdk"}));
  ASSERT_TRUE(Poco::File(prefix + "/include/fieldlink/sdk/plugin.hpp").exists());
  // Only the installed SDK is visible to the build: no path into this source tree.
  ASSERT_NO_FATAL_FAILURE(
      runOrFail(work, {"cmake", "-S", std::string(FIELDLINK_SDK_EXAMPLES_DIR) + "/checklist", "-B",
                       build, "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_BUILD_TYPE=Release"}));
  ASSERT_NO_FATAL_FAILURE(runOrFail(work, {"cmake", "--build", build, "-j", "2"}));
  ASSERT_NO_FATAL_FAILURE(runOrFail(work, {"ctest", "--test-dir", build, "--output-on-failure"}));

  const std::string plugins = work.file("plugins");
  Poco::File(plugins).createDirectories();
  Poco::File(build + "/checklist.so").copyTo(plugins);
  Poco::File(std::string(FIELDLINK_PLUGIN_DIR) + "/text.so").copyTo(plugins);
  ServerProcess::Options options;
  options.plugins_dir = plugins;
  options.plugins_enabled = "text,checklist";
  options.env["FIELDLINK_PLUGINS_CHECKLIST_MAX_ITEMS"] = "3";
  Scene s(options);

  const auto listed = s.api.http().get("/api/plugins/", s.dispatcher).array();
  bool loaded = false;
  for (std::size_t i = 0; i < listed->size(); ++i)
    if (listed->getObject(i)->getValue<std::string>("name") == "checklist")
      loaded = listed->getObject(i)->getValue<std::string>("state") == "loaded";
  EXPECT_TRUE(loaded);

  const std::string conversation = std::to_string(s.conversation_id);
  const auto sent = s.api.http().post(
      "/api/chat/messages/",
      "{\"conversation_id\":" + conversation +
          R"(,"message_type":"checklist","content":{"title":"Before leaving","items":[{"text":"Water off","done":true},{"text":"Photos taken"}]}})",
      s.technician);
  ASSERT_EQ(sent.status, 201) << sent.body;
  const auto items = sent.object()->getObject("content")->getArray("items");
  ASSERT_EQ(items->size(), 2u);
  EXPECT_FALSE(items->getObject(1)->getValue<bool>("done"));

  // The plugin's configuration came from the server's environment: 4 items are too many.
  const auto refused = s.api.http().post(
      "/api/chat/messages/",
      "{\"conversation_id\":" + conversation +
          R"(,"message_type":"checklist","content":{"items":[{"text":"a"},{"text":"b"},{"text":"c"},{"text":"d"}]}})",
      s.technician);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("content.items"), std::string::npos) << refused.body;
}

}  // namespace
}  // namespace fieldlink::testing

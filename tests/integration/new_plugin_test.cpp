// The scaffolding an integrator starts from: the installed fieldlink-new-plugin makes one
// plugin of each kind; each builds against the installed SDK, passes its generated test, and
// works in a running server as generated.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <Poco/File.h>

#include "support/scene.hpp"
#include "support/shell.hpp"
#include "support/temp_dir.hpp"

namespace fieldlink::testing {
namespace {

std::string contentsOf(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(NewPlugin, RefusesBadNamesKindsAndExistingFolders) {
  TempDir work;
  const std::string script = std::string(FIELDLINK_SOURCE_DIR) + "/scripts/new-plugin.sh";
  std::string output;
  EXPECT_EQ(runCapturing(work, {script}, output), 2);
  EXPECT_EQ(runCapturing(work, {script, "Bad-Name", "stats", work.file("a")}, output), 2);
  EXPECT_NE(output.find("NAME must be"), std::string::npos) << output;
  EXPECT_EQ(runCapturing(work, {script, "fine", "widget", work.file("b")}, output), 2);
  EXPECT_NE(output.find("KIND must be"), std::string::npos) << output;
  EXPECT_EQ(runCapturing(work, {script, "fine", "stats", work.path()}, output), 2);
  EXPECT_NE(output.find("exists already"), std::string::npos) << output;
  EXPECT_FALSE(Poco::File(work.file("a")).exists());
  EXPECT_FALSE(Poco::File(work.file("b")).exists());
}

TEST(NewPlugin, EachKindScaffoldedBuildsPassesItsTestAndWorksInTheServer) {
  TempDir work;
  const std::string prefix = work.file("prefix");
  ASSERT_NO_FATAL_FAILURE(runOrFail(
      work, {"cmake", "--install", FIELDLINK_BUILD_DIR, "--prefix", prefix, "--component", "sdk"}));
  const std::string plugins = work.file("plugins");
  Poco::File(plugins).createDirectories();
  for (const auto& [name, kind] : std::vector<std::pair<std::string, std::string>>{
           {"site_note", "message_type"}, {"job_stats", "stats"}, {"job_log", "notifier"}}) {
    SCOPED_TRACE(kind);
    const std::string source = work.file(name);
    const std::string build = work.file(name + "-build");
    // The installed script, with the installed templates: nothing from this source tree.
    ASSERT_NO_FATAL_FAILURE(
        runOrFail(work, {prefix + "/bin/fieldlink-new-plugin", name, kind, source}));
    ASSERT_NO_FATAL_FAILURE(
        runOrFail(work, {"cmake", "-S", source, "-B", build, "-DCMAKE_PREFIX_PATH=" + prefix,
                         "-DCMAKE_BUILD_TYPE=Release"}));
    ASSERT_NO_FATAL_FAILURE(runOrFail(work, {"cmake", "--build", build, "-j", "2"}));
    ASSERT_NO_FATAL_FAILURE(runOrFail(work, {"ctest", "--test-dir", build, "--output-on-failure"}));
    Poco::File(build + "/" + name + ".so").copyTo(plugins);
  }

  Poco::File(std::string(FIELDLINK_PLUGIN_DIR) + "/text.so").copyTo(plugins);
  const std::string notifications = work.file("notifications.jsonl");
  ServerProcess::Options options;
  options.plugins_dir = plugins;
  options.plugins_enabled = "text,site_note,job_stats,job_log";
  options.env["FIELDLINK_PLUGINS_JOB_LOG_PATH"] = notifications;
  options.env["FIELDLINK_PLUGINS_SITE_NOTE_MAX_LENGTH"] = "20";
  Scene s(options);
  for (const char* name : {"site_note", "job_stats", "job_log"}) {
    const auto list = s.api.http().get("/api/plugins/", s.dispatcher).array();
    std::string state;
    for (std::size_t i = 0; i < list->size(); ++i)
      if (list->getObject(i)->getValue<std::string>("name") == name)
        state = list->getObject(i)->getValue<std::string>("state");
    EXPECT_EQ(state, "loaded") << name;
  }

  const std::string conversation = std::to_string(s.conversation_id);
  const auto note =
      s.api.http().post("/api/chat/messages/",
                        "{\"conversation_id\":" + conversation +
                            R"(,"message_type":"site_note","content":{"text":" Gate code 1234 "}})",
                        s.technician);
  ASSERT_EQ(note.status, 201) << note.body;
  EXPECT_EQ(note.object()->getObject("content")->getValue<std::string>("text"), "Gate code 1234");
  const auto too_long = s.api.http().post(
      "/api/chat/messages/",
      "{\"conversation_id\":" + conversation +
          R"(,"message_type":"site_note","content":{"text":"twenty-one characters"}})",
      s.technician);
  EXPECT_EQ(too_long.status, 400) << too_long.body;
  ASSERT_EQ(s.api.sendText(s.client, s.conversation_id, "Thanks").status, 201);

  const auto figures =
      s.api.http().get("/api/chat/stats/?request_id=" + std::to_string(s.request_id), s.client);
  ASSERT_EQ(figures.status, 200) << figures.body;
  EXPECT_EQ(figures.object()->getValue<int>("job_stats_messages"), 2);  // not the system one

  // Nobody is connected, so the messages were notified; the notifier writes on its thread.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (contentsOf(notifications).find("Gate code 1234") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_NE(contentsOf(notifications).find("Gate code 1234"), std::string::npos)
      << contentsOf(notifications);
}

}  // namespace
}  // namespace fieldlink::testing

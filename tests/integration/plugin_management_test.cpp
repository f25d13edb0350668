// Plugins managed while the server runs: a dispatcher enables and disables them through the
// API, an operator reloads the config's list with SIGHUP, and a plugin that throws from
// everywhere is contained and shows its errors.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include <Poco/File.h>

#include "support/media_fixtures.hpp"
#include "support/scene.hpp"

namespace fieldlink::testing {
namespace {

using namespace std::chrono_literals;

Poco::JSON::Object::Ptr pluginNamed(const Scene& s, const std::string& name) {
  const auto list = s.api.http().get("/api/plugins/", s.dispatcher).array();
  for (std::size_t i = 0; i < list->size(); ++i)
    if (list->getObject(i)->getValue<std::string>("name") == name) return list->getObject(i);
  return nullptr;
}

std::string stateOf(const Scene& s, const std::string& name) {
  const auto plugin = pluginNamed(s, name);
  return plugin ? plugin->getValue<std::string>("state") : "absent";
}

// Polls, for what a signal sets off in the server.
bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return condition();
}

std::vector<Poco::JSON::Object::Ptr> history(const Scene& s) {
  return s.api.history(s.client, s.conversation_id);
}

std::string post(const Scene& s, const std::string& path) {
  return std::to_string(s.api.http().post(path, "{}", s.dispatcher).status);
}

TEST(PluginManagement, OnlyDispatchersManagePluginsAndMistakesAreClear) {
  Scene s;
  EXPECT_EQ(s.api.http().post("/api/plugins/text/disable/", "{}", s.client).status, 403);
  EXPECT_EQ(s.api.http().post("/api/plugins/text/disable/", "{}", s.technician).status, 403);
  EXPECT_EQ(s.api.http().post("/api/plugins/text/disable/", "{}").status, 401);
  EXPECT_EQ(stateOf(s, "text"), "loaded");  // none of that changed anything

  const auto missing = s.api.http().post("/api/plugins/nonexistent/enable/", "{}", s.dispatcher);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.code(), "no_plugin");
  EXPECT_EQ(s.api.http().post("/api/plugins/..%2Ftext/enable/", "{}", s.dispatcher).status, 404);
  EXPECT_EQ(s.api.http().get("/api/plugins/text/enable/", s.dispatcher).status, 405);
}

TEST(PluginManagement, APluginThatDoesNotLoadIsAConflictWithTheReason) {
  TempDir plugins;
  Poco::File(std::string(FIELDLINK_PLUGIN_DIR) + "/text.so").copyTo(plugins.path());
  Poco::File(std::string(FIELDLINK_FIXTURE_PLUGIN_DIR) + "/start_fails.so").copyTo(plugins.path());
  ServerProcess::Options options;
  options.plugins_dir = plugins.path();
  Scene s(options);
  EXPECT_EQ(stateOf(s, "start_fails"), "disabled");
  const auto refused = s.api.http().post("/api/plugins/start_fails/enable/", "{}", s.dispatcher);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.code(), "plugin_failed");
  EXPECT_NE(refused.body.find("required_key"), std::string::npos) << refused.body;
  EXPECT_EQ(stateOf(s, "start_fails"), "failed");
  EXPECT_NE(pluginNamed(s, "start_fails")->getValue<std::string>("error").find("required_key"),
            std::string::npos);
}

// Messages flow the whole time; text is disabled and enabled again under them, and a stats
// module joins mid-stream. Nothing sent is lost, nothing refused is stored, history stays.
TEST(PluginManagement, EnableAndDisableWithTrafficFlowing) {
  Scene s;
  std::atomic<bool> running{true};
  std::mutex results_mutex;
  std::vector<int> statuses;
  std::vector<std::string> codes;
  std::thread sender([&] {
    for (int i = 0; running; ++i) {
      HttpResult r;
      try {
        r = s.api.sendText(i % 2 ? s.client : s.technician, s.conversation_id,
                           "message " + std::to_string(i));
      } catch (const std::exception& e) {
        r.status = -1;  // no answer: counted as a failure below
        r.body = e.what();
      }
      std::lock_guard<std::mutex> lock(results_mutex);
      statuses.push_back(r.status);
      codes.push_back(r.status == 201 ? "" : r.status < 0 ? r.body : r.code());
    }
  });
  auto sent = [&] {
    std::lock_guard<std::mutex> lock(results_mutex);
    return statuses.size();
  };
  auto lastStatus = [&] {
    std::lock_guard<std::mutex> lock(results_mutex);
    return statuses.empty() ? 0 : statuses.back();
  };
  ASSERT_TRUE(eventually([&] { return sent() >= 30; }));

  const auto disabled = s.api.http().post("/api/plugins/text/disable/", "{}", s.dispatcher);
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.object()->getValue<std::string>("state"), "disabled");
  if (!eventually([&] { return lastStatus() == 400; })) {
    running = false;
    sender.join();
    FAIL() << "no refusal after disabling: last " << statuses.back() << " " << codes.back() << "\n"
           << s.server.log();
  }
  // History keeps the text messages while their type is disabled.
  const auto kept = history(s);
  EXPECT_GT(kept.size(), 30u);
  EXPECT_EQ(kept.back()->getValue<std::string>("message_type"), "text");
  EXPECT_FALSE(kept.back()->getObject("content")->getValue<std::string>("text").empty());

  const std::size_t at_enable = sent();
  EXPECT_EQ(post(s, "/api/plugins/text/enable/"), "200");
  EXPECT_EQ(post(s, "/api/plugins/stats_messages/enable/"), "200");
  ASSERT_TRUE(eventually([&] { return sent() >= at_enable + 60 && lastStatus() == 201; }));
  running = false;
  sender.join();

  std::size_t accepted = 0, refused = 0;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    if (statuses[i] == 201) {
      ++accepted;
    } else {
      EXPECT_EQ(statuses[i], 400) << codes[i];
      EXPECT_EQ(codes[i], "unknown_message_type");
      ++refused;
    }
  }
  EXPECT_GT(refused, 0u);
  const auto stored = history(s);
  std::size_t texts = 0;
  for (const auto& m : stored) texts += m->getValue<std::string>("message_type") == "text";
  EXPECT_EQ(texts, accepted);
  // The stats module rebuilt from the store and took the live feed without a gap or a double.
  const auto figures =
      s.api.http()
          .get("/api/chat/stats/?request_id=" + std::to_string(s.request_id), s.client)
          .object();
  EXPECT_EQ(figures->getValue<std::size_t>("total_messages"), stored.size());
  EXPECT_TRUE(s.server.running()) << s.server.log();
}

TEST(PluginManagement, SighupReloadsThePluginListFromTheConfigFile) {
  TempDir config_dir;
  const std::string config = config_dir.file("fieldlink.properties");
  std::ofstream(config) << "plugins.enabled = text\n";
  ServerProcess::Options options;
  options.plugins_enabled.reset();  // from the file
  options.extra_args = {"--config=" + config};
  Scene s(options);
  EXPECT_EQ(stateOf(s, "location"), "disabled");

  std::ofstream(config) << "plugins.enabled = text, location\n";
  s.server.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return stateOf(s, "location") == "loaded"; }));
  EXPECT_EQ(s.api.http()
                .post("/api/chat/messages/send_location/",
                      "{\"conversation_id\":" + std::to_string(s.conversation_id) +
                          R"(,"latitude":48.85,"longitude":2.29})",
                      s.technician)
                .status,
            201);

  // A plugin disabled at run time comes back with the file's list; text leaves it.
  EXPECT_EQ(post(s, "/api/plugins/location/disable/"), "200");
  std::ofstream(config) << "plugins.enabled = location\n";
  s.server.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return stateOf(s, "text") == "disabled"; }));
  EXPECT_EQ(stateOf(s, "location"), "loaded");
  EXPECT_EQ(s.api.sendText(s.client, s.conversation_id, "hello").code(), "unknown_message_type");
  EXPECT_TRUE(s.server.running());
  EXPECT_NE(s.server.log().find("SIGHUP"), std::string::npos);
}

// Each kind of plugin throws from every call the host makes; requests get clear errors, the
// server stays healthy, and the dispatcher sees which plugin failed where.
TEST(PluginManagement, APluginThrowingFromEveryEntryPointLeavesTheServerHealthy) {
  ServerProcess::Options options;
  options.plugins_dir = FIELDLINK_FIXTURE_PLUGIN_DIR;
  options.plugins_enabled = "throwing,throwing_stats,throwing_notifier,throws_on_create";
  Scene s(options);
  EXPECT_EQ(stateOf(s, "throws_on_create"), "failed");

  const auto message =
      s.api.http().post("/api/chat/messages/",
                        "{\"conversation_id\":" + std::to_string(s.conversation_id) +
                            R"(,"message_type":"throwing","content":{}})",
                        s.client);
  EXPECT_EQ(message.status, 500);
  EXPECT_EQ(message.code(), "plugin_error");
  const auto upload = postMultipart(s.api.http(), "/api/chat/attachments/?message_type=throwing",
                                    s.client, multipart("bytes", "a.bin"));
  EXPECT_EQ(upload.status, 500) << upload.body;
  EXPECT_EQ(upload.code(), "plugin_error");

  // A status change stores a system message (on_event) and notifies (deliver).
  EXPECT_EQ(s.api.http()
                .post("/api/requests/" + std::to_string(s.request_id) + "/status/",
                      R"({"status":"en_route"})", s.technician)
                .status,
            200);
  const auto figures =
      s.api.http().get("/api/chat/stats/?request_id=" + std::to_string(s.request_id), s.client);
  EXPECT_EQ(figures.status, 200);
  EXPECT_FALSE(figures.object()->has("throwing_figure"));  // query() threw

  ASSERT_TRUE(eventually([&] {
    const auto notifier = pluginNamed(s, "throwing_notifier");
    return notifier && notifier->getValue<int>("runtime_errors") > 0;
  }));
  const auto message_type = pluginNamed(s, "throwing");
  EXPECT_EQ(message_type->getValue<std::string>("state"), "loaded");
  EXPECT_EQ(message_type->getValue<int>("runtime_errors"), 2);
  EXPECT_EQ(message_type->getValue<std::string>("last_error"), "uploads(): boom from uploads");
  EXPECT_FALSE(message_type->isNull("last_error_at"));
  const auto stats = pluginNamed(s, "throwing_stats");
  EXPECT_GE(stats->getValue<int>("runtime_errors"), 2);  // on_event, query
  EXPECT_EQ(pluginNamed(s, "throwing_notifier")->getValue<std::string>("last_error"),
            "deliver(): boom from deliver");

  // stop() throws as well on the way out.
  for (const char* name : {"throwing", "throwing_stats", "throwing_notifier"})
    EXPECT_EQ(post(s, std::string("/api/plugins/") + name + "/disable/"), "200") << name;
  EXPECT_EQ(s.api.http().get("/healthz").status, 200);
  EXPECT_EQ(s.api.http().get("/readyz").status, 200);
  const std::string log = s.server.log();
  for (const char* call :
       {"validate()", "uploads()", "on_event(message.created)", "query()", "deliver()", "stop()"})
    EXPECT_NE(log.find(std::string("threw from ") + call), std::string::npos) << call;
  EXPECT_TRUE(s.server.running());
}

}  // namespace
}  // namespace fieldlink::testing

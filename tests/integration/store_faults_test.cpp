// The MySQL/MariaDB store when the database goes away under traffic and comes back.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "support/scene.hpp"
#include "support/scratch_database.hpp"
#include "support/scripted_server.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> texts(const std::vector<Poco::JSON::Object::Ptr>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages)
    out.push_back(m->getObject("content")->optValue<std::string>("text", ""));
  return out;
}

TEST(StoreFaults, ADatabaseOutageAnswers503AndServiceResumesWhenTheDatabaseIsBack) {
  if (!mysqlTestServer()) GTEST_SKIP() << "a MySQL/MariaDB run only (FIELDLINK_TEST_MYSQL)";
  ScriptedServer db("mariadb.sh");
  ScratchDatabase database(db.address());
  ServerProcess::Options options;
  options.env = {{"FIELDLINK_STORE_BACKEND", "mysql"},
                 {"FIELDLINK_STORE_MYSQL_URL", database.url()},
                 {"FIELDLINK_STORE_MYSQL_CONNECT_TIMEOUT", "2"}};
  Scene scene(options);
  auto& api = scene.api;
  ASSERT_EQ(api.sendText(scene.client, scene.conversation_id, "before", "m-before").status, 201);
  WsClient technician(scene.server.port(), "/ws/chat/" + std::to_string(scene.conversation_id) +
                                               "/?token=" + scene.technician);
  ASSERT_EQ(technician.status(), 101);

  // Traffic while the database goes: a sender that keeps writing, each message with its
  // client_id. What got 201 must survive; what got 503 was not acknowledged.
  std::vector<std::string> acknowledged;
  std::atomic<bool> sending{true};
  std::thread sender([&] {
    ApiClient own(scene.server.port());
    for (int i = 0; sending && i < 2000; ++i) {
      const std::string key = "burst-" + std::to_string(i);
      const HttpResult r = own.sendText(scene.technician, scene.conversation_id, key, key);
      if (r.status == 201)
        acknowledged.push_back(key);
      else if (r.status != 503)
        ADD_FAILURE() << r.status << " " << r.body;
    }
  });
  std::this_thread::sleep_for(300ms);
  db.stop();
  std::this_thread::sleep_for(300ms);
  sending = false;
  sender.join();
  ASSERT_FALSE(acknowledged.empty());

  const HttpResult refused =
      api.sendText(scene.client, scene.conversation_id, "during", "m-during");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.code(), "store_unavailable");
  const HttpResult history =
      api.http().get("/api/chat/messages/conversation_messages/?conversation_id=" +
                         std::to_string(scene.conversation_id),
                     scene.client);
  EXPECT_EQ(history.status, 503) << history.body;
  EXPECT_EQ(api.http().get("/readyz").status, 503);
  EXPECT_EQ(api.http().get("/healthz").status, 200);  // alive, just not ready
  technician.sendJson(R"({"type":"message","message_type":"text","content":{"text":"ws-during"},)"
                      R"("client_id":"ws-during"})");
  const auto error = technician.nextOfType("error", 10s);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->getValue<std::string>("code"), "store_unavailable");
  EXPECT_EQ(error->getValue<std::string>("client_id"), "ws-during");

  db.start();
  // Nothing to restart or reconfigure: the next calls connect again.
  HttpResult after;
  for (int i = 0; i < 100; ++i) {
    after = api.sendText(scene.client, scene.conversation_id, "after", "m-after");
    if (after.status != 503) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(after.status, 201) << after.body << scene.server.log();
  technician.sendJson(R"({"type":"message","message_type":"text","content":{"text":"ws-after"},)"
                      R"("client_id":"ws-after"})");
  const auto ack = technician.nextOfType("ack", 10s);
  ASSERT_TRUE(ack);
  EXPECT_EQ(api.http().get("/readyz").status, 200);
  // What was acknowledged is there once; what was refused was never stored.
  std::vector<std::string> stored = texts(api.history(scene.client, scene.conversation_id));
  std::vector<std::string> burst;
  stored.erase(std::remove_if(stored.begin(), stored.end(),
                              [&](const std::string& t) {
                                if (t.rfind("burst-", 0) != 0) return false;
                                burst.push_back(t);
                                return true;
                              }),
               stored.end());
  // Every acknowledged message is there, once, in order. (A write whose commit the database
  // finished just as it went away may be stored without its 201: that is not a loss.)
  EXPECT_EQ(std::set<std::string>(burst.begin(), burst.end()).size(), burst.size());
  EXPECT_TRUE(std::includes(burst.begin(), burst.end(), acknowledged.begin(), acknowledged.end(),
                            [](const std::string& x, const std::string& y) {
                              return std::stoi(x.substr(6)) < std::stoi(y.substr(6));
                            }));
  EXPECT_TRUE(
      std::is_sorted(burst.begin(), burst.end(), [](const std::string& x, const std::string& y) {
        return std::stoi(x.substr(6)) < std::stoi(y.substr(6));
      }));
  EXPECT_EQ(stored, (std::vector<std::string>{"tom is assigned", "before", "after", "ws-after"}));
}

}  // namespace
}  // namespace fieldlink::testing

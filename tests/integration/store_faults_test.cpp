// The MySQL/MariaDB store when the database goes away under traffic and comes back.
#include <gtest/gtest.h>

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

  db.stop();
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
  EXPECT_EQ(texts(api.history(scene.client, scene.conversation_id)),
            (std::vector<std::string>{"tom is assigned", "before", "after", "ws-after"}));
}

}  // namespace
}  // namespace fieldlink::testing

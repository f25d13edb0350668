// Two fieldlink nodes behind one address: one MariaDB and one Redis shared, the client on
// node A, the technician on node B.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>

#include "support/scene.hpp"
#include "support/scratch_database.hpp"
#include "support/scripted_server.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

using namespace std::chrono_literals;

std::int64_t idOf(const Poco::JSON::Object::Ptr& frame) {
  return frame->getObject("message")->getValue<std::int64_t>("id");
}

class TwoNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!mysqlTestServer()) GTEST_SKIP() << "a MySQL/MariaDB run only (FIELDLINK_TEST_MYSQL)";
    redis = std::make_unique<ScriptedServer>("redis.sh");
    prepareRedis();
    database = std::make_unique<ScratchDatabase>(*mysqlTestServer());
    a = std::make_unique<Scene>(nodeOptions("a", true));
    b = std::make_unique<ServerProcess>(nodeOptions("b", false));
    b_api = std::make_unique<ApiClient>(b->port());
  }

  ServerProcess::Options nodeOptions(const std::string& name, bool first) const {
    ServerProcess::Options options;
    options.bootstrap_dispatcher = first;  // one database: the dispatcher exists once
    options.env = {{"FIELDLINK_STORE_BACKEND", "mysql"},
                   {"FIELDLINK_STORE_MYSQL_URL", database->url()},
                   {"FIELDLINK_BUS_REDIS", redis->address()},
                   {"FIELDLINK_BUS_SECRET", "two-nodes-bus-secret-0123"},
                   {"FIELDLINK_BUS_NODE_ID", name},
                   {"FIELDLINK_BUS_PRESENCE_TTL", "3"}};
    for (const auto& [key, value] : node_env) options.env[key] = value;
    return options;
  }

  // Before the nodes start: what a test's Redis needs of its own.
  virtual void prepareRedis() {}
  // A client of the test's own on the nodes' Redis.
  Poco::Redis::Client redisClient() const {
    const auto colon = redis->address().rfind(':');
    return Poco::Redis::Client(redis->address().substr(0, colon),
                               std::stoi(redis->address().substr(colon + 1)));
  }

  std::string onA(const std::string& token) const { return chatPath(a->conversation_id, token); }

  std::map<std::string, std::string> node_env;  // more of the nodes' settings
  std::unique_ptr<ScriptedServer> redis;
  std::unique_ptr<ScratchDatabase> database;
  std::unique_ptr<Scene> a;  // node A with the cast of the job
  std::unique_ptr<ServerProcess> b;
  std::unique_ptr<ApiClient> b_api;
};

TEST_F(TwoNodes, MessagesTypingReceiptsAndPresenceCrossBothWays) {
  const std::int64_t conversation = a->conversation_id;
  auto client = std::make_unique<WsClient>(a->server.port(), chatPath(conversation, a->client));
  ASSERT_EQ(client->status(), 101);
  WsClient technician(b->port(), chatPath(conversation, a->technician));
  ASSERT_EQ(technician.status(), 101);
  // The client on A is online for the technician as soon as B takes the connection (asked of
  // Redis), and the technician's arrival on B is told to the client on A.
  const auto client_online = technician.nextOfType("presence", 10s);
  ASSERT_TRUE(client_online);
  EXPECT_EQ(client_online->getValue<std::int64_t>("user_id"), a->client_id);
  EXPECT_TRUE(client_online->getValue<bool>("online"));
  const auto online = client->nextOfType("presence", 10s);
  ASSERT_TRUE(online);
  EXPECT_EQ(online->getValue<std::int64_t>("user_id"), a->technician_id);
  EXPECT_TRUE(online->getValue<bool>("online"));

  client->sendJson(messageFrame(conversation, "Hello from A", "a-1"));
  const auto ack = client->nextOfType("ack", 10s);
  ASSERT_TRUE(ack);
  const auto arrived = technician.nextOfType("message", 10s);
  ASSERT_TRUE(arrived);
  EXPECT_EQ(idOf(arrived), idOf(ack));
  EXPECT_EQ(arrived->getObject("message")->getObject("content")->getValue<std::string>("text"),
            "Hello from A");

  technician.sendJson(R"({"type":"typing","is_typing":true})");
  const auto typing = client->nextOfType("typing", 10s);
  ASSERT_TRUE(typing);
  EXPECT_EQ(typing->getValue<std::int64_t>("user_id"), a->technician_id);

  technician.sendJson(messageFrame(conversation, "Hello from B", "b-1"));
  const auto reply = client->nextOfType("message", 10s);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->getObject("message")->getValue<std::int64_t>("sender_id"), a->technician_id);

  client->sendJson("{\"type\":\"read\",\"message_id\":" + std::to_string(idOf(reply)) + "}");
  const auto receipt = technician.nextOfType("read", 10s);
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->getValue<std::int64_t>("message_id"), idOf(reply));
  EXPECT_EQ(receipt->getValue<std::int64_t>("user_id"), a->client_id);

  // And the other way: typing and a read receipt from A reach B.
  client->sendJson(R"({"type":"typing","is_typing":true})");
  const auto client_typing = technician.nextOfType("typing", 10s);
  ASSERT_TRUE(client_typing);
  EXPECT_EQ(client_typing->getValue<std::int64_t>("user_id"), a->client_id);
  technician.sendJson("{\"type\":\"read\",\"message_id\":" + std::to_string(idOf(arrived)) + "}");
  const auto technician_read = client->nextOfType("read", 10s);
  ASSERT_TRUE(technician_read);
  EXPECT_EQ(technician_read->getValue<std::int64_t>("user_id"), a->technician_id);

  // Presence the other way: the client on A comes and goes, the technician on B hears it.
  {
    WsClient inbox(a->server.port(), "/ws/?token=" + a->client);  // a second connection on A
    ASSERT_EQ(inbox.status(), 101);
    client.reset();                                             // one of two closes: still online
  }                                                             // the last one closes
  const auto offline = technician.nextOfType("presence", 10s);  // nothing since: not twice
  ASSERT_TRUE(offline);
  EXPECT_EQ(offline->getValue<std::int64_t>("user_id"), a->client_id);
  EXPECT_FALSE(offline->getValue<bool>("online"));
}

// Whoever can reach Redis must not speak for a node: events not signed with bus.secret are
// dropped and counted, and the nodes' own still cross.
TEST_F(TwoNodes, EventsNotSignedWithTheBusSecretAreDropped) {
  const std::int64_t conversation = a->conversation_id;
  WsClient client(a->server.port(), chatPath(conversation, a->client));
  WsClient technician(b->port(), chatPath(conversation, a->technician));
  ASSERT_EQ(technician.status(), 101);
  ASSERT_TRUE(technician.nextOfType("presence", 10s));

  const std::string forged =
      R"({"v":1,"node":"intruder","type":"message.created","conversation_id":)" +
      std::to_string(conversation) + R"(,"user_id":)" + std::to_string(a->client_id) +
      R"(,"data":{"id":999999,"text":"forged"},"at_ms":1,"audience":[)" +
      std::to_string(a->technician_id) + "]}";
  Poco::Redis::Client publisher = redisClient();
  for (const std::string& payload :
       {forged, std::string(64, 'a') + "." + forged, std::string("not an event")}) {
    Poco::Redis::Array publish;
    publish << "PUBLISH"
            << "fieldlink" << payload;
    publisher.execute<Poco::Int64>(publish);
  }
  // The node's own events still cross, after the forged ones (one subscriber, in order).
  client.sendJson(R"({"type":"typing","is_typing":true})");
  ASSERT_TRUE(technician.nextOfType("typing", 10s));
  ApiClient on_b(b->port());
  std::string rejected;
  for (int i = 0; i < 100 && rejected != "3"; ++i) {
    const std::string page = on_b.http().get("/metrics").body;
    const auto at = page.find("\nfieldlink_bus_events_rejected_total ");
    rejected =
        at == std::string::npos ? "" : page.substr(at + 37, page.find('\n', at + 1) - at - 37);
    if (rejected != "3") std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(rejected, "3");
  EXPECT_FALSE(technician.nextOfType("message", 500ms)) << "a forged message was delivered";
}

TEST_F(TwoNodes, BurstsFromBothNodesArriveOnceInIdOrderEverywhere) {
  const std::int64_t conversation = a->conversation_id;
  WsClient client(a->server.port(), chatPath(conversation, a->client));
  WsClient technician(b->port(), chatPath(conversation, a->technician));
  // A watcher on each node: the dispatcher follows the conversation on /ws/ from both.
  WsClient watch_a(a->server.port(), "/ws/?token=" + a->dispatcher);
  WsClient watch_b(b->port(), "/ws/?token=" + a->dispatcher);
  ASSERT_EQ(watch_b.status(), 101);
  constexpr int kEach = 25;
  std::thread from_a([&] {
    for (int i = 0; i < kEach; ++i)
      client.sendJson(
          messageFrame(conversation, "a" + std::to_string(i), "a-" + std::to_string(i)));
  });
  for (int i = 0; i < kEach; ++i)
    technician.sendJson(
        messageFrame(conversation, "b" + std::to_string(i), "b-" + std::to_string(i)));
  from_a.join();
  for (WsClient* watcher : {&watch_a, &watch_b}) {
    const auto frames = watcher->collect("message", 2 * kEach, 20s);
    std::vector<std::int64_t> ids;
    for (const auto& f : frames) ids.push_back(idOf(f));
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(2 * kEach));
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), ids.size());
  }
  const auto history = a->api.history(a->client, conversation);
  EXPECT_EQ(history.size(), static_cast<std::size_t>(2 * kEach + 1));  // and the assignment
}

// A phone that resends on another node before the first answer came back (a load balancer
// moved it): both sends are stored once, and both answered with that message, never 409.
TEST_F(TwoNodes, OneClientIdSentToBothNodesAtOnceIsStoredOnceAndAnsweredWithIt) {
  const std::int64_t conversation = a->conversation_id;
  WsClient on_a(a->server.port(), chatPath(conversation, a->client));
  WsClient on_b(b->port(), chatPath(conversation, a->client));
  ASSERT_EQ(on_b.status(), 101);
  constexpr int kRounds = 30;
  for (int round = 0; round < kRounds; ++round) {
    const std::string frame = messageFrame(conversation, "same " + std::to_string(round),
                                           "same-" + std::to_string(round));
    std::thread to_b([&] { on_b.sendJson(frame); });
    on_a.sendJson(frame);
    to_b.join();
  }
  // The acks, in order on each connection: the same message id from both nodes every round.
  std::vector<std::int64_t> from_a, from_b;
  using Side = std::pair<WsClient*, std::vector<std::int64_t>*>;
  for (const auto& [ws, ids] : {Side{&on_a, &from_a}, Side{&on_b, &from_b}}) {
    for (int round = 0; round < kRounds; ++round) {
      const auto answer = ws->next(10s);
      ASSERT_TRUE(answer);
      // Presence and the other node's copy of the message may come between acks.
      if (answer->getValue<std::string>("type") != "ack") {
        ASSERT_NE(answer->getValue<std::string>("type"), "error") << round;
        --round;
        continue;
      }
      EXPECT_EQ(answer->getValue<std::string>("client_id"), "same-" + std::to_string(round));
      ids->push_back(idOf(answer));
    }
  }
  EXPECT_EQ(from_a, from_b);
  const auto history = a->api.history(a->client, conversation);
  EXPECT_EQ(history.size(), static_cast<std::size_t>(kRounds + 1));  // and the assignment
}

TEST_F(TwoNodes, ANodeKilledAndRestartedLosesNothingAndItsUsersGoOfflineMeanwhile) {
  const std::int64_t conversation = a->conversation_id;
  std::int64_t last_seen = 0;
  {
    WsClient technician(b->port(), chatPath(conversation, a->technician));
    ASSERT_EQ(a->api.sendText(a->client, conversation, "before", "k-0").status, 201);
    const auto seen = technician.nextOfType("message", 10s);
    ASSERT_TRUE(seen);
    last_seen = idOf(seen);
    // Online on B: the client's messages notify nobody.
    b->crash();
  }
  // B's claim on the technician's presence runs out (bus.presence_ttl = 3 s), so from then on
  // the client's messages notify the technician.
  std::this_thread::sleep_for(4s);
  for (int i = 1; i <= 3; ++i)
    ASSERT_EQ(a->api
                  .sendText(a->client, conversation, "while B is down " + std::to_string(i),
                            "k-" + std::to_string(i))
                  .status,
              201);
  // Notifications are stored off the message path: wait for them a little.
  std::size_t about_messages = 0;
  std::string last_answer;
  for (int attempt = 0; attempt < 50 && about_messages < 3; ++attempt) {
    const HttpResult notified = a->api.http().get("/api/notifications/?unread=1", a->technician);
    ASSERT_EQ(notified.status, 200);
    last_answer = notified.body;
    about_messages = 0;
    for (std::size_t i = 0; i < notified.array()->size(); ++i)
      if (notified.array()->getObject(i)->getValue<std::string>("kind") == "message")
        ++about_messages;
    if (about_messages < 3) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(about_messages, 3u) << last_answer;

  b->restart();
  WsClient technician(b->port(), chatPath(conversation, a->technician));
  technician.sendJson("{\"type\":\"resume\",\"after_id\":" + std::to_string(last_seen) + "}");
  const auto replayed = technician.collect("message", 3, 10s);
  ASSERT_EQ(replayed.size(), 3u);
  std::vector<std::string> texts;
  for (const auto& m : replayed)
    texts.push_back(m->getObject("message")->getObject("content")->getValue<std::string>("text"));
  EXPECT_EQ(texts, (std::vector<std::string>{"while B is down 1", "while B is down 2",
                                             "while B is down 3"}));
  ASSERT_TRUE(technician.nextOfType("resumed", 10s));
  // And live traffic flows through the restarted node again.
  ASSERT_EQ(a->api.sendText(a->client, conversation, "after", "k-4").status, 201);
  const auto live = technician.nextOfType("message", 10s);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->getObject("message")->getObject("content")->getValue<std::string>("text"),
            "after");
}

TEST_F(TwoNodes, WithRedisStoppedEachNodeServesItsOwnAndBothReconnectWhenItIsBack) {
  const std::int64_t conversation = a->conversation_id;
  WsClient client(a->server.port(), chatPath(conversation, a->client));
  WsClient watcher(a->server.port(), "/ws/?token=" + a->dispatcher);  // on the client's node
  WsClient technician(b->port(), chatPath(conversation, a->technician));
  ASSERT_EQ(technician.status(), 101);

  redis->stop();
  client.sendJson(messageFrame(conversation, "while Redis is down", "r-1"));
  ASSERT_TRUE(client.nextOfType("ack", 10s));
  const auto local = watcher.nextOfType("message", 10s);  // the same node still delivers
  ASSERT_TRUE(local);
  const std::int64_t missed_on_b = idOf(local);

  redis->start();  // same port: the nodes find it again by themselves
  std::vector<std::int64_t> on_b;
  bool probe_arrived = false;
  for (int i = 0; i < 60 && !probe_arrived; ++i) {
    client.sendJson(messageFrame(conversation, "probe", "r-probe-" + std::to_string(i)));
    while (const auto m = technician.nextOfType("message", 500ms)) {
      on_b.push_back(idOf(m));
      if (m->getObject("message")->getObject("content")->getValue<std::string>("text") == "probe")
        probe_arrived = true;
    }
  }
  ASSERT_TRUE(probe_arrived) << "node B never heard from node A again\n" << b->log();
  // The first message B hears of again brings what it missed before it, from the store: in
  // order, once, with no resume needed.
  ASSERT_FALSE(on_b.empty());
  EXPECT_EQ(on_b.front(), missed_on_b);
  EXPECT_TRUE(std::is_sorted(on_b.begin(), on_b.end()));
  EXPECT_EQ(std::set<std::int64_t>(on_b.begin(), on_b.end()).size(), on_b.size());
  EXPECT_NE(a->server.log().find("cannot publish to Redis"), std::string::npos);
}

// A Redis that wants a password: the nodes sign in (AUTH, with bus.redis_password) and keep
// their presence keys in bus.redis_database; a node with the wrong password says why in its
// log and serves its own users.
class TwoNodesOnARedisWithAPassword : public TwoNodes {
 protected:
  static constexpr const char* kPassword = "redis-password-for-the-nodes";
  void prepareRedis() override {
    Poco::Redis::Client admin = redisClient();
    Poco::Redis::Array require;
    require << "CONFIG"
            << "SET"
            << "requirepass" << kPassword;
    admin.execute<std::string>(require);
    node_env = {{"FIELDLINK_BUS_REDIS_PASSWORD", kPassword}, {"FIELDLINK_BUS_REDIS_DATABASE", "3"}};
  }
  void TearDown() override {
    if (!redis) return;
    // redis.sh stops its server without a password.
    Poco::Redis::Client admin = redisClient();
    Poco::Redis::Array auth, clear;
    auth << "AUTH" << kPassword;
    clear << "CONFIG"
          << "SET"
          << "requirepass"
          << "";
    admin.execute<std::string>(auth);
    admin.execute<std::string>(clear);
  }
};

TEST_F(TwoNodesOnARedisWithAPassword, NodesSignInAndKeepTheirKeysInTheirDatabase) {
  const std::int64_t conversation = a->conversation_id;
  WsClient client(a->server.port(), chatPath(conversation, a->client));
  WsClient technician(b->port(), chatPath(conversation, a->technician));
  ASSERT_EQ(technician.status(), 101);
  const auto online = technician.nextOfType("presence", 10s);  // from A's key in Redis
  ASSERT_TRUE(online) << b->log();
  EXPECT_TRUE(online->getValue<bool>("online"));
  client.sendJson(messageFrame(conversation, "through a locked Redis", "p-1"));
  ASSERT_TRUE(technician.nextOfType("message", 10s)) << b->log();

  Poco::Redis::Client admin = redisClient();
  Poco::Redis::Array auth;
  auth << "AUTH" << kPassword;
  admin.execute<std::string>(auth);
  const auto presenceKeys = [&](int database) {
    Poco::Redis::Array select_it, list;
    select_it << "SELECT" << std::to_string(database);
    admin.execute<std::string>(select_it);
    list << "KEYS"
         << "fieldlink:presence:*";
    const auto found = admin.execute<Poco::Redis::Array>(list);
    return found.isNull() ? 0u : found.size();  // Poco reads an empty answer as null
  };
  EXPECT_GE(presenceKeys(3), 2u) << "the client's and the technician's";
  EXPECT_EQ(presenceKeys(0), 0u);

  // A node that gives the wrong password hears nothing, and says why.
  auto options = nodeOptions("c", false);
  options.env["FIELDLINK_BUS_REDIS_PASSWORD"] = "not-the-password";
  ServerProcess c(options);
  WsClient on_c(c.port(), chatPath(conversation, a->client));
  ASSERT_EQ(on_c.status(), 101);
  client.sendJson(messageFrame(conversation, "not for c", "p-2"));
  ASSERT_TRUE(technician.nextOfType("message", 10s));
  EXPECT_FALSE(on_c.nextOfType("message", 1s)) << "c heard another node without signing in";
  std::string log;
  for (int i = 0; i < 50 && log.find("WRONGPASS") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    log = c.log();
  }
  EXPECT_NE(log.find("WRONGPASS"), std::string::npos) << log;
}

}  // namespace
}  // namespace fieldlink::testing

// Statistics against a running fieldlinkd with the stats plugins loaded: the figures of a
// scripted conversation, the dashboard, who may see them, and a restart rebuilding them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include <fieldlink/sdk/time.hpp>

#include "support/scene.hpp"

namespace fieldlink::testing {
namespace {

constexpr const char* kAllStats = "text,stats_messages,stats_response_time,stats_activity";

ServerProcess::Options withPlugins(const std::string& enabled) {
  ServerProcess::Options options;
  options.plugins_enabled = enabled;
  return options;
}

std::chrono::system_clock::time_point createdAt(const HttpResult& sent) {
  return *sdk::parseTime(sent.object()->getValue<std::string>("created_at"));
}

double secondsBetween(std::chrono::system_clock::time_point from,
                      std::chrono::system_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

double milliRounded(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

struct StatsScene : Scene {
  StatsScene() : Scene(withPlugins(kAllStats)) {}
  Poco::JSON::Object::Ptr stats(const std::string& token) const {
    const auto r =
        api.http().get("/api/chat/stats/?request_id=" + std::to_string(request_id), token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.object();
  }
  HttpResult send(const std::string& token, const std::string& text) {
    // A little time between messages, so that response times are not all zero.
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    auto r = api.sendText(token, conversation_id, text);
    EXPECT_EQ(r.status, 201) << r.body;
    return r;
  }
};

TEST(Stats, FiguresOfAScriptedConversationAndTheirRebuildAfterARestart) {
  StatsScene s;
  const auto c1 = s.send(s.client, "The boiler is leaking");
  s.send(s.client, "Quite a lot");
  const auto t1 = s.send(s.technician, "On my way");
  const auto c3 = s.send(s.client, "Thanks");
  const auto t2 = s.send(s.technician, "Here in ten minutes");

  // Waits: c1 -> t1, t1 -> c3, c3 -> t2 (the system message of the assignment starts none).
  std::vector<double> waits = {secondsBetween(createdAt(c1), createdAt(t1)),
                               secondsBetween(createdAt(t1), createdAt(c3)),
                               secondsBetween(createdAt(c3), createdAt(t2))};
  const double average = (waits[0] + waits[1] + waits[2]) / 3;
  std::sort(waits.begin(), waits.end());

  auto figures = s.stats(s.client);
  EXPECT_EQ(figures->getValue<std::int64_t>("request_id"), s.request_id);
  EXPECT_EQ(figures->getValue<std::int64_t>("conversation_id"), s.conversation_id);
  EXPECT_EQ(figures->getValue<std::int64_t>("total_messages"), 6);   // with the system message
  EXPECT_EQ(figures->getValue<std::int64_t>("unread_messages"), 3);  // system, t1, t2
  EXPECT_EQ(figures->getValue<std::string>("last_activity"),
            t2.object()->getValue<std::string>("created_at"));
  EXPECT_NEAR(figures->getValue<double>("average_response_time_seconds"), milliRounded(average),
              0.0015);
  EXPECT_NEAR(figures->getValue<double>("median_response_time_seconds"), waits[1], 0.0015);
  EXPECT_EQ(figures->getValue<std::int64_t>("active_conversations"), 1);
  EXPECT_EQ(s.stats(s.technician)->getValue<std::int64_t>("unread_messages"), 4);  // system, c*

  const auto last_id = t2.object()->getValue<std::int64_t>("id");
  ASSERT_EQ(s.api.http()
                .post("/api/chat/messages/mark_read/",
                      "{\"conversation_id\":" + std::to_string(s.conversation_id) +
                          ",\"message_id\":" + std::to_string(last_id) + "}",
                      s.client)
                .status,
            200);
  EXPECT_EQ(s.stats(s.client)->getValue<std::int64_t>("unread_messages"), 0);

  // The dispatcher's dashboard: the one conversation they assigned, overall and as a row.
  const auto board = s.api.http().get("/api/chat/dashboard/", s.dispatcher);
  ASSERT_EQ(board.status, 200) << board.body;
  const auto overview = board.object();
  EXPECT_EQ(overview->getValue<std::int64_t>("conversation_count"), 1);
  EXPECT_EQ(overview->getValue<std::int64_t>("total_messages"), 6);
  EXPECT_EQ(overview->getValue<std::int64_t>("active_conversations"), 1);
  const auto rows = overview->getArray("conversations");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->getObject(0)->getValue<std::int64_t>("request_id"), s.request_id);
  EXPECT_EQ(rows->getObject(0)->getValue<std::int64_t>("unread_messages"), 6);
  EXPECT_FALSE(overview->has("messages_per_hour"));
  // With ?hours=24 the console's chart: one point per hour up to now, oldest first, counting
  // the five messages people wrote (the system message is not theirs).
  const auto charted = s.api.http().get("/api/chat/dashboard/?hours=24", s.dispatcher);
  ASSERT_EQ(charted.status, 200) << charted.body;
  const auto series = charted.object()->getArray("messages_per_hour");
  ASSERT_TRUE(series);
  ASSERT_EQ(series->size(), 24u);
  std::int64_t charted_messages = 0;
  for (std::size_t i = 0; i < series->size(); ++i) {
    charted_messages += series->getObject(i)->getValue<std::int64_t>("messages");
    if (i > 0) {
      EXPECT_LT(series->getObject(i - 1)->getValue<std::string>("hour"),
                series->getObject(i)->getValue<std::string>("hour"));
    }
  }
  EXPECT_EQ(charted_messages, 5);
  for (const char* hours : {"0", "169", "day"})
    EXPECT_EQ(
        s.api.http().get(std::string("/api/chat/dashboard/?hours=") + hours, s.dispatcher).status,
        400)
        << hours;

  // The figures live in the plugins' memory: a restart rebuilds them from the store.
  figures = s.stats(s.client);
  std::ostringstream before;
  figures->stringify(before);
  s.server.restart();
  std::ostringstream after;
  s.stats(s.client)->stringify(after);
  EXPECT_EQ(after.str(), before.str());
}

TEST(Stats, OnlyThoseWhoSeeTheRequestSeeItsFigures) {
  StatsScene s;
  const std::string path = "/api/chat/stats/?request_id=" + std::to_string(s.request_id);
  EXPECT_EQ(s.api.http().get(path, s.outsider_client).status, 404);
  EXPECT_EQ(s.api.http().get(path, s.outsider_technician).status, 404);
  EXPECT_EQ(s.api.http().get(path).status, 401);
  EXPECT_EQ(s.api.http().get(path, s.dispatcher).status, 200);
  EXPECT_EQ(s.api.http().get("/api/chat/stats/", s.client).status, 400);
  EXPECT_EQ(s.api.http().get("/api/chat/stats/?request_id=abc", s.client).status, 400);
  const auto pending =
      s.api.createRequest(s.client, "Not assigned yet")->getValue<std::int64_t>("id");
  const auto unassigned =
      s.api.http().get("/api/chat/stats/?request_id=" + std::to_string(pending), s.client);
  EXPECT_EQ(unassigned.status, 404);
  EXPECT_EQ(unassigned.code(), "no_conversation");

  // An outsider's dashboard is empty, not someone else's.
  const auto board = s.api.http().get("/api/chat/dashboard/", s.outsider_client).object();
  EXPECT_EQ(board->getValue<std::int64_t>("conversation_count"), 0);
  EXPECT_EQ(board->getValue<std::int64_t>("total_messages"), 0);
  EXPECT_EQ(board->getArray("conversations")->size(), 0u);
}

TEST(Stats, ADisabledModuleLeavesItsKeysOut) {
  Scene s(withPlugins("text,stats_messages"));
  ASSERT_EQ(s.api.sendText(s.client, s.conversation_id, "Hello").status, 201);
  const auto figures =
      s.api.http()
          .get("/api/chat/stats/?request_id=" + std::to_string(s.request_id), s.client)
          .object();
  EXPECT_EQ(figures->getValue<std::int64_t>("total_messages"), 2);
  EXPECT_FALSE(figures->has("average_response_time_seconds"));
  EXPECT_FALSE(figures->has("median_response_time_seconds"));
  EXPECT_FALSE(figures->has("active_conversations"));
}

}  // namespace
}  // namespace fieldlink::testing

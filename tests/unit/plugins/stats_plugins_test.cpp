// The real stats_*.so files, loaded as the server loads them, fed a scripted history with
// known times through the SDK's fake host: once as events, once rebuilt from the store.
#include <gtest/gtest.h>

#include <boost/dll/shared_library.hpp>
#include <fieldlink/sdk/plugin.hpp>
#include <fieldlink/sdk/testkit/fake_host.hpp>
#include <fieldlink/sdk/time.hpp>

namespace {

using namespace fieldlink;
using sdk::testkit::FakeHost;
using std::chrono::seconds;

constexpr std::int64_t kClient = 1, kTechnician = 2, kDispatcher = 3;
constexpr std::int64_t kFinished = 7, kOngoing = 8;  // conversation ids
const sdk::Clock::time_point t0 = *sdk::parseTime("2026-11-24T09:00:00Z");

sdk::MessageView message(std::int64_t id, std::int64_t conversation,
                         std::optional<std::int64_t> sender, seconds after,
                         const std::string& status = "") {
  sdk::MessageView m;
  m.id = id;
  m.conversation_id = conversation;
  m.sender_id = sender;
  m.message_type = sender ? "text" : "system";
  m.content = new Poco::JSON::Object;
  if (sender) {
    m.content->set("text", "message " + std::to_string(id));
  } else {
    m.content->set("event", status.empty() ? "assigned" : "status_changed");
    if (!status.empty()) m.content->set("status", status);
  }
  m.created_at = t0 + after;
  return m;
}

// Responses: 60 s (2 -> 4), 30 s (4 -> 5), 300 s (5 -> 6) in the finished conversation;
// 45 s (10 -> 11) in the ongoing one.
std::vector<sdk::MessageView> history() {
  return {message(1, kFinished, std::nullopt, seconds(0)),
          message(2, kFinished, kClient, seconds(10)),
          message(3, kFinished, kClient, seconds(20)),
          message(4, kFinished, kTechnician, seconds(70)),
          message(5, kFinished, kClient, seconds(100)),
          message(6, kFinished, kTechnician, seconds(400)),
          message(7, kFinished, std::nullopt, seconds(500), "completed"),
          message(9, kOngoing, std::nullopt, seconds(0)),
          message(10, kOngoing, kTechnician, seconds(5)),
          message(11, kOngoing, kClient, seconds(50))};
}

sdk::Event createdEvent(const sdk::MessageView& m) {
  sdk::Event e;
  e.type = "message.created";
  e.conversation_id = m.conversation_id;
  e.user_id = m.sender_id;
  e.data = new Poco::JSON::Object;
  e.data->set("id", static_cast<Poco::Int64>(m.id));
  e.data->set("conversation_id", static_cast<Poco::Int64>(m.conversation_id));
  e.data->set("sender_id", m.sender_id ? Poco::Dynamic::Var(static_cast<Poco::Int64>(*m.sender_id))
                                       : Poco::Dynamic::Var());
  e.data->set("message_type", m.message_type);
  e.data->set("content", m.content);
  e.data->set("created_at", sdk::formatTime(m.created_at));
  e.at = m.created_at;
  return e;
}

sdk::Event readEvent(std::int64_t conversation, std::int64_t user, std::int64_t upto) {
  sdk::Event e;
  e.type = "message.read";
  e.conversation_id = conversation;
  e.user_id = user;
  e.data = new Poco::JSON::Object;
  e.data->set("message_id", static_cast<Poco::Int64>(upto));
  return e;
}

sdk::ConversationView conversation(std::int64_t id, const std::string& status,
                                   std::int64_t client_read) {
  sdk::ConversationView c;
  c.id = id;
  c.request_id = id * 10;
  c.request_status = status;
  c.participants = {{kClient, "client", client_read},
                    {kTechnician, "technician", 0},
                    {kDispatcher, "dispatcher", 0}};
  c.created_at = t0;
  return c;
}

// One stats plugin, loaded from its .so.
struct LoadedStats {
  explicit LoadedStats(const std::string& name)
      : library(std::string(FIELDLINK_PLUGIN_DIR) + "/" + name + ".so") {
    const auto& manifest = library.get_alias<const sdk::PluginManifest>("fieldlink_plugin");
    EXPECT_EQ(manifest.api_version, sdk::kApiVersion);
    EXPECT_EQ(manifest.kind, sdk::PluginKind::Stats);
    plugin = manifest.create();
  }
  ~LoadedStats() { plugin.reset(); }

  std::string start(FakeHost& host) { return plugin->start(host).error; }
  sdk::StatsPlugin& stats() { return *plugin->stats(); }
  Poco::JSON::Object query(std::vector<std::int64_t> ids, std::int64_t caller = kClient) {
    sdk::StatsScope scope;
    scope.kind =
        ids.size() == 1 ? sdk::StatsScope::Kind::Conversation : sdk::StatsScope::Kind::Dashboard;
    scope.conversation_ids = std::move(ids);
    scope.caller_id = caller;
    Poco::JSON::Object out;
    stats().query(scope, out);
    return out;
  }

  boost::dll::shared_library library;  // destroyed after the plugin
  std::shared_ptr<sdk::Plugin> plugin;
};

// Either way in: the history as events after an empty start, or stored before start.
enum class Feed { Events, Store };

class StatsPlugins : public ::testing::TestWithParam<Feed> {
 protected:
  void feed(LoadedStats& loaded) {
    if (GetParam() == Feed::Store) {
      auto& store = host.fake_store();
      store.stored_conversations[kFinished] = conversation(kFinished, "completed", 4);
      store.stored_conversations[kOngoing] = conversation(kOngoing, "on_site", 0);
      store.stored_messages = history();
      ASSERT_EQ(loaded.start(host), "");
      return;
    }
    ASSERT_EQ(loaded.start(host), "");
    for (const auto& m : history()) loaded.stats().on_event(createdEvent(m));
    loaded.stats().on_event(readEvent(kFinished, kClient, 4));
    loaded.stats().on_event(readEvent(kFinished, kClient, 3));  // older: changes nothing
  }

  FakeHost host;
};

TEST_P(StatsPlugins, MessagesCountsTotalsUnreadAndLastActivity) {
  LoadedStats loaded("stats_messages");
  feed(loaded);
  auto finished = loaded.query({kFinished});
  EXPECT_EQ(finished.getValue<Poco::Int64>("total_messages"), 7);
  // After the client's marker at 4: the technician's 6 and the system's 7.
  EXPECT_EQ(finished.getValue<Poco::Int64>("unread_messages"), 2);
  EXPECT_EQ(finished.getValue<std::string>("last_activity"), "2026-11-24T09:08:20.000Z");
  EXPECT_EQ(loaded.query({kFinished}, kTechnician).getValue<Poco::Int64>("unread_messages"), 7 - 2);

  auto both = loaded.query({kFinished, kOngoing});
  EXPECT_EQ(both.getValue<Poco::Int64>("total_messages"), 10);
  EXPECT_EQ(both.getValue<Poco::Int64>("unread_messages"), 2 + 2);  // ongoing: 9 and 10
  EXPECT_EQ(both.getValue<std::string>("last_activity"), "2026-11-24T09:08:20.000Z");

  auto none = loaded.query({99});
  EXPECT_EQ(none.getValue<Poco::Int64>("total_messages"), 0);
  EXPECT_TRUE(none.isNull("last_activity"));
}

TEST_P(StatsPlugins, ResponseTimeAveragesAndMediansEveryReply) {
  LoadedStats loaded("stats_response_time");
  feed(loaded);
  auto finished = loaded.query({kFinished});
  EXPECT_DOUBLE_EQ(finished.getValue<double>("average_response_time_seconds"), 130.0);
  EXPECT_DOUBLE_EQ(finished.getValue<double>("median_response_time_seconds"), 60.0);
  // Pooled over both conversations: 30, 45, 60, 300.
  auto both = loaded.query({kFinished, kOngoing});
  EXPECT_DOUBLE_EQ(both.getValue<double>("average_response_time_seconds"), 108.75);
  EXPECT_DOUBLE_EQ(both.getValue<double>("median_response_time_seconds"), 52.5);
  auto none = loaded.query({99});
  EXPECT_TRUE(none.isNull("average_response_time_seconds"));
  EXPECT_TRUE(none.isNull("median_response_time_seconds"));
}

TEST_P(StatsPlugins, ActivityCountsOpenConversationsWithARecentMessage) {
  host.set("window_minutes", "30");
  LoadedStats loaded("stats_activity");
  feed(loaded);
  host.set_now(t0 + std::chrono::minutes(20));
  // The finished one is closed however recent; the ongoing one spoke 50 s after t0.
  EXPECT_EQ(loaded.query({kFinished}).getValue<Poco::Int64>("active_conversations"), 0);
  EXPECT_EQ(loaded.query({kOngoing}).getValue<Poco::Int64>("active_conversations"), 1);
  EXPECT_EQ(loaded.query({kFinished, kOngoing}).getValue<Poco::Int64>("active_conversations"), 1);
  host.set_now(t0 + seconds(50) + std::chrono::minutes(30));
  EXPECT_EQ(loaded.query({kOngoing}).getValue<Poco::Int64>("active_conversations"), 1);
  host.set_now(t0 + seconds(51) + std::chrono::minutes(30));
  EXPECT_EQ(loaded.query({kOngoing}).getValue<Poco::Int64>("active_conversations"), 0);
}

INSTANTIATE_TEST_SUITE_P(FromEventsAndFromTheStore, StatsPlugins,
                         ::testing::Values(Feed::Events, Feed::Store), [](const auto& info) {
                           return info.param == Feed::Events ? "Events" : "Store";
                         });

TEST(StatsActivity, RefusesAWindowOutOfRange) {
  FakeHost host;
  host.set("window_minutes", "0");
  LoadedStats loaded("stats_activity");
  EXPECT_NE(loaded.start(host).find("plugins.stats_activity.window_minutes"), std::string::npos);
}

}  // namespace

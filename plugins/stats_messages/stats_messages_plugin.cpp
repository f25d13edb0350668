// `stats_messages`: total_messages, unread_messages (for the caller) and last_activity.
#include <algorithm>
#include <map>
#include <shared_mutex>
#include <unordered_map>

#include <fieldlink/sdk/plugin.hpp>
#include <fieldlink/sdk/time.hpp>

#include "stats_events.hpp"

namespace {

using namespace fieldlink;

class StatsMessagesPlugin final : public sdk::Plugin, public sdk::StatsPlugin {
 public:
  sdk::StartResult start(sdk::HostContext& host) override {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    stats::replayStore(
        host.store(),
        [this](const sdk::ConversationView& conversation) {
          auto& figures = conversations_[conversation.id];
          for (const auto& p : conversation.participants)
            figures.read_up_to[p.user_id] = p.last_read_message_id;
        },
        [this](const sdk::MessageView& message) { add(message); });
    return sdk::StartResult::ok();
  }

  sdk::StatsPlugin* stats() override { return this; }

  std::vector<std::string> keys() const override {
    return {"total_messages", "unread_messages", "last_activity"};
  }

  void on_event(const sdk::Event& event) override {
    if (const auto message = stats::createdMessage(event)) {
      std::unique_lock<std::shared_mutex> lock(mutex_);
      add(*message);
    } else if (event.type == "message.read" && event.user_id && event.data) {
      const std::int64_t upto = event.data->optValue<Poco::Int64>("message_id", 0);
      std::unique_lock<std::shared_mutex> lock(mutex_);
      auto& marker = conversations_[event.conversation_id].read_up_to[*event.user_id];
      marker = std::max(marker, upto);
    }
  }

  void query(const sdk::StatsScope& scope, Poco::JSON::Object& out) const override {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    std::int64_t total = 0;
    std::int64_t unread = 0;
    std::optional<sdk::Clock::time_point> last;
    for (const std::int64_t id : scope.conversation_ids) {
      const auto it = conversations_.find(id);
      if (it == conversations_.end()) continue;
      const Figures& figures = it->second;
      total += static_cast<std::int64_t>(figures.messages.size());
      unread += unreadFor(figures, scope.caller_id);
      if (figures.last_activity && (!last || *figures.last_activity > *last))
        last = figures.last_activity;
    }
    out.set("total_messages", static_cast<Poco::Int64>(total));
    out.set("unread_messages", static_cast<Poco::Int64>(unread));
    out.set("last_activity",
            last ? Poco::Dynamic::Var(sdk::formatTime(*last)) : Poco::Dynamic::Var());
  }

 private:
  struct Sent {
    std::int64_t id;
    std::int64_t sender;  // 0: a system message
  };
  struct Figures {
    std::vector<Sent> messages;                       // ascending ids
    std::map<std::int64_t, std::int64_t> read_up_to;  // user -> last message read
    std::optional<sdk::Clock::time_point> last_activity;
  };

  // Called with the lock held. Ids only grow within a conversation, so an id that is not
  // newer than the last one was counted already.
  void add(const sdk::MessageView& message) {
    auto& figures = conversations_[message.conversation_id];
    if (!figures.messages.empty() && figures.messages.back().id >= message.id) return;
    figures.messages.push_back({message.id, message.sender_id.value_or(0)});
    figures.last_activity = message.created_at;
  }

  // Messages after the user's read marker that someone else sent; system messages count,
  // as in the conversation list's unread_count.
  static std::int64_t unreadFor(const Figures& figures, std::int64_t user) {
    const auto marker = figures.read_up_to.find(user);
    const std::int64_t read = marker == figures.read_up_to.end() ? 0 : marker->second;
    auto it = std::upper_bound(figures.messages.begin(), figures.messages.end(), read,
                               [](std::int64_t id, const Sent& m) { return id < m.id; });
    return std::count_if(it, figures.messages.end(),
                         [user](const Sent& m) { return m.sender != user; });
  }

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::int64_t, Figures> conversations_;
};

}  // namespace

FIELDLINK_PLUGIN(StatsMessagesPlugin, "stats_messages", "1.0.0", Stats)

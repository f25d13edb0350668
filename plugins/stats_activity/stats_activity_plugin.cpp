// `stats_activity`: active_conversations, the conversations in scope whose request is open
// (not completed or cancelled) and that had a message, system messages included, within the
// last `plugins.stats_activity.window_minutes` of the host's clock.
#include <shared_mutex>
#include <unordered_map>

#include <fieldlink/sdk/plugin.hpp>

#include "stats_events.hpp"

namespace {

using namespace fieldlink;

class StatsActivityPlugin final : public sdk::Plugin, public sdk::StatsPlugin {
 public:
  sdk::StartResult start(sdk::HostContext& host) override {
    host_ = &host;
    const int minutes = host.config().getInt("window_minutes", 60);
    if (minutes < 1 || minutes > 525600)
      return sdk::StartResult::failed(
          "plugins.stats_activity.window_minutes must be between 1 and 525600");
    window_ = std::chrono::minutes(minutes);
    std::unique_lock<std::shared_mutex> lock(mutex_);
    stats::replayStore(
        host.store(),
        [this](const sdk::ConversationView& conversation) {
          conversations_[conversation.id].open = !stats::isFinalStatus(conversation.request_status);
        },
        [this](const sdk::MessageView& message) {
          conversations_[message.conversation_id].last_message = message.created_at;
        });
    return sdk::StartResult::ok();
  }

  sdk::StatsPlugin* stats() override { return this; }

  std::vector<std::string> keys() const override { return {"active_conversations"}; }

  void on_event(const sdk::Event& event) override {
    const auto message = stats::createdMessage(event);
    if (!message) return;
    std::unique_lock<std::shared_mutex> lock(mutex_);
    auto& state = conversations_[message->conversation_id];
    state.last_message = message->created_at;
    if (const auto status = stats::statusChange(*message))
      state.open = !stats::isFinalStatus(*status);
  }

  void query(const sdk::StatsScope& scope, Poco::JSON::Object& out) const override {
    const auto since = host_->now() - window_;
    std::int64_t active = 0;
    std::shared_lock<std::shared_mutex> lock(mutex_);
    for (const std::int64_t id : scope.conversation_ids) {
      const auto it = conversations_.find(id);
      if (it != conversations_.end() && it->second.open && it->second.last_message &&
          *it->second.last_message >= since)
        ++active;
    }
    out.set("active_conversations", static_cast<Poco::Int64>(active));
  }

 private:
  struct State {
    bool open = true;
    std::optional<sdk::Clock::time_point> last_message;
  };

  sdk::HostContext* host_ = nullptr;
  std::chrono::minutes window_{60};
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::int64_t, State> conversations_;
};

}  // namespace

FIELDLINK_PLUGIN(StatsActivityPlugin, "stats_activity", "1.0.0", Stats)

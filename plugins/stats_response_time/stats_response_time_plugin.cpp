// `stats_response_time`: average_response_time_seconds and median_response_time_seconds.
//
// A response time is the time from the first of one or more consecutive messages by one
// sender to the next message by anyone else in the conversation; that reply starts the next
// wait. System messages neither start nor end a wait. The figures are over every response in
// scope (for a dashboard: all responses of all its conversations, not an average of
// averages); null when there is none.
#include <algorithm>
#include <cmath>
#include <shared_mutex>
#include <unordered_map>

#include <fieldlink/sdk/plugin.hpp>

#include "stats_events.hpp"

namespace {

using namespace fieldlink;

// Seconds with millisecond precision, as timestamps have.
double milliRounded(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

class StatsResponseTimePlugin final : public sdk::Plugin, public sdk::StatsPlugin {
 public:
  sdk::StartResult start(sdk::HostContext& host) override {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    stats::replayStore(
        host.store(), [](const sdk::ConversationView&) {},
        [this](const sdk::MessageView& message) { add(message); });
    return sdk::StartResult::ok();
  }

  sdk::StatsPlugin* stats() override { return this; }

  std::vector<std::string> keys() const override {
    return {"average_response_time_seconds", "median_response_time_seconds"};
  }

  void on_event(const sdk::Event& event) override {
    if (const auto message = stats::createdMessage(event)) {
      std::unique_lock<std::shared_mutex> lock(mutex_);
      add(*message);
    }
  }

  void query(const sdk::StatsScope& scope, Poco::JSON::Object& out) const override {
    std::vector<double> responses;
    {
      std::shared_lock<std::shared_mutex> lock(mutex_);
      for (const std::int64_t id : scope.conversation_ids) {
        const auto it = conversations_.find(id);
        if (it == conversations_.end()) continue;
        responses.insert(responses.end(), it->second.responses.begin(), it->second.responses.end());
      }
    }
    if (responses.empty()) {
      out.set("average_response_time_seconds", Poco::Dynamic::Var());
      out.set("median_response_time_seconds", Poco::Dynamic::Var());
      return;
    }
    double sum = 0;
    for (double r : responses) sum += r;
    out.set("average_response_time_seconds",
            milliRounded(sum / static_cast<double>(responses.size())));
    out.set("median_response_time_seconds", milliRounded(median(responses)));
  }

 private:
  struct Waiting {
    std::int64_t last_id = 0;
    std::int64_t sender = 0;  // who the others owe a reply; 0 before the first message
    sdk::Clock::time_point since;
    std::vector<double> responses;  // seconds
  };

  static double median(std::vector<double>& values) {
    const std::size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid),
                     values.end());
    const double upper = values[mid];
    if (values.size() % 2 == 1) return upper;
    const double lower =
        *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lower + upper) / 2;
  }

  // Called with the lock held, in id order per conversation.
  void add(const sdk::MessageView& message) {
    if (!message.sender_id) return;
    auto& state = conversations_[message.conversation_id];
    if (message.id <= state.last_id) return;
    state.last_id = message.id;
    if (state.sender == *message.sender_id) return;  // still the same side talking
    if (state.sender != 0) {
      const double waited = std::chrono::duration<double>(message.created_at - state.since).count();
      state.responses.push_back(std::max(0.0, waited));
    }
    state.sender = *message.sender_id;
    state.since = message.created_at;
  }

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::int64_t, Waiting> conversations_;
};

}  // namespace

FIELDLINK_PLUGIN(StatsResponseTimePlugin, "stats_response_time", "1.0.0", Stats)

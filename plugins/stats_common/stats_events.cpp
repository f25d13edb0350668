#include "stats_events.hpp"

namespace fieldlink::stats {
namespace {

constexpr int kConversationPage = 200;
constexpr int kMessagePage = 1000;

}  // namespace

std::optional<sdk::MessageView> createdMessage(const sdk::Event& event) {
  if (event.type != "message.created" || !event.data) return std::nullopt;
  sdk::MessageView message;
  message.id = event.data->optValue<Poco::Int64>("id", 0);
  message.conversation_id = event.conversation_id;
  if (event.data->has("sender_id") && !event.data->isNull("sender_id"))
    message.sender_id = event.data->getValue<Poco::Int64>("sender_id");
  message.message_type = event.data->optValue<std::string>("message_type", "");
  message.content = event.data->getObject("content");
  message.created_at = event.at;
  if (message.id <= 0) return std::nullopt;
  return message;
}

std::optional<std::string> statusChange(const sdk::MessageView& message) {
  if (message.message_type != "system" || !message.content ||
      message.content->optValue<std::string>("event", "") != "status_changed")
    return std::nullopt;
  const std::string status = message.content->optValue<std::string>("status", "");
  if (status.empty()) return std::nullopt;
  return status;
}

bool isFinalStatus(const std::string& status) {
  return status == "completed" || status == "cancelled";
}

void replayStore(const sdk::StoreReader& store,
                 const std::function<void(const sdk::ConversationView&)>& on_conversation,
                 const std::function<void(const sdk::MessageView&)>& on_message) {
  std::int64_t after_conversation = 0;
  for (;;) {
    const auto conversations = store.conversations(after_conversation, kConversationPage);
    for (const auto& conversation : conversations) {
      on_conversation(conversation);
      std::int64_t after_message = 0;
      for (;;) {
        const auto messages = store.messages(conversation.id, after_message, kMessagePage);
        for (const auto& message : messages) on_message(message);
        if (static_cast<int>(messages.size()) < kMessagePage) break;
        after_message = messages.back().id;
      }
    }
    if (static_cast<int>(conversations.size()) < kConversationPage) return;
    after_conversation = conversations.back().id;
  }
}

}  // namespace fieldlink::stats

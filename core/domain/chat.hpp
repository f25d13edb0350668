#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bus/event_bus.hpp"
#include "domain/model.hpp"
#include "plugins/plugin_host.hpp"
#include "store/store.hpp"

namespace fieldlink {

struct SendMessageInput {
  ConversationId conversation_id;
  std::string message_type;
  Poco::JSON::Object::Ptr content;
  std::optional<std::string> client_id;
};

struct SendResult {
  Message message;
  bool created = true;  // false: the client_id was seen before, this is the first message
};

// Conversations and their messages, as seen by one participant.
class Chat {
 public:
  Chat(Store& store, const PluginHost& plugins, EventBus& bus)
      : store_(store), plugins_(plugins), bus_(bus) {}

  std::vector<ConversationSummary> conversationsOf(const User& caller);
  // NotFound unless the caller takes part in it.
  Conversation conversation(const User& caller, ConversationId id);
  SendResult send(const User& caller, const SendMessageInput& input);
  MessagePage history(const User& caller, ConversationId id, const MessageQuery& query);
  // Marks everything up to `message` read; returns the caller's unread count afterwards.
  std::int64_t markRead(const User& caller, ConversationId id, MessageId message);

  // Appends a message made by the core (status changes) inside the caller's transaction.
  static Message appendSystemMessage(StoreSession& session, ConversationId conversation,
                                     Poco::JSON::Object::Ptr content, TimePoint at);
  // Tells the rest of the server (stats, the WebSocket hub) that `message` was stored.
  void announce(const Message& message) const;

 private:
  Store& store_;
  const PluginHost& plugins_;
  EventBus& bus_;
};

}  // namespace fieldlink

#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attachments/attachment_service.hpp"
#include "bus/event_bus.hpp"
#include "domain/model.hpp"
#include "plugins/plugin_host.hpp"
#include "plugins/plugin_links.hpp"
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
  std::vector<std::int64_t> participants;  // as of the transaction
  // The message's view as JSON text (views::appendMessage), rendered once by sendAsync for the
  // ack and for every receiver.
  std::shared_ptr<const std::string> message_json = nullptr;
};

struct ReadResult {
  std::int64_t unread_count = 0;
  std::vector<std::int64_t> participants;
};

// The participant ids of a conversation, the audience of its events.
std::vector<std::int64_t> participantIds(const Conversation& conversation);

// Conversations and their messages, as seen by one participant.
class Chat final : public MessagePoster {
 public:
  Chat(Store& store, const PluginHost& plugins, EventBus& bus, AttachmentService& attachments)
      : store_(store), plugins_(plugins), bus_(bus), attachments_(attachments) {}

  // One page of the caller's conversations, most recently active first.
  ConversationListPage conversationsOf(const User& caller, const ConversationListQuery& query);
  // The ids of every conversation the caller takes part in, ascending.
  std::vector<ConversationId> conversationIdsOf(const User& caller);
  // Messages people wrote in the caller's conversations, per hour, for the last `hours`
  // hours up to now (the current hour last, hours without messages as 0): each hour's start
  // and its count.
  std::vector<std::pair<TimePoint, std::int64_t>> messagesPerHour(const User& caller, int hours);
  // NotFound unless the caller takes part in it.
  Conversation conversation(const User& caller, ConversationId id);
  // The same with its participants' accounts (names and phones, for the people in it).
  struct WithPeople {
    Conversation conversation;
    std::vector<User> people;
  };
  WithPeople conversationWithPeople(const User& caller, ConversationId id);
  // Validates through the type's plugin, stores, and publishes message.created after the
  // commit. `origin_connection` names the WebSocket connection that sent it (0 for REST).
  SendResult send(const User& caller, const SendMessageInput& input);
  // The same without blocking: validation errors are thrown at once; the store's outcome is
  // given to `done` on the store's completion thread (a SendResult, or the exception), before
  // message.created is published. For the WebSocket reactor, which must not wait.
  using SendDone = std::function<void(const SendResult*, std::exception_ptr)>;
  void sendAsync(const User& caller, const SendMessageInput& input, std::uint64_t origin_connection,
                 SendDone done);
  MessagePage history(const User& caller, ConversationId id, const MessageQuery& query);
  // The conversation's messages with after_id < id <= upto_id as their JSON views, oldest
  // first, for the hub's delivery order (no caller: the hub checks who receives them).
  std::vector<Poco::JSON::Object::Ptr> messageViews(ConversationId id, MessageId after_id,
                                                    MessageId upto_id);
  // Updates a message shared live (content.live_until still ahead) by its sender: the new
  // content goes through the type's plugin and keeps the original `live_until`; `stop` ends
  // the sharing instead (live_until becomes now). Publishes message.updated. NotFound for
  // outsiders, Forbidden for anyone but the sender, Conflict("not_live"/"live_ended").
  Message updateLive(const User& caller, MessageId id, Poco::JSON::Object::Ptr content, bool stop,
                     std::uint64_t origin_connection = 0);
  // Marks everything up to `message` read; returns the caller's unread count afterwards.
  std::int64_t markRead(const User& caller, ConversationId id, MessageId message,
                        std::uint64_t origin_connection = 0);

  // HostContext::postMessage: a message a plugin made of its own type, from a participant;
  // the plugin's validate() is not asked. Stored and announced like any other.
  std::int64_t post(const std::string& type, std::int64_t conversation_id, std::int64_t sender_id,
                    const Poco::JSON::Object& content) override;

  // Appends a message made by the core (status changes) inside the caller's transaction.
  static Message appendSystemMessage(StoreSession& session, ConversationId conversation,
                                     Poco::JSON::Object::Ptr content, TimePoint at);
  // Tells the rest of the server (stats, the WebSocket hub) that `message` was stored. Call
  // it from the store's after-commit hook so announcements keep commit order.
  // `message_json` is the message's view as text if the caller has rendered it already.
  void announce(const Message& message, const std::vector<std::int64_t>& participants,
                std::uint64_t origin_connection = 0,
                std::shared_ptr<const std::string> message_json = nullptr) const;

 private:
  NewMessage prepare(const User& caller, const SendMessageInput& input) const;
  static SendResult append(StoreSession& s, const User& caller, const NewMessage& message);

  Store& store_;
  const PluginHost& plugins_;
  EventBus& bus_;
  AttachmentService& attachments_;
};

}  // namespace fieldlink

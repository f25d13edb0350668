#include "domain/chat.hpp"

#include <algorithm>

#include "bus/names.hpp"
#include "domain/errors.hpp"
#include "domain/input_rules.hpp"
#include "domain/views.hpp"
#include "store/store_errors.hpp"
#include "util/json_text.hpp"

namespace fieldlink {
namespace {

Conversation requireParticipant(StoreSession& s, const User& caller, ConversationId id) {
  auto conversation = s.findConversation(id);
  // The same answer for "does not exist" and "not yours": existence is not revealed.
  if (!conversation || !conversation->participant(caller.id))
    throw NotFound("Conversation not found.");
  return std::move(*conversation);
}

}  // namespace

ConversationListPage Chat::conversationsOf(const User& caller, const ConversationListQuery& query) {
  return store_.read([&](StoreSession& s) { return s.conversationsOf(caller.id, query); });
}

std::vector<ConversationId> Chat::conversationIdsOf(const User& caller) {
  std::vector<ConversationId> ids;
  for (const auto& conversation :
       store_.read([&](StoreSession& s) { return s.conversationPeopleOf(caller.id); }))
    ids.push_back(conversation.id);
  return ids;
}

std::vector<std::pair<TimePoint, std::int64_t>> Chat::messagesPerHour(const User& caller,
                                                                      int hours) {
  constexpr std::int64_t kHourMs = 3600 * 1000;
  const std::int64_t now_ms = toEpochMs(nowMs());
  const std::int64_t first_hour = now_ms - now_ms % kHourMs - (hours - 1) * kHourMs;
  const auto counted = store_.read(
      [&](StoreSession& s) { return s.messagesPerHour(caller.id, fromEpochMs(first_hour)); });
  std::vector<std::pair<TimePoint, std::int64_t>> series;
  auto next = counted.begin();
  for (int i = 0; i < hours; ++i) {
    const TimePoint hour = fromEpochMs(first_hour + i * kHourMs);
    std::int64_t count = 0;
    if (next != counted.end() && next->first == hour) count = (next++)->second;
    series.emplace_back(hour, count);
  }
  return series;
}

Conversation Chat::conversation(const User& caller, ConversationId id) {
  return store_.read([&](StoreSession& s) { return requireParticipant(s, caller, id); });
}

Chat::WithPeople Chat::conversationWithPeople(const User& caller, ConversationId id) {
  return store_.read([&](StoreSession& s) {
    WithPeople found{requireParticipant(s, caller, id), {}};
    for (const auto& p : found.conversation.participants)
      if (auto user = s.findUser(p.user_id)) found.people.push_back(std::move(*user));
    return found;
  });
}

std::vector<std::int64_t> participantIds(const Conversation& conversation) {
  std::vector<std::int64_t> ids;
  for (const auto& p : conversation.participants) ids.push_back(p.user_id.value);
  return ids;
}

NewMessage Chat::prepare(const User& caller, const SendMessageInput& input) const {
  if (input.client_id) rules::checkClientId(*input.client_id);
  sdk::MessageContext context{input.conversation_id.value, caller.id.value, {}};
  context.attachments = attachments_.resolve(caller, input.message_type, *input.content);
  const sdk::ValidationResult validated =
      plugins_.validate(input.message_type, *input.content, context);
  if (!validated.ok()) throw InvalidInput("content." + validated.field(), validated.reason());
  NewMessage message;
  for (const auto& attachment : context.attachments)
    message.attachment_ids.push_back(attachment.id);
  message.conversation_id = input.conversation_id;
  message.sender_id = caller.id;
  message.message_type = input.message_type;
  message.content = validated.content();
  message.content_json = json_text::of(*message.content);
  message.client_id = input.client_id;
  message.created_at = nowMs();
  return message;
}

SendResult Chat::append(StoreSession& s, const User& caller, const NewMessage& message) {
  // Membership is checked inside the transaction: it may change between two messages.
  std::vector<std::int64_t> participants;
  for (const UserId id : s.participantIds(message.conversation_id))
    participants.push_back(id.value);
  if (std::find(participants.begin(), participants.end(), caller.id.value) == participants.end())
    throw NotFound("Conversation not found.");
  // A resend (the same client_id) is told by the schema's unique key, not by a lookup
  // first: a message sent with a client_id (nearly all are) costs one statement, and only a
  // resend pays for the lookup. (Two nodes cannot both miss the first send: membership above
  // took the conversation's lock, so the second waits for the first to commit.)
  std::optional<Message> inserted;
  try {
    inserted = s.insertMessage(message);
  } catch (const ClientIdTaken&) {
    auto first = s.findMessageByClientId(caller.id, *message.client_id);
    if (!first) throw;
    if (first->conversation_id != message.conversation_id)
      throw Conflict("This client_id was already used in another conversation.",
                     "client_id_reused");
    return SendResult{std::move(*first), false, std::move(participants)};
  }
  Message stored = std::move(*inserted);
  for (const std::int64_t attachment : message.attachment_ids)
    if (!s.linkAttachment(attachment, stored.id, stored.conversation_id))
      throw Conflict("This attachment was already sent in another message.", "attachment_in_use");
  return SendResult{std::move(stored), true, std::move(participants)};
}

SendResult Chat::send(const User& caller, const SendMessageInput& input) {
  // Outsiders learn nothing about a conversation, not even whether their content is valid.
  store_.read([&](StoreSession& s) { requireParticipant(s, caller, input.conversation_id); });
  const NewMessage message = prepare(caller, input);
  return store_.write([&](StoreSession& s) { return append(s, caller, message); },
                      [&](const SendResult& result) {
                        if (result.created) announce(result.message, result.participants);
                      });
}

std::int64_t Chat::post(const std::string& type, std::int64_t conversation_id,
                        std::int64_t sender_id, const Poco::JSON::Object& content) {
  NewMessage message;
  message.conversation_id = ConversationId(conversation_id);
  message.sender_id = UserId(sender_id);
  message.message_type = type;
  message.content = new Poco::JSON::Object(content);
  message.content_json = json_text::of(*message.content);
  message.created_at = nowMs();
  User sender;
  sender.id = UserId(sender_id);
  const SendResult result =
      store_.write([&](StoreSession& s) { return append(s, sender, message); },
                   [&](const SendResult& stored) {
                     if (stored.created) announce(stored.message, stored.participants);
                   });
  return result.message.id.value;
}

void Chat::sendAsync(const User& caller, const SendMessageInput& input,
                     std::uint64_t origin_connection, SendDone done) {
  auto message = std::make_shared<NewMessage>(prepare(caller, input));
  auto result = std::make_shared<std::optional<SendResult>>();
  store_.writeAsync(
      [message, result, caller](StoreSession& s) { result->emplace(append(s, caller, *message)); },
      [this, result, origin_connection, done = std::move(done)](std::exception_ptr error) {
        if (error) {
          done(nullptr, error);
          return;
        }
        SendResult& sent = **result;
        auto json = std::make_shared<std::string>();
        views::appendMessage(*json, sent.message);
        sent.message_json = std::move(json);
        done(&sent, nullptr);
        if (sent.created)
          announce(sent.message, sent.participants, origin_connection, sent.message_json);
      });
}

MessagePage Chat::history(const User& caller, ConversationId id, const MessageQuery& query) {
  return store_.read([&](StoreSession& s) {
    requireParticipant(s, caller, id);
    return s.messages(id, query);
  });
}

std::vector<Poco::JSON::Object::Ptr> Chat::messageViews(ConversationId id, MessageId after_id,
                                                        MessageId upto_id) {
  std::vector<Poco::JSON::Object::Ptr> views;
  MessageId after = after_id;
  for (;;) {
    const MessageQuery query{after, MessageId(upto_id.value + 1), 200};  // before: exclusive
    const MessagePage page = store_.read([&](StoreSession& s) { return s.messages(id, query); });
    for (const auto& m : page.results) views.push_back(views::message(m));
    if (!page.has_more || page.results.empty()) return views;
    after = page.results.back().id;
  }
}

std::int64_t Chat::markRead(const User& caller, ConversationId id, MessageId message,
                            std::uint64_t origin_connection) {
  const ReadResult result = store_.write(
      [&](StoreSession& s) {
        const Conversation conversation = requireParticipant(s, caller, id);
        const auto target = s.findMessage(message);
        if (!target || target->conversation_id != id)
          throw InvalidInput("message_id", "No such message in this conversation.");
        s.advanceReadMarker(id, caller.id, message);
        return ReadResult{s.unreadCount(id, caller.id), participantIds(conversation)};
      },
      [&](const ReadResult& read) {
        sdk::Event event;
        event.type = eventType(EventKind::MessageRead);
        event.conversation_id = id.value;
        event.user_id = caller.id.value;
        event.data = new Poco::JSON::Object;
        event.data->set("message_id", static_cast<Poco::Int64>(message.value));
        event.at = nowMs();
        bus_.publish(event, Routing{read.participants, origin_connection});
      });
  return result.unread_count;
}

Message Chat::updateLive(const User& caller, MessageId id, Poco::JSON::Object::Ptr content,
                         bool stop, std::uint64_t origin_connection) {
  auto message = store_.read([&](StoreSession& s) {
    auto found = s.findMessage(id);
    if (!found) throw NotFound("Message not found.");
    requireParticipant(s, caller, found->conversation_id);
    return std::move(*found);
  });
  if (!message.sender_id || *message.sender_id != caller.id)
    throw Forbidden("Only its sender updates a message shared live.");
  const std::string until_text = message.content->optValue<std::string>("live_until", "");
  const auto until = parseRfc3339(until_text);
  if (!until) throw Conflict("This message is not shared live.", "not_live");
  if (nowMs() >= *until) throw Conflict("Live sharing of this message has ended.", "live_ended");

  Poco::JSON::Object::Ptr updated;
  if (stop) {
    updated = new Poco::JSON::Object(*message.content);
    updated->set("live_until", formatRfc3339(nowMs()));
  } else {
    Poco::JSON::Object::Ptr proposed = new Poco::JSON::Object(*content);
    proposed->set("live_until", until_text);
    sdk::MessageContext context{message.conversation_id.value, caller.id.value, {}};
    const sdk::ValidationResult validated =
        plugins_.validate(message.message_type, *proposed, context);
    if (!validated.ok()) throw InvalidInput("content." + validated.field(), validated.reason());
    updated = validated.content();
    updated->set("live_until", until_text);  // the plugin may not extend it
  }
  const std::string json = json_text::of(*updated);
  message.content = updated;
  store_.write(
      [&](StoreSession& s) {
        s.updateMessageContent(id, json);
        std::vector<std::int64_t> audience;
        for (const UserId user : s.participantIds(message.conversation_id))
          audience.push_back(user.value);
        return audience;
      },
      [&](const std::vector<std::int64_t>& audience) {
        sdk::Event event;
        event.type = eventType(EventKind::MessageUpdated);
        event.conversation_id = message.conversation_id.value;
        event.user_id = caller.id.value;
        event.data = views::message(message);
        event.at = nowMs();
        bus_.publish(event, Routing{audience, origin_connection});
      });
  return message;
}

Message Chat::appendSystemMessage(StoreSession& session, ConversationId conversation,
                                  Poco::JSON::Object::Ptr content, TimePoint at) {
  NewMessage message;
  message.conversation_id = conversation;
  message.message_type = "system";
  message.content = std::move(content);
  message.created_at = at;
  return session.insertMessage(message);
}

void Chat::announce(const Message& message, const std::vector<std::int64_t>& participants,
                    std::uint64_t origin_connection,
                    std::shared_ptr<const std::string> message_json) const {
  sdk::Event event;
  event.type = eventType(EventKind::MessageCreated);
  event.conversation_id = message.conversation_id.value;
  if (message.sender_id) event.user_id = message.sender_id->value;
  event.data = views::message(message);
  event.at = message.created_at;
  if (!message_json) {
    auto json = std::make_shared<std::string>();
    views::appendMessage(*json, message);
    message_json = std::move(json);
  }
  Routing routing{participants, origin_connection};
  routing.message_json = std::move(message_json);
  bus_.publish(event, routing);
}

}  // namespace fieldlink

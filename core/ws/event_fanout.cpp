#include "ws/event_fanout.hpp"

#include <algorithm>
#include <array>

#include "util/json_text.hpp"
#include "ws/frame_text.hpp"
#include "ws/permessage_deflate.hpp"

namespace fieldlink::ws {
namespace {

// {"type": <type>, <field>: <value>}
std::string frameWith(std::string_view type, const std::string& field,
                      const Poco::JSON::Object::Ptr& value) {
  Poco::JSON::Object frame;
  frame.set("type", std::string(type));
  frame.set(field, value);
  return frameText(frame);
}

}  // namespace

EventFanout::Handler EventFanout::handlerFor(EventKind kind) {
  // In the order of EventKind.
  static constexpr std::array<Handler, kEventNames.size()> kTable{
      &EventFanout::messageCreated, &EventFanout::messageRead, &EventFanout::messageUpdated,
      &EventFanout::typing,         &EventFanout::presence,    &EventFanout::tracking,
      &EventFanout::notification,   &EventFanout::pluginFrame};
  return kTable[static_cast<std::size_t>(kind)];
}

void EventFanout::onEvent(const sdk::Event& event, const Routing& routing) {
  if (const auto kind = eventKindOf(event.type)) (this->*handlerFor(*kind))(event, routing);
}

void EventFanout::learnParticipants(std::int64_t conversation, const Routing& routing) {
  if (routing.remote && participants_from_store_ &&
      index_.participantsOf(conversation) != routing.audience) {
    // Rare (an assignment made on another node): the store says who takes part.
    for (const auto& c :
         index_.learnParticipants(conversation, participants_from_store_(conversation)))
      c->close(close_code::kForbidden, "no longer a participant");
    return;
  }
  for (const auto& c : index_.learnParticipants(conversation, routing.audience))
    c->close(close_code::kForbidden, "no longer a participant");
}

void EventFanout::deliverMessage(const std::string& message_json, std::int64_t id,
                                 std::int64_t conversation, const Routing& routing,
                                 std::uint64_t skip_connection) {
  // Keys in the order the object would give them, as in acks and resumes.
  std::string text;
  text.reserve(message_json.size() + 32);
  text += "{\"message\":";
  text += message_json;
  text += ",\"type\":\"";
  text += server_frame::kMessage;
  text += "\"}";
  const auto targets = index_.receivers(routing.audience, conversation, skip_connection, 0);
  EncodedMessage encoded{encodeFrame(Opcode::Text, text), ""};
  if (std::any_of(targets.begin(), targets.end(),
                  [&](const auto& c) { return c->wantsDeflated(text.size()); }))
    encoded.deflated = encodeFrame(Opcode::Text, deflateMessage(text), /*compressed=*/true);
  for (const auto& c : targets) c->deliverMessage(ConversationId(conversation), id, encoded);
  delivered_.add(targets.size());
}

void EventFanout::messageCreated(const sdk::Event& e, const Routing& routing) {
  learnParticipants(e.conversation_id, routing);
  // The announced message as Chat rendered it (an event from another node has no text), and
  // messages the sequencer read back from the store, from their objects.
  std::string rendered;
  const auto textOf = [&](const Poco::JSON::Object::Ptr& message,
                          bool is_announced) -> const std::string& {
    if (is_announced && routing.message_json) return *routing.message_json;
    return rendered = json_text::of(*message);
  };
  const auto idOf = [](const Poco::JSON::Object::Ptr& message) {
    return static_cast<std::int64_t>(message->getValue<Poco::Int64>("id"));
  };
  if (!sequencer_) {
    deliverMessage(textOf(e.data, true), idOf(e.data), e.conversation_id, routing,
                   routing.origin_connection);
    return;
  }
  // Only the announced message skips its sender's connection (which gets the ack); earlier
  // ones read from the store go to everyone.
  sequencer_->admit(
      e.conversation_id, e.data, [&](const Poco::JSON::Object::Ptr& message, bool is_announced) {
        deliverMessage(textOf(message, is_announced), idOf(message), e.conversation_id, routing,
                       is_announced ? routing.origin_connection : 0);
      });
}

void EventFanout::messageRead(const sdk::Event& e, const Routing& routing) {
  learnParticipants(e.conversation_id, routing);
  const std::string text =
      "{\"type\":\"" + std::string(server_frame::kRead) +
      "\",\"conversation_id\":" + std::to_string(e.conversation_id) +
      ",\"user_id\":" + std::to_string(e.user_id.value_or(0)) +
      ",\"message_id\":" + std::to_string(e.data->getValue<Poco::Int64>("message_id")) + "}";
  for (const auto& c :
       index_.receivers(routing.audience, e.conversation_id, routing.origin_connection, 0))
    c->sendText(text);
}

void EventFanout::messageUpdated(const sdk::Event& e, const Routing& routing) {
  const std::string text = frameWith(server_frame::kMessageUpdated, "message", e.data);
  for (const auto& c : index_.receivers(routing.audience, e.conversation_id, 0, 0))
    c->sendText(text);
}

void EventFanout::typing(const sdk::Event& e, const Routing& routing) {
  const std::string text =
      "{\"type\":\"" + std::string(server_frame::kTyping) +
      "\",\"conversation_id\":" + std::to_string(e.conversation_id) +
      ",\"user_id\":" + std::to_string(e.user_id.value_or(0)) +
      ",\"is_typing\":" + (e.data->getValue<bool>("is_typing") ? "true" : "false") + "}";
  for (const auto& c :
       index_.receivers(routing.audience, e.conversation_id, 0, e.user_id.value_or(0)))
    c->sendText(text);
}

void EventFanout::presence(const sdk::Event& e, const Routing& routing) {
  const std::int64_t user = e.user_id.value_or(0);
  const std::string text = "{\"type\":\"" + std::string(server_frame::kPresence) +
                           "\",\"user_id\":" + std::to_string(user) +
                           ",\"online\":" + (e.data->getValue<bool>("online") ? "true" : "false") +
                           "}";
  for (const auto& c : index_.receivers(routing.audience, 0, 0, user)) {
    // A connection to one conversation hears only about that conversation's people.
    if (c->identity().scope) {
      const auto people = index_.participantsOf(c->identity().scope->value);
      if (std::find(people.begin(), people.end(), user) == people.end()) continue;
    }
    c->sendText(text);
  }
}

void EventFanout::tracking(const sdk::Event& e, const Routing& routing) {
  Poco::JSON::Object frame(*e.data);
  frame.set("type", std::string(server_frame::kTracking));
  const std::string text = frameText(frame);
  for (const auto& c : index_.receivers(routing.audience, e.conversation_id, 0, 0))
    c->sendText(text);
}

void EventFanout::notification(const sdk::Event& e, const Routing& routing) {
  const std::string text = frameWith(server_frame::kNotification, "notification", e.data);
  // On /ws/ only: a connection to one conversation is a chat window, not the user's inbox.
  for (const auto& c : index_.receivers(routing.audience, 0, 0, 0))
    if (!c->identity().scope) c->sendText(text);
}

void EventFanout::pluginFrame(const sdk::Event& e, const Routing& routing) {
  const std::string text = frameText(*e.data);
  for (const auto& c :
       index_.receivers(routing.audience, e.conversation_id, routing.origin_connection, 0))
    if (routing.only_connection == 0 || c->id() == routing.only_connection) c->sendText(text);
}

}  // namespace fieldlink::ws

#include "ws/frame_handlers.hpp"

#include <algorithm>
#include <array>

#include <Poco/JSON/Parser.h>

#include "domain/errors.hpp"
#include "domain/views.hpp"
#include "http/json_input.hpp"
#include "tracking/position_input.hpp"
#include "util/json_text.hpp"
#include "ws/error_frame.hpp"
#include "ws/frame_text.hpp"

namespace fieldlink::ws {
namespace {

// The client_id to echo in an error frame: only a string one (a wrong type is itself the error).
std::optional<std::string> clientIdOf(const Poco::JSON::Object& frame) {
  if (!frame.has("client_id") || frame.isNull("client_id")) return std::nullopt;
  const auto value = frame.get("client_id");
  if (!value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

std::string typeFrame(std::string_view type) { return "{\"type\":\"" + std::string(type) + "\"}"; }

}  // namespace

FrameHandlers::FrameHandlers(Chat& chat, Tracker& tracker, const PluginHost& plugins, EventBus& bus,
                             const WsSettings& settings, const ConnectionIndex& index)
    : chat_(chat),
      tracker_(tracker),
      plugins_(plugins),
      bus_(bus),
      settings_(settings),
      index_(index),
      work_(settings.worker_threads, "fl-ws-worker") {}

FrameHandlers::Handler FrameHandlers::handlerFor(ClientFrame type) {
  // In the order of ClientFrame.
  static constexpr std::array<Handler, kClientFrameNames.size()> kTable{
      &FrameHandlers::message, &FrameHandlers::typing,   &FrameHandlers::read,
      &FrameHandlers::resume,  &FrameHandlers::position, &FrameHandlers::update,
      &FrameHandlers::ping};
  return kTable[static_cast<std::size_t>(type)];
}

template <class Work>
void FrameHandlers::offReactor(const std::shared_ptr<Connection>& c,
                               std::optional<std::string> client_id, Work work) {
  std::weak_ptr<Connection> weak = c;
  work_.post(c->id(), [weak, client_id = std::move(client_id), work = std::move(work)] {
    const auto connection = weak.lock();
    if (!connection) return;
    try {
      work(connection);
    } catch (...) {
      connection->sendText(errorFrame(std::current_exception(), client_id));
    }
  });
}

// The connection has already applied the rate limit (it holds frames back, not drops them).
void FrameHandlers::onText(const std::shared_ptr<Connection>& c, std::string text) {
  Frame frame;
  try {
    const auto parsed = Poco::JSON::Parser().parse(text);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr))
      frame = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
  }
  if (!frame) {
    c->sendText(errorFrame("parse_error", "Frames are JSON objects.", std::nullopt));
    return;
  }
  try {
    const std::string type = frame->optValue<std::string>("type", "");
    if (const auto core = clientFrameOf(type))
      (this->*handlerFor(*core))(c, frame);
    else if (plugins_.ownsFrame(type))
      pluginFrame(c, type, frame);
    else
      throw InvalidInput("type", "One of message, typing, read, resume, update, position, ping.",
                         "unknown_frame_type");
  } catch (...) {
    c->sendText(errorFrame(std::current_exception(), clientIdOf(*frame)));
  }
}

ConversationId FrameHandlers::conversationOf(const Connection& c,
                                             const Poco::JSON::Object& frame) const {
  ConversationId conversation;
  if (frame.has("conversation_id") && !frame.isNull("conversation_id"))
    conversation = ConversationId(json_input::requiredId(frame, "conversation_id"));
  else if (c.identity().scope)
    conversation = *c.identity().scope;
  else
    throw InvalidInput("conversation_id", "This field is required.");
  const auto people = index_.participantsOf(conversation.value);
  if (!c.follows(conversation) ||
      std::find(people.begin(), people.end(), c.user().id.value) == people.end())
    throw NotFound("Conversation not found.");
  return conversation;
}

void FrameHandlers::message(const std::shared_ptr<Connection>& c, const Frame& frame) {
  SendMessageInput input;
  input.conversation_id = conversationOf(*c, *frame);
  input.message_type = json_input::requiredString(*frame, "message_type");
  if (input.message_type == "system")
    throw InvalidInput("message_type", "System messages are made by the server.",
                       "unknown_message_type");
  input.content = json_input::requiredObject(*frame, "content");
  input.client_id = json_input::optionalString(*frame, "client_id");
  c->beginWork();  // a close asked meanwhile waits for this ack
  // Checking an attachment reads the store, which the reactor must not wait for: such a
  // message goes through the connection's worker queue, and so do the ones after it while
  // it waits there, so that a connection's messages keep their order.
  if (input.content->has("attachment_id") || work_.busy(c->id())) {
    offReactor(c, input.client_id, [this, input](const std::shared_ptr<Connection>& connection) {
      send(connection, input);
    });
    return;
  }
  send(c, input);
}

void FrameHandlers::send(const std::shared_ptr<Connection>& c, const SendMessageInput& input) {
  const auto client_id = input.client_id;
  std::weak_ptr<Connection> weak = c;
  try {
    chat_.sendAsync(c->user(), input, c->id(),
                    [weak, client_id](const SendResult* result, std::exception_ptr error) {
                      const auto connection = weak.lock();
                      if (!connection) return;
                      if (error) {
                        connection->sendText(errorFrame(error, client_id));
                      } else {
                        // One per message sent: written as text, keys in Poco's order.
                        std::string ack = "{\"client_id\":";
                        if (client_id)
                          json_text::appendString(ack, *client_id);
                        else
                          ack += "null";
                        ack += ",\"message\":";
                        ack += *result->message_json;
                        ack += ",\"type\":\"";
                        ack += server_frame::kAck;
                        ack += "\"}";
                        connection->sendText(ack);
                      }
                      connection->endWork();
                    });
  } catch (...) {
    c->endWork();  // refused before it reached the writer: no ack will come
    throw;
  }
}

// A pong comes after the answers to every earlier frame that went to the workers, so a
// client can use ping to learn that its position, read or update frames were handled.
void FrameHandlers::ping(const std::shared_ptr<Connection>& c, const Frame&) {
  static const std::string pong = typeFrame(server_frame::kPong);
  if (!work_.busy(c->id())) {
    c->sendText(pong);
    return;
  }
  offReactor(c, std::nullopt,
             [](const std::shared_ptr<Connection>& connection) { connection->sendText(pong); });
}

void FrameHandlers::typing(const std::shared_ptr<Connection>& c, const Frame& frame) {
  const ConversationId conversation = conversationOf(*c, *frame);
  const bool typing = json_input::requiredBool(*frame, "is_typing");
  const auto now = SteadyClock::now();
  auto& state = c->typing()[conversation.value];
  if (typing) {
    state.expires_at = now + settings_.typing_timeout;
    if (state.active && now - state.last_relayed < settings_.typing_throttle) return;
    state.active = true;
    state.last_relayed = now;
    publishTyping(*c, conversation.value, true);
  } else if (state.active) {
    state.active = false;
    publishTyping(*c, conversation.value, false);
  }
}

void FrameHandlers::onTick(const std::shared_ptr<Connection>& c, SteadyClock::time_point now) {
  for (auto& [conversation, state] : c->typing()) {
    if (state.active && now >= state.expires_at) {
      state.active = false;  // the typist went quiet without saying so
      publishTyping(*c, conversation, false);
    }
  }
}

void FrameHandlers::onClosed(const std::shared_ptr<Connection>& c) {
  for (auto& [conversation, typing] : c->typing())
    if (typing.active) publishTyping(*c, conversation, false);
}

void FrameHandlers::tellPlugins(const std::shared_ptr<Connection>& c) {
  // After the connection's frames still being handled: a plugin hears of them first.
  work_.post(c->id(),
             [this, user = c->user().id.value, id = c->id()] { plugins_.onDisconnect(user, id); });
}

void FrameHandlers::publishTyping(const Connection& c, std::int64_t conversation, bool typing) {
  sdk::Event e;
  e.type = eventType(EventKind::Typing);
  e.conversation_id = conversation;
  e.user_id = c.user().id.value;
  e.data = new Poco::JSON::Object;
  e.data->set("is_typing", typing);
  e.at = nowMs();
  bus_.publish(e, Routing{index_.participantsOf(conversation), c.id()});
}

void FrameHandlers::read(const std::shared_ptr<Connection>& c, const Frame& frame) {
  const ConversationId conversation = conversationOf(*c, *frame);
  const MessageId message(json_input::requiredId(*frame, "message_id"));
  offReactor(c, std::nullopt, [this, conversation, message](const auto& connection) {
    chat_.markRead(connection->user(), conversation, message, connection->id());
  });
}

void FrameHandlers::position(const std::shared_ptr<Connection>& c, const Frame& frame) {
  const RequestId request(json_input::requiredId(*frame, "request_id"));
  const tracking::TrackPoint point = tracking::readTrackPoint(*frame, nowMs());
  // The request's assignment is read from the store: not on the reactor thread.
  offReactor(c, std::nullopt, [this, request, point](const auto& connection) {
    tracker_.post(connection->user(), request, point);
  });
}

void FrameHandlers::update(const std::shared_ptr<Connection>& c, const Frame& frame) {
  const MessageId message(json_input::requiredId(*frame, "message_id"));
  const bool stop = json_input::optionalBool(*frame, "stop").value_or(false);
  Poco::JSON::Object::Ptr content = stop ? Poco::JSON::Object::Ptr(new Poco::JSON::Object)
                                         : json_input::requiredObject(*frame, "content");
  offReactor(c, std::nullopt, [this, message, content, stop](const auto& connection) {
    chat_.updateLive(connection->user(), message, content, stop, connection->id());
  });
}

void FrameHandlers::pluginFrame(const std::shared_ptr<Connection>& c, const std::string& type,
                                const Frame& frame) {
  sdk::FrameSender from;
  from.conversation_id = conversationOf(*c, *frame).value;
  from.user_id = c->user().id.value;
  from.role = toString(c->user().role);
  from.connection_id = c->id();
  // Plugins may use the store: not on the reactor thread.
  offReactor(c, clientIdOf(*frame),
             [this, type, from, frame](const auto&) { plugins_.onFrame(type, from, *frame); });
}

void FrameHandlers::resume(const std::shared_ptr<Connection>& c, const Frame& frame) {
  const ConversationId conversation = conversationOf(*c, *frame);
  const std::int64_t after = json_input::requiredInteger(*frame, "after_id", 0);
  c->beginResume(conversation);
  std::weak_ptr<Connection> weak = c;
  work_.post(c->id(), [this, weak, conversation, after] {
    const auto connection = weak.lock();
    if (!connection) return;
    try {
      std::vector<std::pair<std::int64_t, std::string>> replay;
      std::size_t replay_bytes = 0;
      MessageQuery query;
      query.after_id = MessageId(after);
      query.content_as_text = true;
      bool has_more = true;
      // One page of the resume: what the connection's queue can take (it cuts the rest).
      const auto page_is_full = [&] {
        return static_cast<int>(replay.size()) >= settings_.resume_max_messages ||
               replay_bytes >= connection->resumePageBytes();
      };
      while (has_more && !page_is_full()) {
        query.limit =
            std::min(200, settings_.resume_max_messages - static_cast<int>(replay.size()));
        const MessagePage page = chat_.history(connection->user(), conversation, query);
        std::size_t taken = 0;
        for (const auto& m : page.results) {
          std::string text = "{\"message\":";
          views::appendMessage(text, m);
          text += ",\"type\":\"";
          text += server_frame::kMessage;
          text += "\"}";
          replay.emplace_back(m.id.value, connection->textFrame(text));
          replay_bytes += replay.back().second.size();
          ++taken;
          if (page_is_full()) break;
        }
        has_more = page.has_more || taken < page.results.size();
        if (taken > 0) query.after_id = page.results[taken - 1].id;
      }
      connection->finishResume(conversation, replay, has_more);
    } catch (...) {
      connection->abortResume(conversation);
      connection->sendText(errorFrame(std::current_exception(), std::nullopt));
    }
  });
}

}  // namespace fieldlink::ws

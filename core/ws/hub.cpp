#include "ws/hub.hpp"

#include <algorithm>
#include <sstream>

#include <Poco/JSON/Parser.h>

#include "domain/errors.hpp"
#include "domain/views.hpp"
#include "tracking/position_input.hpp"
#include "ws/error_frame.hpp"
#include "ws/permessage_deflate.hpp"

namespace fieldlink::ws {
namespace {

std::string toText(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::optional<std::string> optionalClientId(const Poco::JSON::Object& frame) {
  if (!frame.has("client_id") || frame.isNull("client_id")) return std::nullopt;
  const auto value = frame.get("client_id");
  if (!value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

std::int64_t intField(const Poco::JSON::Object& frame, const std::string& field, std::int64_t min) {
  if (!frame.has(field) || frame.isNull(field))
    throw InvalidInput(field, "This field is required.");
  const auto value = frame.get(field);
  if (!value.isInteger() || value.isBoolean()) throw InvalidInput(field, "Must be an integer.");
  const auto number = value.convert<Poco::Int64>();
  if (number < min) throw InvalidInput(field, "Must be at least " + std::to_string(min) + ".");
  return number;
}

sdk::Event event(const std::string& type, std::int64_t conversation, std::int64_t user) {
  sdk::Event e;
  e.type = type;
  e.conversation_id = conversation;
  e.user_id = user;
  e.data = new Poco::JSON::Object;
  e.at = nowMs();
  return e;
}

}  // namespace

Hub::Hub(Chat& chat, Tracker& tracker, const PluginHost& plugins, EventBus& bus,
         const WsSettings& settings, metrics::Counter& delivered)
    : chat_(chat),
      tracker_(tracker),
      plugins_(plugins),
      bus_(bus),
      settings_(settings),
      delivered_(delivered),
      blocking_work_(settings.worker_threads, "fl-ws-worker") {
  subscription_ = bus_.subscribe([this](const sdk::Event& e, const Routing& r) { onEvent(e, r); });
}

Hub::~Hub() { bus_.unsubscribe(subscription_); }

std::shared_ptr<Connection> Hub::refusal(std::uint16_t code, const std::string& reason) {
  auto connection = std::make_shared<Connection>(next_id_++, Identity{}, settings_, this);
  connection->close(code, reason);  // queued before it is served: written right after the 101
  return connection;
}

std::shared_ptr<Connection> Hub::admit(
    Identity identity, const std::map<std::int64_t, std::vector<std::int64_t>>& conversations,
    std::uint16_t& refusal) {
  const std::uint64_t id = next_id_++;
  auto connection = std::make_shared<Connection>(id, std::move(identity), settings_, this);
  const std::int64_t user = connection->user().id.value;
  bool first_of_user = false;
  std::set<std::int64_t> online_peers;
  std::set<std::int64_t> peers_not_here;  // asked of the other nodes, outside the lock
  {
    std::unique_lock<std::shared_mutex> lock(index_mutex_);
    auto& mine = by_user_[user];
    if (static_cast<int>(mine.size()) >= settings_.max_connections_per_user) {
      refusal = close_code::kTooManyConnections;
      return nullptr;
    }
    first_of_user = mine.empty();
    mine.push_back(connection);
    ++open_;
    for (const auto& [conversation, participants] : conversations) {
      participants_[conversation] = participants;
      for (auto participant : participants) conversations_of_[participant].insert(conversation);
      if (connection->follows(ConversationId(conversation)))
        for (auto participant : participants) {
          if (participant == user) continue;
          if (by_user_.count(participant))
            online_peers.insert(participant);
          else if (presence_)
            peers_not_here.insert(participant);
        }
    }
  }
  if (presence_) {
    if (first_of_user) presence_->arrived(user);
    for (auto peer : peers_not_here)
      if (presence_->onlineElsewhere(peer)) online_peers.insert(peer);
  }
  // Who is online already, so the newcomer's page can show it at once.
  for (auto peer : online_peers)
    connection->sendText("{\"type\":\"presence\",\"user_id\":" + std::to_string(peer) +
                         ",\"online\":true}");
  if (first_of_user) publishPresence(connection->user(), true);
  return connection;
}

void Hub::onClosed(const std::shared_ptr<Connection>& connection) {
  const std::int64_t user = connection->user().id.value;
  if (user == 0) return;  // a refused handshake, never registered
  for (auto& [conversation, typing] : connection->typing())
    if (typing.active) publishTyping(*connection, conversation, false);
  bool last_of_user = false;
  {
    std::unique_lock<std::shared_mutex> lock(index_mutex_);
    auto it = by_user_.find(user);
    if (it == by_user_.end()) return;
    auto& mine = it->second;
    const auto before = mine.size();
    mine.erase(std::remove(mine.begin(), mine.end(), connection), mine.end());
    if (mine.size() == before) return;  // already gone
    --open_;
    if (mine.empty()) {
      by_user_.erase(it);
      last_of_user = true;
    }
  }
  if (last_of_user && presence_) {
    // Redis may be slow or away: not on the reactor thread.
    blocking_work_.post(connection->id(), [this, who = connection->user()] {
      presence_->left(who.id.value);
      if (!presence_->onlineElsewhere(who.id.value)) publishPresence(who, false);
    });
  } else if (last_of_user) {
    publishPresence(connection->user(), false);
  }
  // After the connection's frames still being handled: a plugin hears of them first.
  blocking_work_.post(connection->id(),
                      [this, user, id = connection->id()] { plugins_.onDisconnect(user, id); });
}

void Hub::publishPresence(const User& user, bool online) {
  Audience audience;
  {
    std::shared_lock<std::shared_mutex> lock(index_mutex_);
    const auto it = conversations_of_.find(user.id.value);
    if (it != conversations_of_.end()) {
      std::set<std::int64_t> peers;
      for (auto conversation : it->second) {
        const auto p = participants_.find(conversation);
        if (p != participants_.end()) peers.insert(p->second.begin(), p->second.end());
      }
      audience.assign(peers.begin(), peers.end());
    }
  }
  auto e = event("presence", 0, user.id.value);
  e.data->set("online", online);
  bus_.publish(e, Routing{audience, 0});
}

void Hub::publishTyping(const Connection& connection, std::int64_t conversation, bool typing) {
  auto e = event("typing", conversation, connection.user().id.value);
  e.data->set("is_typing", typing);
  bus_.publish(e, Routing{participantsOf(conversation), connection.id()});
}

Hub::Audience Hub::participantsOf(std::int64_t conversation) const {
  std::shared_lock<std::shared_mutex> lock(index_mutex_);
  const auto it = participants_.find(conversation);
  return it == participants_.end() ? Audience{} : it->second;
}

void Hub::learnParticipants(std::int64_t conversation, const Audience& audience) {
  std::vector<std::shared_ptr<Connection>> evicted;
  {
    std::shared_lock<std::shared_mutex> read(index_mutex_);
    const auto it = participants_.find(conversation);
    if (it != participants_.end() && it->second == audience) return;  // the usual case
  }
  std::unique_lock<std::shared_mutex> lock(index_mutex_);
  auto& known = participants_[conversation];
  for (auto former : known) {
    if (std::find(audience.begin(), audience.end(), former) != audience.end()) continue;
    conversations_of_[former].erase(conversation);
    // Someone taken off the job no longer sees it: connections to it alone are closed.
    const auto mine = by_user_.find(former);
    if (mine == by_user_.end()) continue;
    for (const auto& c : mine->second)
      if (c->identity().scope && c->identity().scope->value == conversation) evicted.push_back(c);
  }
  known = audience;
  for (auto participant : audience) conversations_of_[participant].insert(conversation);
  lock.unlock();
  for (const auto& c : evicted) c->close(close_code::kForbidden, "no longer a participant");
}

std::vector<std::shared_ptr<Connection>> Hub::receivers(const Audience& audience,
                                                        std::int64_t conversation,
                                                        std::uint64_t skip_connection,
                                                        std::int64_t skip_user) const {
  std::vector<std::shared_ptr<Connection>> out;
  std::shared_lock<std::shared_mutex> lock(index_mutex_);
  for (auto user : audience) {
    if (user == skip_user) continue;
    const auto it = by_user_.find(user);
    if (it == by_user_.end()) continue;
    for (const auto& c : it->second) {
      if (c->id() == skip_connection) continue;
      if (conversation != 0 && !c->follows(ConversationId(conversation))) continue;
      out.push_back(c);
    }
  }
  return out;
}

bool Hub::online(std::int64_t user) const {
  {
    std::shared_lock<std::shared_mutex> lock(index_mutex_);
    const auto it = by_user_.find(user);
    if (it != by_user_.end() && !it->second.empty()) return true;
  }
  return presence_ && presence_->onlineElsewhere(user);
}

void Hub::joinCluster(PresenceDirectory& presence, std::unique_ptr<MessageSequencer> sequencer) {
  presence_ = &presence;
  sequencer_ = std::move(sequencer);
}

void Hub::deliverMessage(const Poco::JSON::Object::Ptr& message, std::int64_t conversation,
                         const Routing& routing, std::uint64_t skip_connection) {
  Poco::JSON::Object frame;
  frame.set("type", "message");
  frame.set("message", message);
  const std::string text = toText(frame);
  const std::int64_t id = message->getValue<Poco::Int64>("id");
  const auto targets = receivers(routing.audience, conversation, skip_connection, 0);
  EncodedMessage encoded{encodeFrame(Opcode::Text, text), ""};
  if (std::any_of(targets.begin(), targets.end(),
                  [&](const auto& c) { return c->wantsDeflated(text.size()); }))
    encoded.deflated = encodeFrame(Opcode::Text, deflateMessage(text), /*compressed=*/true);
  for (const auto& c : targets) c->deliverMessage(ConversationId(conversation), id, encoded);
  delivered_.add(targets.size());
}

void Hub::onEvent(const sdk::Event& e, const Routing& routing) {
  if (e.type == "message.created") {
    learnParticipants(e.conversation_id, routing.audience);
    if (!sequencer_) {
      deliverMessage(e.data, e.conversation_id, routing, routing.origin_connection);
      return;
    }
    // Only the announced message skips its sender's connection (which gets the ack); earlier
    // ones read from the store go to everyone.
    sequencer_->admit(e.conversation_id, e.data,
                      [&](const Poco::JSON::Object::Ptr& message, bool is_announced) {
                        deliverMessage(message, e.conversation_id, routing,
                                       is_announced ? routing.origin_connection : 0);
                      });
  } else if (e.type == "message.read") {
    learnParticipants(e.conversation_id, routing.audience);
    const std::string text =
        "{\"type\":\"read\",\"conversation_id\":" + std::to_string(e.conversation_id) +
        ",\"user_id\":" + std::to_string(e.user_id.value_or(0)) +
        ",\"message_id\":" + std::to_string(e.data->getValue<Poco::Int64>("message_id")) + "}";
    for (const auto& c :
         receivers(routing.audience, e.conversation_id, routing.origin_connection, 0))
      c->sendText(text);
  } else if (e.type == "typing") {
    const std::string text =
        std::string("{\"type\":\"typing\",\"conversation_id\":") +
        std::to_string(e.conversation_id) +
        ",\"user_id\":" + std::to_string(e.user_id.value_or(0)) +
        ",\"is_typing\":" + (e.data->getValue<bool>("is_typing") ? "true" : "false") + "}";
    for (const auto& c : receivers(routing.audience, e.conversation_id, 0, e.user_id.value_or(0)))
      c->sendText(text);
  } else if (e.type == "plugin.frame") {
    const std::string text = toText(*e.data);
    for (const auto& c :
         receivers(routing.audience, e.conversation_id, routing.origin_connection, 0))
      if (routing.only_connection == 0 || c->id() == routing.only_connection) c->sendText(text);
  } else if (e.type == "message.updated") {
    Poco::JSON::Object frame;
    frame.set("type", "message.updated");
    frame.set("message", e.data);
    const std::string text = toText(frame);
    for (const auto& c : receivers(routing.audience, e.conversation_id, 0, 0)) c->sendText(text);
  } else if (e.type == "tracking") {
    Poco::JSON::Object frame(*e.data);
    frame.set("type", "tracking");
    const std::string text = toText(frame);
    for (const auto& c : receivers(routing.audience, e.conversation_id, 0, 0)) c->sendText(text);
  } else if (e.type == "notification") {
    Poco::JSON::Object frame;
    frame.set("type", "notification");
    frame.set("notification", e.data);
    const std::string text = toText(frame);
    // On /ws/ only: a connection to one conversation is a chat window, not the user's inbox.
    for (const auto& c : receivers(routing.audience, 0, 0, 0))
      if (!c->identity().scope) c->sendText(text);
  } else if (e.type == "presence") {
    const std::int64_t user = e.user_id.value_or(0);
    const std::string text =
        std::string("{\"type\":\"presence\",\"user_id\":") + std::to_string(user) +
        ",\"online\":" + (e.data->getValue<bool>("online") ? "true" : "false") + "}";
    for (const auto& c : receivers(routing.audience, 0, 0, user)) {
      // A connection to one conversation hears only about that conversation's people.
      if (c->identity().scope) {
        const auto people = participantsOf(c->identity().scope->value);
        if (std::find(people.begin(), people.end(), user) == people.end()) continue;
      }
      c->sendText(text);
    }
  }
}

ConversationId Hub::conversationOf(const Connection& c, const Poco::JSON::Object& frame) const {
  ConversationId conversation;
  if (frame.has("conversation_id") && !frame.isNull("conversation_id"))
    conversation = ConversationId(intField(frame, "conversation_id", 1));
  else if (c.identity().scope)
    conversation = *c.identity().scope;
  else
    throw InvalidInput("conversation_id", "This field is required.");
  const auto people = participantsOf(conversation.value);
  if (!c.follows(conversation) ||
      std::find(people.begin(), people.end(), c.user().id.value) == people.end())
    throw NotFound("Conversation not found.");
  return conversation;
}

// The connection has already applied the rate limit (it holds frames back, not drops them).
void Hub::onText(const std::shared_ptr<Connection>& c, std::string text) {
  Poco::JSON::Object::Ptr frame;
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
  const auto client_id = optionalClientId(*frame);
  try {
    const std::string type = frame->optValue<std::string>("type", "");
    if (type == "message")
      handleMessage(c, *frame);
    else if (type == "typing")
      handleTyping(c, *frame);
    else if (type == "read")
      handleRead(c, *frame);
    else if (type == "resume")
      handleResume(c, *frame);
    else if (type == "position")
      handlePosition(c, *frame);
    else if (type == "update")
      handleUpdate(c, *frame);
    else if (type == "ping")
      handlePing(c);
    else if (plugins_.ownsFrame(type))
      handlePluginFrame(c, type, frame);
    else
      throw InvalidInput("type", "One of message, typing, read, resume, update, position, ping.",
                         "unknown_frame_type");
  } catch (...) {
    c->sendText(errorFrame(std::current_exception(), client_id));
  }
}

void Hub::handleMessage(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame) {
  SendMessageInput input;
  input.conversation_id = conversationOf(*c, frame);
  if (!frame.has("message_type") || !frame.get("message_type").isString())
    throw InvalidInput("message_type", "Must be a string.");
  input.message_type = frame.getValue<std::string>("message_type");
  if (input.message_type == "system")
    throw InvalidInput("message_type", "System messages are made by the server.",
                       "unknown_message_type");
  if (!frame.has("content") || frame.get("content").type() != typeid(Poco::JSON::Object::Ptr))
    throw InvalidInput("content", "Must be a JSON object.");
  input.content = frame.getObject("content");
  if (frame.has("client_id") && !frame.isNull("client_id") && !frame.get("client_id").isString())
    throw InvalidInput("client_id", "Must be a string.");
  input.client_id = optionalClientId(frame);
  const auto client_id = input.client_id;
  std::weak_ptr<Connection> weak = c;
  c->beginWork();  // a close asked meanwhile waits for this ack
  chat_.sendAsync(c->user(), input, c->id(),
                  [weak, client_id](const SendResult* result, std::exception_ptr error) {
                    const auto connection = weak.lock();
                    if (!connection) return;
                    if (error) {
                      connection->sendText(errorFrame(error, client_id));
                    } else {
                      Poco::JSON::Object ack;
                      ack.set("type", "ack");
                      ack.set("client_id",
                              client_id ? Poco::Dynamic::Var(*client_id) : Poco::Dynamic::Var());
                      ack.set("message", views::message(result->message));
                      connection->sendText(toText(ack));
                    }
                    connection->endWork();
                  });
}

// A pong comes after the answers to every earlier frame that went to the workers, so a
// client can use ping to learn that its position, read or update frames were handled.
void Hub::handlePing(const std::shared_ptr<Connection>& c) {
  static const std::string pong = "{\"type\":\"pong\"}";
  if (!blocking_work_.busy(c->id())) {
    c->sendText(pong);
    return;
  }
  std::weak_ptr<Connection> weak = c;
  blocking_work_.post(c->id(), [weak] {
    if (const auto connection = weak.lock()) connection->sendText(pong);
  });
}

void Hub::handleTyping(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame) {
  const ConversationId conversation = conversationOf(*c, frame);
  if (!frame.has("is_typing") || !frame.get("is_typing").isBoolean())
    throw InvalidInput("is_typing", "Must be true or false.");
  const bool typing = frame.getValue<bool>("is_typing");
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

void Hub::onTick(const std::shared_ptr<Connection>& c, SteadyClock::time_point now) {
  for (auto& [conversation, state] : c->typing()) {
    if (state.active && now >= state.expires_at) {
      state.active = false;  // the typist went quiet without saying so
      publishTyping(*c, conversation, false);
    }
  }
}

void Hub::handleRead(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame) {
  const ConversationId conversation = conversationOf(*c, frame);
  const MessageId message(intField(frame, "message_id", 1));
  std::weak_ptr<Connection> weak = c;
  blocking_work_.post(c->id(), [this, weak, conversation, message] {
    const auto connection = weak.lock();
    if (!connection) return;
    try {
      chat_.markRead(connection->user(), conversation, message, connection->id());
    } catch (...) {
      connection->sendText(errorFrame(std::current_exception(), std::nullopt));
    }
  });
}

void Hub::handlePosition(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame) {
  const RequestId request(intField(frame, "request_id", 1));
  const tracking::TrackPoint point = tracking::readTrackPoint(frame, nowMs());
  std::weak_ptr<Connection> weak = c;
  // The request's assignment is read from the store: not on the reactor thread.
  blocking_work_.post(c->id(), [this, weak, request, point] {
    const auto connection = weak.lock();
    if (!connection) return;
    try {
      tracker_.post(connection->user(), request, point);
    } catch (...) {
      connection->sendText(errorFrame(std::current_exception(), std::nullopt));
    }
  });
}

void Hub::handleUpdate(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame) {
  const MessageId message(intField(frame, "message_id", 1));
  const bool stop =
      frame.has("stop") && frame.get("stop").isBoolean() && frame.getValue<bool>("stop");
  Poco::JSON::Object::Ptr content = new Poco::JSON::Object;
  if (!stop) {
    if (!frame.has("content") || frame.get("content").type() != typeid(Poco::JSON::Object::Ptr))
      throw InvalidInput("content", "Must be a JSON object.");
    content = frame.getObject("content");
  }
  std::weak_ptr<Connection> weak = c;
  blocking_work_.post(c->id(), [this, weak, message, content, stop] {
    const auto connection = weak.lock();
    if (!connection) return;
    try {
      chat_.updateLive(connection->user(), message, content, stop, connection->id());
    } catch (...) {
      connection->sendText(errorFrame(std::current_exception(), std::nullopt));
    }
  });
}

void Hub::handlePluginFrame(const std::shared_ptr<Connection>& c, const std::string& type,
                            Poco::JSON::Object::Ptr frame) {
  sdk::FrameSender from;
  from.conversation_id = conversationOf(*c, *frame).value;
  from.user_id = c->user().id.value;
  from.role = toString(c->user().role);
  from.connection_id = c->id();
  const auto client_id = optionalClientId(*frame);
  std::weak_ptr<Connection> weak = c;
  // Plugins may use the store: not on the reactor thread.
  blocking_work_.post(c->id(), [this, weak, type, from, frame, client_id] {
    const auto connection = weak.lock();
    if (!connection) return;
    try {
      plugins_.onFrame(type, from, *frame);
    } catch (...) {
      connection->sendText(errorFrame(std::current_exception(), client_id));
    }
  });
}

void Hub::handleResume(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame) {
  const ConversationId conversation = conversationOf(*c, frame);
  const std::int64_t after = intField(frame, "after_id", 0);
  c->beginResume(conversation);
  std::weak_ptr<Connection> weak = c;
  blocking_work_.post(c->id(), [this, weak, conversation, after] {
    const auto connection = weak.lock();
    if (!connection) return;
    try {
      std::vector<std::pair<std::int64_t, std::string>> replay;
      MessageQuery query;
      query.after_id = MessageId(after);
      query.limit = 200;
      bool has_more = true;
      while (has_more && static_cast<int>(replay.size()) < settings_.resume_max_messages) {
        const MessagePage page = chat_.history(connection->user(), conversation, query);
        for (const auto& m : page.results) {
          Poco::JSON::Object out;
          out.set("type", "message");
          out.set("message", views::message(m));
          replay.emplace_back(m.id.value, connection->textFrame(toText(out)));
        }
        has_more = page.has_more;
        if (!page.results.empty()) query.after_id = page.results.back().id;
      }
      connection->finishResume(conversation, replay, has_more);
    } catch (...) {
      connection->abortResume(conversation);
      connection->sendText(errorFrame(std::current_exception(), std::nullopt));
    }
  });
}

}  // namespace fieldlink::ws

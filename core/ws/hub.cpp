#include "ws/hub.hpp"

#include "bus/names.hpp"

namespace fieldlink::ws {

Hub::Hub(Chat& chat, Tracker& tracker, const PluginHost& plugins, EventBus& bus,
         const WsSettings& settings, metrics::Counter& delivered)
    : bus_(bus),
      settings_(settings),
      fanout_(index_, delivered),
      handlers_(chat, tracker, plugins, bus, settings, index_) {
  subscription_ =
      bus_.subscribe([this](const sdk::Event& e, const Routing& r) { fanout_.onEvent(e, r); });
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
  auto connection = std::make_shared<Connection>(next_id_++, std::move(identity), settings_, this);
  const std::int64_t user = connection->user().id.value;
  auto admission = index_.add(connection, conversations, settings_.max_connections_per_user);
  if (!admission.admitted) {
    refusal = close_code::kTooManyConnections;
    return nullptr;
  }
  if (presence_) {
    if (admission.first_of_user) presence_->arrived(user);
    for (auto peer : admission.peers_elsewhere)
      if (presence_->onlineElsewhere(peer)) admission.online_peers.insert(peer);
  }
  // Who is online already, so the newcomer's page can show it at once.
  for (auto peer : admission.online_peers)
    connection->sendText("{\"type\":\"" + std::string(server_frame::kPresence) +
                         "\",\"user_id\":" + std::to_string(peer) + ",\"online\":true}");
  if (admission.first_of_user) publishPresence(connection->user(), true);
  return connection;
}

void Hub::onClosed(const std::shared_ptr<Connection>& connection) {
  if (connection->user().id.value == 0) return;  // a refused handshake, never registered
  handlers_.onClosed(connection);
  const auto last_of_user = index_.remove(connection);
  if (!last_of_user) return;  // already gone
  if (*last_of_user && presence_) {
    // Redis may be slow or away: not on the reactor thread.
    handlers_.work().post(connection->id(), [this, who = connection->user()] {
      presence_->left(who.id.value);
      if (!presence_->onlineElsewhere(who.id.value)) publishPresence(who, false);
    });
  } else if (*last_of_user) {
    publishPresence(connection->user(), false);
  }
  handlers_.tellPlugins(connection);
}

void Hub::publishPresence(const User& user, bool online) {
  sdk::Event e;
  e.type = eventType(EventKind::Presence);
  e.conversation_id = 0;
  e.user_id = user.id.value;
  e.data = new Poco::JSON::Object;
  e.data->set("online", online);
  e.at = nowMs();
  bus_.publish(e, Routing{index_.peersOf(user.id.value), 0});
}

std::size_t Hub::endSessionsOf(const User& current) {
  std::size_t ended = 0;
  for (const auto& connection : index_.connectionsOf(current.id.value)) {
    const User& opened_as = connection->user();
    if (!current.disabled && opened_as.session_generation == current.session_generation) continue;
    if (connection->closing()) continue;
    // After the acks of what it already sent: nothing accepted goes unacknowledged.
    connection->closeWhenSettled(close_code::kUnauthorized,
                                 current.disabled ? "account disabled" : "session ended");
    ++ended;
  }
  return ended;
}

bool Hub::online(std::int64_t user) const {
  return index_.hasConnection(user) || (presence_ && presence_->onlineElsewhere(user));
}

void Hub::joinCluster(PresenceDirectory& presence, std::unique_ptr<MessageSequencer> sequencer,
                      std::function<std::vector<std::int64_t>(std::int64_t)> participants_of) {
  presence_ = &presence;
  fanout_.setSequencer(std::move(sequencer));
  fanout_.setParticipantSource(std::move(participants_of));
}

}  // namespace fieldlink::ws

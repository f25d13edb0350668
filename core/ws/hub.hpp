#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "bus/event_bus.hpp"
#include "bus/presence_directory.hpp"
#include "domain/chat.hpp"
#include "metrics/instruments.hpp"
#include "plugins/plugin_host.hpp"
#include "tracking/tracker.hpp"
#include "ws/connection.hpp"
#include "ws/connection_index.hpp"
#include "ws/event_fanout.hpp"
#include "ws/frame_handlers.hpp"
#include "ws/message_sequencer.hpp"

namespace fieldlink::ws {

// The WebSocket side of the server, in three parts: the connection index (who is connected,
// who is in which conversation), the event fan-out (bus events to the connections of their
// audience) and the frame handlers (what clients' frames do). The hub admits connections,
// keeps presence, and is what the connections call back. The connections themselves are
// served by the front door's reactors.
class Hub final : public ConnectionHandler {
 public:
  // `delivered` counts the message frames queued to connections.
  Hub(Chat& chat, Tracker& tracker, const PluginHost& plugins, EventBus& bus,
      const WsSettings& settings, metrics::Counter& delivered);
  ~Hub() override;

  // Registers an authenticated connection before the handshake is answered, so that no event
  // between the 101 and the start of serving is lost: events queue on it meanwhile.
  // `conversations` are the user's conversations with their participants. Returns null
  // with `refusal` set when the user has too many connections.
  std::shared_ptr<Connection> admit(
      Identity identity, const std::map<std::int64_t, std::vector<std::int64_t>>& conversations,
      std::uint16_t& refusal);
  // Forgets an admitted connection whose handshake failed.
  void abandon(const std::shared_ptr<Connection>& connection) { onClosed(connection); }
  // A connection that answers the handshake's refusal (4401, 4403) on the WebSocket itself,
  // then closes. Never registered.
  std::shared_ptr<Connection> refusal(std::uint16_t code, const std::string& reason);
  // Whether the user has an open connection (on any node, once joinCluster() was called).
  bool online(std::int64_t user) const;
  // With several nodes: presence shared through `presence` (outlives the hub), message
  // delivery put in id order by `sequencer`, and participants taken from the store, not
  // from other nodes' events. Call before serving.
  // `participants_of` reads a conversation's participants from the store.
  void joinCluster(PresenceDirectory& presence, std::unique_ptr<MessageSequencer> sequencer,
                   std::function<std::vector<std::int64_t>(std::int64_t)> participants_of);
  // Closes (4401) the user's connections opened with a session `current` no longer allows:
  // the account is disabled, or its sessions were ended since. Returns how many.
  std::size_t endSessionsOf(const User& current);
  // Open, admitted connections.
  std::size_t connectionCount() const { return index_.size(); }
  const WsSettings& settings() const { return settings_; }

  void onText(const std::shared_ptr<Connection>& connection, std::string text) override {
    handlers_.onText(connection, std::move(text));
  }
  void onTick(const std::shared_ptr<Connection>& connection, SteadyClock::time_point now) override {
    handlers_.onTick(connection, now);
  }
  void onClosed(const std::shared_ptr<Connection>& connection) override;

 private:
  void publishPresence(const User& user, bool online);

  EventBus& bus_;
  const WsSettings& settings_;
  ConnectionIndex index_;
  EventFanout fanout_;
  FrameHandlers handlers_;
  std::atomic<std::uint64_t> next_id_{1};
  std::size_t subscription_ = 0;
  PresenceDirectory* presence_ = nullptr;  // set: several nodes
};

}  // namespace fieldlink::ws

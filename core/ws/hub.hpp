#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "bus/event_bus.hpp"
#include "bus/presence_directory.hpp"
#include "domain/chat.hpp"
#include "metrics/instruments.hpp"
#include "plugins/plugin_host.hpp"
#include "tracking/tracker.hpp"
#include "util/work_queue.hpp"
#include "ws/connection.hpp"
#include "ws/message_sequencer.hpp"

namespace fieldlink::ws {

// The WebSocket side of the server: who is connected where, what their frames do, and the
// delivery of bus events (messages, read receipts, typing, presence) to the connections of
// each event's audience. The connections themselves are served by the front door's reactors.
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
  // Whether the user has an open connection (on any node, once joinCluster() was called).
  bool online(std::int64_t user) const;
  // With several nodes: presence shared through `presence` (outlives the hub), and message
  // delivery put in id order by `sequencer`. Call before serving.
  void joinCluster(PresenceDirectory& presence, std::unique_ptr<MessageSequencer> sequencer);
  // Forgets an admitted connection whose handshake failed.
  void abandon(const std::shared_ptr<Connection>& connection) { onClosed(connection); }
  // A connection that answers the handshake's refusal (4401, 4403) on the WebSocket itself,
  // then closes. Never registered.
  std::shared_ptr<Connection> refusal(std::uint16_t code, const std::string& reason);
  // Open, admitted connections.
  std::size_t connectionCount() const { return open_.load(); }
  const WsSettings& settings() const { return settings_; }

  void onText(const std::shared_ptr<Connection>& connection, std::string text) override;
  void onTick(const std::shared_ptr<Connection>& connection, SteadyClock::time_point now) override;
  void onClosed(const std::shared_ptr<Connection>& connection) override;

 private:
  using Audience = std::vector<std::int64_t>;

  void onEvent(const sdk::Event& event, const Routing& routing);
  void deliverMessage(const Poco::JSON::Object::Ptr& message, std::int64_t conversation,
                      const Routing& routing, std::uint64_t skip_connection);
  void learnParticipants(std::int64_t conversation, const Audience& audience);
  Audience participantsOf(std::int64_t conversation) const;
  // Connections of `audience` that follow `conversation` (0: any), but `skip_connection`.
  std::vector<std::shared_ptr<Connection>> receivers(const Audience& audience,
                                                     std::int64_t conversation,
                                                     std::uint64_t skip_connection,
                                                     std::int64_t skip_user) const;
  void publishPresence(const User& user, bool online);
  void publishTyping(const Connection& connection, std::int64_t conversation, bool typing);

  // Frame handlers (reactor thread).
  void handleMessage(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame);
  void handlePing(const std::shared_ptr<Connection>& c);
  void handleTyping(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame);
  void handleRead(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame);
  void handleResume(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame);
  void handlePosition(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame);
  void handleUpdate(const std::shared_ptr<Connection>& c, const Poco::JSON::Object& frame);
  // A frame of a type a plugin owns: checked like the core's, then handed to the plugin.
  void handlePluginFrame(const std::shared_ptr<Connection>& c, const std::string& type,
                         Poco::JSON::Object::Ptr frame);
  // The frame's conversation: its conversation_id, or the connection's own on /ws/chat/{id}/.
  // NotFound unless the connection follows it and its user takes part in it.
  ConversationId conversationOf(const Connection& c, const Poco::JSON::Object& frame) const;

  Chat& chat_;
  Tracker& tracker_;
  const PluginHost& plugins_;
  EventBus& bus_;
  const WsSettings& settings_;
  metrics::Counter& delivered_;
  WorkQueue blocking_work_;
  std::atomic<std::uint64_t> next_id_{1};
  std::atomic<std::size_t> open_{0};
  std::size_t subscription_ = 0;

  mutable std::shared_mutex index_mutex_;
  std::unordered_map<std::int64_t, std::vector<std::shared_ptr<Connection>>> by_user_;
  std::unordered_map<std::int64_t, Audience> participants_;                    // by conversation
  std::unordered_map<std::int64_t, std::set<std::int64_t>> conversations_of_;  // by user

  PresenceDirectory* presence_ = nullptr;        // set: several nodes
  std::unique_ptr<MessageSequencer> sequencer_;  // set: several nodes
};

}  // namespace fieldlink::ws

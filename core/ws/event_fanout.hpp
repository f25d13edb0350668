#pragma once

#include <functional>
#include <memory>

#include "bus/event_bus.hpp"
#include "bus/names.hpp"
#include "metrics/instruments.hpp"
#include "ws/connection_index.hpp"
#include "ws/message_sequencer.hpp"

namespace fieldlink::ws {

// The bus's events to the connections of each event's audience: a table from the kind of
// event to the frame it becomes and who receives it. Runs on the publishing thread.
class EventFanout {
 public:
  // `delivered` counts the message frames queued to connections.
  EventFanout(ConnectionIndex& index, metrics::Counter& delivered)
      : index_(index), delivered_(delivered) {}
  // With several nodes: message delivery put in id order by `sequencer`.
  void setSequencer(std::unique_ptr<MessageSequencer> sequencer) {
    sequencer_ = std::move(sequencer);
  }
  // With several nodes: who takes part in a conversation, from the store. An event from
  // another node that names other participants than this node knows is checked with it:
  // no bus event decides who is a participant.
  void setParticipantSource(std::function<ConnectionIndex::Audience(std::int64_t)> source) {
    participants_from_store_ = std::move(source);
  }
  void onEvent(const sdk::Event& event, const Routing& routing);

 private:
  using Handler = void (EventFanout::*)(const sdk::Event&, const Routing&);
  static Handler handlerFor(EventKind kind);

  void messageCreated(const sdk::Event& event, const Routing& routing);
  void messageRead(const sdk::Event& event, const Routing& routing);
  void messageUpdated(const sdk::Event& event, const Routing& routing);
  void typing(const sdk::Event& event, const Routing& routing);
  void presence(const sdk::Event& event, const Routing& routing);
  void tracking(const sdk::Event& event, const Routing& routing);
  void notification(const sdk::Event& event, const Routing& routing);
  void pluginFrame(const sdk::Event& event, const Routing& routing);
  // `message_json`: the message's view as JSON text, one frame for every receiver.
  void deliverMessage(const std::string& message_json, std::int64_t message_id,
                      std::int64_t conversation, const Routing& routing,
                      std::uint64_t skip_connection);
  // Participants as the event gives them (as the store does, for another node's event);
  // connections of people taken off are closed.
  void learnParticipants(std::int64_t conversation, const Routing& routing);

  ConnectionIndex& index_;
  std::function<ConnectionIndex::Audience(std::int64_t)> participants_from_store_;
  metrics::Counter& delivered_;
  std::unique_ptr<MessageSequencer> sequencer_;
};

}  // namespace fieldlink::ws

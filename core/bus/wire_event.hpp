#pragma once

#include <optional>
#include <string>

#include "bus/event_bus.hpp"

namespace fieldlink {

// An event as it travels between nodes: who sent it, the event, and whom it is for.
struct WireEvent {
  std::string node;
  sdk::Event event;
  Routing routing;  // remote is set; connection ids are the sending node's, so they are dropped
};

// One JSON text per event, signed: "<HMAC-SHA256 of the JSON under `secret`, hex>.<JSON>".
// Only what another node can use crosses: no connection ids.
std::string encodeWireEvent(const std::string& node, const sdk::Event& event,
                            const Routing& routing, const std::string& secret);
// Null for anything unsigned, signed with another secret, or malformed (a foreign publisher
// on the channel, a newer format): whoever can reach Redis cannot speak for a node.
std::optional<WireEvent> decodeWireEvent(const std::string& text, const std::string& secret);

}  // namespace fieldlink

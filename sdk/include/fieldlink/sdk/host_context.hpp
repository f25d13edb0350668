#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>

#include "fieldlink/sdk/frames.hpp"

namespace fieldlink::sdk {

using Clock = std::chrono::system_clock;

// A stored message as plugins see it: a copy, never a reference into the host.
struct MessageView {
  std::int64_t id = 0;
  std::int64_t conversation_id = 0;
  std::optional<std::int64_t> sender_id;  // empty for system messages
  std::string message_type;
  Poco::JSON::Object::Ptr content;
  Clock::time_point created_at;
};

struct ParticipantView {
  std::int64_t user_id = 0;
  std::string role;                       // "client", "technician" or "dispatcher"
  std::int64_t last_read_message_id = 0;  // 0 when nothing was read
};

struct ConversationView {
  std::int64_t id = 0;
  std::int64_t request_id = 0;
  // The request's status now: "assigned", "en_route", "on_site", "completed", "cancelled".
  std::string request_status;
  std::vector<ParticipantView> participants;
  Clock::time_point created_at;
};

// Read-only access to the host's store. Calls may block on the database: do not call them
// from validate() on the message path; stats plugins call them when rebuilding at start.
class StoreReader {
 public:
  virtual ~StoreReader() = default;
  virtual std::optional<ConversationView> conversation(std::int64_t conversation_id) const = 0;
  // Conversations with id > after_id, in id order, at most `limit`: page through them all.
  virtual std::vector<ConversationView> conversations(std::int64_t after_id, int limit) const = 0;
  // Messages with id > after_id, oldest first, at most `limit`.
  virtual std::vector<MessageView> messages(std::int64_t conversation_id, std::int64_t after_id,
                                            int limit) const = 0;
};

// Something that happened, published to the host's event bus and seen by stats plugins.
struct Event {
  std::string type;  // "message.created", "message.read", ...
  std::int64_t conversation_id = 0;
  std::optional<std::int64_t> user_id;
  Poco::JSON::Object::Ptr data;
  Clock::time_point at;
};

// Everything the host offers a plugin. It outlives the plugin; all functions may be called
// from any thread.
class HostContext {
 public:
  virtual ~HostContext() = default;
  // This plugin's own section of the configuration (`plugins.<name>.*`), keys relative.
  virtual const Poco::Util::AbstractConfiguration& config() const = 0;
  virtual Poco::Logger& logger() const = 0;
  // The host's clock; tests replace it, so plugins must not read the system clock.
  virtual Clock::time_point now() const = 0;
  virtual const StoreReader& store() const = 0;
  virtual void publish(const Event& event) = 0;
  // Sends a WebSocket frame (an object with a "type") to the connections `to` names; those
  // not connected now miss it. Never blocks.
  virtual void sendFrame(const FrameTarget& to, const Poco::JSON::Object& frame) = 0;
  // Stores a message of this plugin's own type in a conversation, sent by `sender_id` (a
  // participant), and delivers it like any other; returns its id. The plugin's validate() is
  // not called: the plugin vouches for content it makes. Blocks on the database; throws
  // std::runtime_error when it cannot be stored.
  virtual std::int64_t postMessage(std::int64_t conversation_id, std::int64_t sender_id,
                                   const Poco::JSON::Object& content) = 0;
};

}  // namespace fieldlink::sdk

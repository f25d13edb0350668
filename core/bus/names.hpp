#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldlink {

// The one catalogue of the names the core gives its events (sdk::Event::type on the bus,
// what stats plugins and the cluster bridge see) and its WebSocket frames (their "type"), so
// that no name is spelled twice.

enum class EventKind : std::uint8_t {
  MessageCreated,
  MessageRead,
  MessageUpdated,
  Typing,
  Presence,
  Tracking,
  Notification,
  PluginFrame,
};
inline constexpr std::array<std::string_view, 8> kEventNames{
    "message.created", "message.read", "message.updated", "typing",
    "presence",        "tracking",     "notification",    "plugin.frame"};

constexpr std::string_view nameOf(EventKind kind) {
  return kEventNames[static_cast<std::size_t>(kind)];
}
inline std::string eventType(EventKind kind) { return std::string(nameOf(kind)); }
// The core's kind of an event type; nothing for a plugin's own events.
inline std::optional<EventKind> eventKindOf(std::string_view type) {
  for (std::size_t i = 0; i < kEventNames.size(); ++i)
    if (kEventNames[i] == type) return static_cast<EventKind>(i);
  return std::nullopt;
}

// Frames a client sends that the core handles (plugins may not claim these types).
enum class ClientFrame : std::uint8_t { Message, Typing, Read, Resume, Position, Update, Ping };
inline constexpr std::array<std::string_view, 7> kClientFrameNames{
    "message", "typing", "read", "resume", "position", "update", "ping"};

constexpr std::string_view nameOf(ClientFrame frame) {
  return kClientFrameNames[static_cast<std::size_t>(frame)];
}
inline std::optional<ClientFrame> clientFrameOf(std::string_view type) {
  for (std::size_t i = 0; i < kClientFrameNames.size(); ++i)
    if (kClientFrameNames[i] == type) return static_cast<ClientFrame>(i);
  return std::nullopt;
}

// Frames the server sends.
namespace server_frame {
inline constexpr std::string_view kAck = "ack";
inline constexpr std::string_view kMessage = "message";
inline constexpr std::string_view kMessageUpdated = "message.updated";
inline constexpr std::string_view kRead = "read";
inline constexpr std::string_view kTyping = "typing";
inline constexpr std::string_view kPresence = "presence";
inline constexpr std::string_view kTracking = "tracking";
inline constexpr std::string_view kNotification = "notification";
inline constexpr std::string_view kResumed = "resumed";
inline constexpr std::string_view kPong = "pong";
inline constexpr std::string_view kError = "error";
}  // namespace server_frame

}  // namespace fieldlink

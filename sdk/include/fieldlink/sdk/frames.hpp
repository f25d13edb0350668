#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

namespace fieldlink::sdk {

// Who sent a WebSocket frame to a plugin. The host has checked the token, and that the user
// takes part in `conversation_id` (the frame's `conversation_id`, or the conversation of a
// /ws/chat/{id}/ connection).
struct FrameSender {
  std::int64_t user_id = 0;
  std::string role;  // "client", "technician" or "dispatcher"
  std::uint64_t connection_id = 0;
  std::int64_t conversation_id = 0;
};

// Where a frame a plugin sends goes: the connections of `user_id` that follow
// `conversation_id` (and only if the user takes part in it), or just one of them.
struct FrameTarget {
  std::int64_t conversation_id = 0;
  std::int64_t user_id = 0;
  std::uint64_t only_connection = 0;    // non-zero: this connection alone
  std::uint64_t except_connection = 0;  // non-zero: every connection but this one
};

// Thrown from FrameHandler::onFrame to refuse a frame: the sender gets
// {"type":"error","code":code,"detail":what}, with the frame's `client_id` if it had one.
class FrameRefused : public std::runtime_error {
 public:
  FrameRefused(std::string code, const std::string& detail)
      : std::runtime_error(detail), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

// A plugin that owns WebSocket frame types (the video plugin's "call.invite", say). Any kind
// of plugin may; Plugin::frames() returns it.
class FrameHandler {
 public:
  virtual ~FrameHandler() = default;
  // The frame types this plugin takes, read once after start(). A type of the core's own
  // (message, typing, read, resume, update, position, ping) or another plugin's is refused
  // at load.
  virtual std::vector<std::string> frameTypes() const = 0;
  // One frame of those types. Called on the host's worker threads, one connection's frames
  // one at a time and in the order they arrived; may block briefly (the store), never on the
  // network. Throw FrameRefused to answer with an error frame; any other exception is an
  // internal_error frame and is counted against the plugin.
  virtual void onFrame(const FrameSender& from, const Poco::JSON::Object& frame) = 0;
  // A WebSocket connection of `user_id` closed (any connection: the plugin tells which it
  // cares about). On a worker thread; must not block.
  virtual void onDisconnect(std::int64_t user_id, std::uint64_t connection_id) {
    (void)user_id;
    (void)connection_id;
  }
};

}  // namespace fieldlink::sdk

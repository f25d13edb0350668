#pragma once

#include <memory>
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

#include "bus/event_bus.hpp"
#include "bus/names.hpp"
#include "domain/chat.hpp"
#include "plugins/plugin_host.hpp"
#include "tracking/tracker.hpp"
#include "util/work_queue.hpp"
#include "ws/connection_index.hpp"

namespace fieldlink::ws {

// What a client's frames do: a table from the frame's type to its handler, each checking the
// frame on the reactor thread and doing what may block (the store, plugins, Redis) on a small
// worker queue, one connection's frames in order. Errors become error frames.
class FrameHandlers {
 public:
  FrameHandlers(Chat& chat, Tracker& tracker, const PluginHost& plugins, EventBus& bus,
                const WsSettings& settings, const ConnectionIndex& index);

  // Reactor thread.
  void onText(const std::shared_ptr<Connection>& c, std::string text);
  // Typing indicators that ran out.
  void onTick(const std::shared_ptr<Connection>& c, SteadyClock::time_point now);
  // The connection is gone: its typing indicators end.
  void onClosed(const std::shared_ptr<Connection>& c);
  // Then plugins hear of it, after its last frame was handled.
  void tellPlugins(const std::shared_ptr<Connection>& c);
  // For work that must run after the connection's frames (presence with several nodes).
  WorkQueue& work() { return work_; }

 private:
  using Frame = Poco::JSON::Object::Ptr;
  using Handler = void (FrameHandlers::*)(const std::shared_ptr<Connection>&, const Frame&);
  static Handler handlerFor(ClientFrame type);

  // Runs `work(connection)` on the worker queue after the connection's earlier frames; what it
  // throws is sent back as an error frame carrying `client_id`.
  template <class Work>
  void offReactor(const std::shared_ptr<Connection>& c, std::optional<std::string> client_id,
                  Work work);

  void message(const std::shared_ptr<Connection>& c, const Frame& frame);
  // Hands a message to the store's writer; its ack (or error) comes back on `c`. The caller
  // has called c->beginWork(); this ends it on every path.
  void send(const std::shared_ptr<Connection>& c, const SendMessageInput& input);
  void typing(const std::shared_ptr<Connection>& c, const Frame& frame);
  void read(const std::shared_ptr<Connection>& c, const Frame& frame);
  void resume(const std::shared_ptr<Connection>& c, const Frame& frame);
  void position(const std::shared_ptr<Connection>& c, const Frame& frame);
  void update(const std::shared_ptr<Connection>& c, const Frame& frame);
  void ping(const std::shared_ptr<Connection>& c, const Frame& frame);
  // A frame of a type a plugin owns: checked like the core's, then handed to the plugin.
  void pluginFrame(const std::shared_ptr<Connection>& c, const std::string& type,
                   const Frame& frame);
  // The frame's conversation: its conversation_id, or the connection's own on /ws/chat/{id}/.
  // NotFound unless the connection follows it and its user takes part in it.
  ConversationId conversationOf(const Connection& c, const Poco::JSON::Object& frame) const;
  void publishTyping(const Connection& c, std::int64_t conversation, bool typing);

  Chat& chat_;
  Tracker& tracker_;
  const PluginHost& plugins_;
  EventBus& bus_;
  const WsSettings& settings_;
  const ConnectionIndex& index_;
  WorkQueue work_;
};

}  // namespace fieldlink::ws

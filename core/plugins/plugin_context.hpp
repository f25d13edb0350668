#pragma once

#include <string>

#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <fieldlink/sdk/host_context.hpp>

#include "bus/event_bus.hpp"
#include "bus/names.hpp"
#include "plugins/plugin_links.hpp"

namespace fieldlink {

// The host context one plugin receives: its own config section and logger, the clock, the
// read-only store, the event bus (frames to WebSocket connections travel on it too), and the
// posting of its own messages. Nothing else of the core is reachable from it.
class PluginContext final : public sdk::HostContext {
 public:
  PluginContext(const std::string& plugin_name, const Poco::Util::AbstractConfiguration& root,
                const sdk::StoreReader& store, EventBus& bus, PluginLinks& links)
      : section_(const_cast<Poco::Util::AbstractConfiguration&>(root).createView("plugins." +
                                                                                 plugin_name)),
        logger_(Poco::Logger::get("fieldlink.plugin." + plugin_name)),
        name_(plugin_name),
        store_(store),
        bus_(bus),
        links_(links) {}

  const Poco::Util::AbstractConfiguration& config() const override { return *section_; }
  Poco::Logger& logger() const override { return logger_; }
  sdk::Clock::time_point now() const override { return sdk::Clock::now(); }
  const sdk::StoreReader& store() const override { return store_; }
  void publish(const sdk::Event& event) override { bus_.publish(event); }
  // An event the WebSocket hub turns into the frame (see Routing::only_connection).
  void sendFrame(const sdk::FrameTarget& to, const Poco::JSON::Object& frame) override {
    sdk::Event event;
    event.type = eventType(EventKind::PluginFrame);
    event.conversation_id = to.conversation_id;
    event.user_id = to.user_id;
    event.data = new Poco::JSON::Object(frame);
    event.at = sdk::Clock::now();
    Routing routing;
    routing.audience = {to.user_id};
    routing.origin_connection = to.except_connection;
    routing.only_connection = to.only_connection;
    bus_.publish(event, routing);
  }
  std::int64_t postMessage(std::int64_t conversation_id, std::int64_t sender_id,
                           const Poco::JSON::Object& content) override {
    return links_.post(name_, conversation_id, sender_id, content);
  }

 private:
  Poco::AutoPtr<Poco::Util::AbstractConfiguration> section_;
  Poco::Logger& logger_;
  std::string name_;
  const sdk::StoreReader& store_;
  EventBus& bus_;
  PluginLinks& links_;
};

}  // namespace fieldlink

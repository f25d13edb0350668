#pragma once

#include <string>

#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <fieldlink/sdk/host_context.hpp>

#include "bus/event_bus.hpp"

namespace fieldlink {

// The host context one plugin receives: its own config section and logger, the clock, the
// read-only store and the event bus. Nothing else of the core is reachable from it.
class PluginContext final : public sdk::HostContext {
 public:
  PluginContext(const std::string& plugin_name, const Poco::Util::AbstractConfiguration& root,
                const sdk::StoreReader& store, EventBus& bus)
      : section_(const_cast<Poco::Util::AbstractConfiguration&>(root).createView("plugins." +
                                                                                 plugin_name)),
        logger_(Poco::Logger::get("fieldlink.plugin." + plugin_name)),
        store_(store),
        bus_(bus) {}

  const Poco::Util::AbstractConfiguration& config() const override { return *section_; }
  Poco::Logger& logger() const override { return logger_; }
  sdk::Clock::time_point now() const override { return sdk::Clock::now(); }
  const sdk::StoreReader& store() const override { return store_; }
  void publish(const sdk::Event& event) override { bus_.publish(event); }

 private:
  Poco::AutoPtr<Poco::Util::AbstractConfiguration> section_;
  Poco::Logger& logger_;
  const sdk::StoreReader& store_;
  EventBus& bus_;
};

}  // namespace fieldlink

#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <Poco/Util/AbstractConfiguration.h>
#include <fieldlink/sdk/plugin.hpp>

#include "bus/event_bus.hpp"
#include "metrics/instruments.hpp"
#include "plugins/plugin_context.hpp"

namespace fieldlink {

// What went wrong with a plugin, as the dispatcher's plugin list shows it.
struct PluginStatus {
  std::string name;
  std::string kind;     // "message_type", "stats", "notifier"; "" when it never loaded that far
  std::string version;  // the plugin's own version
  int api_version = 0;
  std::string state;  // "loaded", "failed" or "disabled"
  std::string error;  // why it failed to load
  // Exceptions the plugin let escape since it was loaded, and the latest of them.
  std::int64_t runtime_errors = 0;
  std::string last_error;  // "validate(): what it said"
  std::optional<std::chrono::system_clock::time_point> last_error_at;
};

// The plugin file did not load; the text says why and what to do about it.
class PluginRefused : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One plugin library, opened and checked, with the plugin object it made. Shared by every
// call in flight: the last holder to let go stops the plugin, so a plugin disabled while a
// call into it runs is stopped only once that call has returned. Its code stays mapped.
class LoadedPlugin {
 public:
  // Opens `<dir>/<name>.so` and checks the manifest and build record before calling
  // anything in it; then creates the plugin. Throws PluginRefused.
  static std::shared_ptr<LoadedPlugin> open(const std::string& dir, const std::string& name,
                                            metrics::LabelledCounter* errors);
  ~LoadedPlugin();  // stop(), then the plugin object; the library stays mapped
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  // Calls start() with a context on `config`. Events reaching a stats plugin meanwhile are
  // held and handed over once it has started, so none falls between its rebuild from the
  // store and the live feed. Throws PluginRefused when start() fails or throws.
  void start(const Poco::Util::AbstractConfiguration& config, const sdk::StoreReader& store,
             EventBus& bus, PluginLinks& links);
  bool live() const { return live_.load(std::memory_order_acquire); }

  const std::string& name() const { return name_; }
  sdk::MessageTypePlugin* messageType() const { return message_type_; }
  sdk::StatsPlugin* stats() const { return stats_; }
  sdk::NotifierPlugin* notifier() const { return notifier_; }
  // Non-null when the plugin owns WebSocket frame types: those read after start().
  sdk::FrameHandler* frames() const { return frames_; }
  const std::vector<std::string>& frameTypes() const { return frame_types_; }

  // Hands an event to a stats plugin, or holds it while the plugin starts.
  void deliver(const sdk::Event& event);

  // Logs and counts an exception the plugin let escape from `call`; call it in a catch block.
  void recordEscape(const std::string& call);

  PluginStatus status() const;

 private:
  LoadedPlugin(std::string name, metrics::LabelledCounter* errors);
  void handOver(const sdk::Event& event);

  std::string name_;
  metrics::LabelledCounter* errors_;
  boost::dll::shared_library library_;
  std::unique_ptr<PluginContext> context_;
  std::shared_ptr<sdk::Plugin> plugin_;
  sdk::MessageTypePlugin* message_type_ = nullptr;
  sdk::StatsPlugin* stats_ = nullptr;
  sdk::NotifierPlugin* notifier_ = nullptr;
  sdk::FrameHandler* frames_ = nullptr;
  std::vector<std::string> frame_types_;
  PluginStatus loaded_status_;

  std::atomic<bool> live_{false};
  std::mutex held_mutex_;
  std::vector<sdk::Event> held_events_;  // while starting

  mutable std::mutex health_mutex_;
  std::int64_t runtime_errors_ = 0;
  std::string last_error_;
  std::optional<std::chrono::system_clock::time_point> last_error_at_;
};

}  // namespace fieldlink

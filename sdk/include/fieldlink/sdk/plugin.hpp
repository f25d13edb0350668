#pragma once

#include <memory>
#include <string>

#include <boost/dll/alias.hpp>

#include "fieldlink/sdk/api_version.hpp"
#include "fieldlink/sdk/build_record.hpp"
#include "fieldlink/sdk/frames.hpp"
#include "fieldlink/sdk/host_context.hpp"
#include "fieldlink/sdk/message_type.hpp"
#include "fieldlink/sdk/notifier.hpp"
#include "fieldlink/sdk/stats.hpp"

namespace fieldlink::sdk {

enum class PluginKind : int { MessageType = 1, Stats = 2, Notifier = 3 };

// The outcome of start(): empty error means the plugin is ready.
struct StartResult {
  std::string error;  // names the offending config key when configuration is wrong
  static StartResult ok() { return {}; }
  static StartResult failed(std::string why) { return {std::move(why)}; }
};

// One loaded plugin. The host calls start() once before anything else and stop() once
// before unloading; no other call overlaps them.
class Plugin {
 public:
  virtual ~Plugin() = default;
  // Reads and checks this plugin's config section. `host` outlives the plugin.
  virtual StartResult start(HostContext& host) = 0;
  virtual void stop() {}
  // Exactly one of these is non-null, matching the manifest's kind.
  virtual MessageTypePlugin* message_type() { return nullptr; }
  virtual StatsPlugin* stats() { return nullptr; }
  virtual NotifierPlugin* notifier() { return nullptr; }
  // Non-null for a plugin that owns WebSocket frame types, whatever its kind.
  virtual FrameHandler* frames() { return nullptr; }
};

// The one symbol a plugin exports (`fieldlink_plugin`). Its layout is frozen across API
// versions: api_version comes first so the host can read it before trusting the rest.
struct PluginManifest {
  int api_version;
  const char* name;     // unique; for message types, the `message_type` clients send
  const char* version;  // the plugin's own version
  PluginKind kind;
  std::shared_ptr<Plugin> (*create)();
};

}  // namespace fieldlink::sdk

// Declares the plugin in a .so: FIELDLINK_PLUGIN(TextPlugin, "text", "1.0.0", MessageType).
// Exports the manifest and the build record.
#define FIELDLINK_PLUGIN(CLASS, NAME, VERSION, KIND)                                  \
  namespace {                                                                         \
  std::shared_ptr<::fieldlink::sdk::Plugin> fieldlink_create_plugin() {               \
    return std::make_shared<CLASS>();                                                 \
  }                                                                                   \
  const ::fieldlink::sdk::PluginManifest fieldlink_manifest{                          \
      FIELDLINK_SDK_API_VERSION, NAME, VERSION, ::fieldlink::sdk::PluginKind::KIND,   \
      &fieldlink_create_plugin};                                                      \
  const ::fieldlink::sdk::BuildRecord fieldlink_build = ::fieldlink::sdk::kThisBuild; \
  }                                                                                   \
  BOOST_DLL_ALIAS(fieldlink_manifest, fieldlink_plugin)                               \
  BOOST_DLL_ALIAS(fieldlink_build, fieldlink_plugin_build)

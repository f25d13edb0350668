#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <fieldlink/sdk/plugin.hpp>

#include "bus/event_bus.hpp"
#include "metrics/instruments.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_links.hpp"

namespace fieldlink {

// Loads the enabled plugins from the plugin folder and is the only code that calls into
// them. Every call is guarded: a plugin that fails to load is recorded and skipped, and an
// exception thrown by a plugin is logged by plugin name and never reaches the caller as such.
//
// Plugins can be enabled and disabled while the server runs. Calls read an immutable list of
// the loaded plugins and hold the plugin they call into; a change publishes a new list, so
// it never waits for calls in flight and they never see a plugin half gone.
class PluginHost {
 public:
  // `errors` (may be null) counts the exceptions each plugin throws, by plugin name.
  PluginHost(const Poco::Util::AbstractConfiguration& config, const sdk::StoreReader& store,
             EventBus& bus, metrics::LabelledCounter* errors = nullptr);
  ~PluginHost();  // stops plugins in reverse load order
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads `<dir>/<name>.so` for each name, at start.
  void loadAll(const std::string& dir, const std::vector<std::string>& enabled);

  // Run-time management, one change at a time. enable() loads a plugin from the folder
  // (NotFound when there is no such file, Conflict when it does not load); disable() stops
  // it. Both return its status afterwards and are idempotent.
  PluginStatus enable(const std::string& name);
  PluginStatus disable(const std::string& name);
  // Makes the loaded set match `enabled` (a reloaded config): stops what is not in it,
  // loads what is new (retrying failed ones) with `config` for their sections, and leaves
  // running plugins that stay enabled alone.
  void apply(const std::vector<std::string>& enabled,
             const Poco::Util::AbstractConfiguration& config);

  bool hasMessageType(const std::string& name) const;
  // Validates through the named message type. Throws BadRequest("unknown_message_type") when
  // it is not loaded and PluginFailure when the plugin throws.
  sdk::ValidationResult validate(const std::string& type, const Poco::JSON::Object& content,
                                 const sdk::MessageContext& context) const;
  std::string summary(const std::string& type, const Poco::JSON::Object& content) const;
  // The most bytes an upload for `type` may have, and the type's verdict on one. Both throw
  // InvalidInput when the type is unknown or takes no files, PluginFailure when it throws.
  std::int64_t uploadLimit(const std::string& type) const;
  sdk::UploadDecision reviewUpload(const std::string& type, const sdk::MediaInfo& media,
                                   std::int64_t size) const;
  // The type's word on what is known of an upload before it is decoded (sdk::UploadScreen):
  // accept when the type's policy does not screen. Throws as reviewUpload().
  sdk::UploadDecision screenUpload(const std::string& type, const sdk::MediaInfo& known,
                                   std::int64_t size) const;

  // Every loaded stats plugin's keys for the scope, in one object. A plugin that throws adds
  // nothing (and is counted), so its keys are absent as if it were disabled.
  Poco::JSON::Object::Ptr stats(const sdk::StatsScope& scope) const;

  // Hands a stored notification to every notifier plugin.
  void notify(const Poco::JSON::Object& notification) const;

  // WebSocket frame types plugins own. The core's own types, which no plugin may claim.
  static const std::vector<std::string>& coreFrameTypes();
  bool ownsFrame(const std::string& type) const;
  // Hands a frame to the plugin that owns its type: FrameRefused becomes BadRequest with the
  // plugin's code, anything else PluginFailure. NotFound-style refusals stay the plugin's.
  void onFrame(const std::string& type, const sdk::FrameSender& from,
               const Poco::JSON::Object& frame) const;
  // Tells every frame-owning plugin that a connection closed.
  void onDisconnect(std::int64_t user_id, std::uint64_t connection_id) const;

  // Binds HostContext::postMessage() to the chat, once it exists (null: unbind, before it goes).
  void setMessagePoster(MessagePoster* poster) { links_.bind(poster); }

  // Loaded (and starting) plugins in load order, then the failed ones, then the plugin
  // files in the folder that are not enabled.
  std::vector<PluginStatus> status() const;

 private:
  using Plugins = std::vector<std::shared_ptr<LoadedPlugin>>;

  std::shared_ptr<const Plugins> current() const;
  void publish(std::shared_ptr<const Plugins> next);
  // With admin_mutex_ held: loads one plugin into the list, or records why it did not load.
  void loadOne(const std::string& name);
  void unloadOne(const std::string& name);
  void forgetFailure(const std::string& name);
  std::shared_ptr<LoadedPlugin> messageTypeNamed(const std::string& name) const;
  std::shared_ptr<LoadedPlugin> messageTypeOrThrow(const std::string& name) const;
  void deliverToStats(const sdk::Event& event) const;
  void refuseClaimedFrameTypes(const LoadedPlugin& plugin) const;
  std::shared_ptr<LoadedPlugin> frameOwner(const std::string& type) const;

  const sdk::StoreReader& store_;
  EventBus& bus_;
  PluginLinks links_;
  metrics::LabelledCounter* errors_;
  std::size_t subscription_ = 0;

  std::mutex admin_mutex_;  // one enable, disable or reload at a time
  Poco::AutoPtr<Poco::Util::AbstractConfiguration> config_;

  mutable std::mutex list_mutex_;  // guards the members below, briefly
  std::string dir_;
  std::shared_ptr<const Plugins> loaded_;
  std::vector<PluginStatus> failures_;
};

}  // namespace fieldlink

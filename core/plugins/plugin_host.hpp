#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Util/AbstractConfiguration.h>
#include <fieldlink/sdk/plugin.hpp>

#include "bus/event_bus.hpp"
#include "metrics/instruments.hpp"

namespace fieldlink {

struct PluginStatus {
  std::string name;
  std::string kind;     // "message_type", "stats", or "" when it never loaded far enough
  std::string version;  // the plugin's own version
  int api_version = 0;
  std::string state;  // "loaded" or "failed"
  std::string error;  // why it failed
};

// Loads the enabled plugins from the plugin folder and is the only code that calls into
// them. Every call is guarded: a plugin that fails to load is recorded and skipped, and an
// exception thrown by a plugin is logged by plugin name and never reaches the caller as such.
class PluginHost {
 public:
  // `errors` (may be null) counts the exceptions each plugin throws, by plugin name.
  PluginHost(const Poco::Util::AbstractConfiguration& config, const sdk::StoreReader& store,
             EventBus& bus, metrics::LabelledCounter* errors = nullptr);
  ~PluginHost();  // stops plugins, then unloads their libraries
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads `<dir>/<name>.so` for each name; also reports .so files in `dir` that are not
  // enabled at debug level only.
  void loadAll(const std::string& dir, const std::vector<std::string>& enabled);

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

  // Every loaded stats plugin's keys for the scope, in one object. A plugin that throws adds
  // nothing (and is counted), so its keys are absent as if it were disabled.
  Poco::JSON::Object::Ptr stats(const sdk::StatsScope& scope) const;

  // Hands a stored notification to every notifier plugin.
  void notify(const Poco::JSON::Object& notification) const;

  std::vector<PluginStatus> status() const;

 private:
  struct Loaded;
  void loadOne(const std::string& dir, const std::string& name);
  void deliverToStats(const sdk::Event& event) const;
  const Loaded* messageTypeNamed(const std::string& name) const;
  const sdk::UploadPolicy& uploadPolicy(const std::string& type) const;
  // Logs and counts an exception a plugin let escape from `call`; call it in a catch block.
  void recordEscape(const std::string& plugin, const std::string& call) const;

  const Poco::Util::AbstractConfiguration& config_;
  const sdk::StoreReader& store_;
  EventBus& bus_;
  metrics::LabelledCounter* errors_;
  std::size_t subscription_ = 0;
  std::vector<std::unique_ptr<Loaded>> loaded_;  // in load order; unloaded in reverse
  std::vector<PluginStatus> failures_;
};

}  // namespace fieldlink

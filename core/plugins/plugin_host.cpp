#include "plugins/plugin_host.hpp"

#include <boost/dll/shared_library.hpp>
#include <boost/filesystem.hpp>

#include <Poco/Logger.h>

#include "domain/errors.hpp"
#include "plugins/plugin_context.hpp"

namespace fieldlink {
namespace {

Poco::Logger& log() { return Poco::Logger::get("fieldlink.plugins"); }

std::string kindName(sdk::PluginKind kind) {
  switch (kind) {
    case sdk::PluginKind::MessageType:
      return "message_type";
    case sdk::PluginKind::Stats:
      return "stats";
    case sdk::PluginKind::Notifier:
      return "notifier";
  }
  return "";
}

bool isPlainName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

}  // namespace

// Member order matters: the plugin object is destroyed before the library holding its code.
struct PluginHost::Loaded {
  boost::dll::shared_library library;
  std::unique_ptr<PluginContext> context;
  std::shared_ptr<sdk::Plugin> plugin;
  PluginStatus status;
  sdk::MessageTypePlugin* message_type = nullptr;
  sdk::StatsPlugin* stats = nullptr;
  sdk::NotifierPlugin* notifier = nullptr;
};

PluginHost::PluginHost(const Poco::Util::AbstractConfiguration& config,
                       const sdk::StoreReader& store, EventBus& bus,
                       metrics::LabelledCounter* errors)
    : config_(config), store_(store), bus_(bus), errors_(errors) {
  subscription_ =
      bus_.subscribe([this](const sdk::Event& event, const Routing&) { deliverToStats(event); });
}

PluginHost::~PluginHost() {
  bus_.unsubscribe(subscription_);
  for (auto it = loaded_.rbegin(); it != loaded_.rend(); ++it) {
    auto& entry = **it;
    try {
      entry.plugin->stop();
    } catch (...) {
      recordEscape(entry.status.name, "stop()");
    }
    entry.message_type = nullptr;
    entry.stats = nullptr;
    entry.notifier = nullptr;
    entry.plugin.reset();
  }
  loaded_.clear();
}

void PluginHost::loadAll(const std::string& dir, const std::vector<std::string>& enabled) {
  for (const auto& name : enabled) loadOne(dir, name);
}

void PluginHost::loadOne(const std::string& dir, const std::string& name) {
  PluginStatus status;
  status.name = name;
  status.state = "failed";
  auto fail = [&](const std::string& why) {
    status.error = why;
    log().error("plugin %s not loaded: %s", name, why);
    failures_.push_back(status);
  };
  if (!isPlainName(name)) return fail("plugin names are letters, digits, '_' and '-'");
  for (const auto& entry : loaded_)
    if (entry->status.name == name) return fail("enabled twice");
  for (const auto& failed : failures_)
    if (failed.name == name) return fail("enabled twice");

  const boost::filesystem::path path = boost::filesystem::path(dir) / (name + ".so");
  auto entry = std::make_unique<Loaded>();
  try {
    if (!boost::filesystem::exists(path)) return fail("no file " + path.string());
    entry->library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (!entry->library.has("fieldlink_plugin"))
      return fail(path.string() + " is not a fieldlink plugin (no fieldlink_plugin symbol)");
    const auto& manifest = entry->library.get_alias<const sdk::PluginManifest>("fieldlink_plugin");
    status.api_version = manifest.api_version;
    if (manifest.api_version != sdk::kApiVersion)
      return fail("built for SDK API version " + std::to_string(manifest.api_version) +
                  ", this server speaks " + std::to_string(sdk::kApiVersion) +
                  ": rebuild the plugin against this server's SDK");
    if (!entry->library.has("fieldlink_plugin_build"))
      return fail(
          "no build record (fieldlink_plugin_build): rebuild the plugin with "
          "FIELDLINK_PLUGIN against this server's SDK");
    const auto& built = entry->library.get_alias<const sdk::BuildRecord>("fieldlink_plugin_build");
    const sdk::BuildRecord& host = sdk::kThisBuild;
    if (std::string(built.compiler) != host.compiler || std::string(built.stdlib) != host.stdlib)
      return fail(std::string("built with ") + built.compiler + " and " + built.stdlib +
                  ", this server with " + host.compiler + " and " + host.stdlib +
                  ": rebuild the plugin with the server's compiler and standard library");
    status.kind = kindName(manifest.kind);
    status.version = manifest.version ? manifest.version : "";
    if (status.kind.empty()) return fail("unknown plugin kind");
    if (!manifest.name || name != manifest.name)
      return fail(std::string("file declares the name '") + (manifest.name ? manifest.name : "") +
                  "'");
    entry->plugin = manifest.create();
    if (!entry->plugin) return fail("factory returned nothing");
    entry->message_type = entry->plugin->message_type();
    entry->stats = entry->plugin->stats();
    entry->notifier = entry->plugin->notifier();
    if ((manifest.kind == sdk::PluginKind::MessageType) != (entry->message_type != nullptr) ||
        (manifest.kind == sdk::PluginKind::Stats) != (entry->stats != nullptr) ||
        (manifest.kind == sdk::PluginKind::Notifier) != (entry->notifier != nullptr))
      return fail("the plugin does not implement the kind its manifest declares");
    entry->context = std::make_unique<PluginContext>(name, config_, store_, bus_);
    const sdk::StartResult started = entry->plugin->start(*entry->context);
    if (!started.error.empty()) return fail("start failed: " + started.error);
  } catch (const std::exception& e) {
    return fail(e.what());
  } catch (...) {
    return fail("threw a non-standard exception while loading");
  }
  status.state = "loaded";
  entry->status = status;
  log().information("plugin %s %s loaded (%s)", name, status.version, status.kind);
  loaded_.push_back(std::move(entry));
}

const PluginHost::Loaded* PluginHost::messageTypeNamed(const std::string& name) const {
  for (const auto& entry : loaded_)
    if (entry->message_type && entry->status.name == name) return entry.get();
  return nullptr;
}

bool PluginHost::hasMessageType(const std::string& name) const {
  return messageTypeNamed(name) != nullptr;
}

sdk::ValidationResult PluginHost::validate(const std::string& type,
                                           const Poco::JSON::Object& content,
                                           const sdk::MessageContext& context) const {
  const Loaded* entry = messageTypeNamed(type);
  if (!entry)
    throw InvalidInput("message_type", "Unknown or disabled message type.", "unknown_message_type");
  try {
    return entry->message_type->validate(content, context);
  } catch (...) {
    recordEscape(type, "validate()");
  }
  throw PluginFailure("The " + type + " plugin failed to handle this message.");
}

const sdk::UploadPolicy& PluginHost::uploadPolicy(const std::string& type) const {
  const Loaded* entry = messageTypeNamed(type);
  if (!entry)
    throw InvalidInput("message_type", "Unknown or disabled message type.", "unknown_message_type");
  const sdk::UploadPolicy* policy = nullptr;
  try {
    policy = entry->message_type->uploads();
  } catch (...) {
    recordEscape(type, "uploads()");
    throw PluginFailure("The " + type + " plugin failed to handle this upload.");
  }
  if (!policy)
    throw InvalidInput("message_type", "The " + type + " message type takes no files.",
                       "no_uploads");
  return *policy;
}

std::int64_t PluginHost::uploadLimit(const std::string& type) const {
  const sdk::UploadPolicy& policy = uploadPolicy(type);
  try {
    return policy.maxBytes();
  } catch (...) {
    recordEscape(type, "maxBytes()");
  }
  throw PluginFailure("The " + type + " plugin failed to handle this upload.");
}

sdk::UploadDecision PluginHost::reviewUpload(const std::string& type, const sdk::MediaInfo& media,
                                             std::int64_t size) const {
  const sdk::UploadPolicy& policy = uploadPolicy(type);
  try {
    return policy.review(media, size);
  } catch (...) {
    recordEscape(type, "review()");
  }
  throw PluginFailure("The " + type + " plugin failed to handle this upload.");
}

std::string PluginHost::summary(const std::string& type, const Poco::JSON::Object& content) const {
  const Loaded* entry = messageTypeNamed(type);
  if (!entry) return "";
  try {
    return entry->message_type->summary(content);
  } catch (...) {
    recordEscape(type, "summary()");
    return "";
  }
}

void PluginHost::deliverToStats(const sdk::Event& event) const {
  for (const auto& entry : loaded_) {
    if (!entry->stats) continue;
    try {
      entry->stats->on_event(event);
    } catch (...) {
      recordEscape(entry->status.name, "on_event(" + event.type + ")");
    }
  }
}

Poco::JSON::Object::Ptr PluginHost::stats(const sdk::StatsScope& scope) const {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  for (const auto& entry : loaded_) {
    if (!entry->stats) continue;
    // Each plugin writes into its own object first, so one that throws halfway adds nothing.
    Poco::JSON::Object part;
    try {
      entry->stats->query(scope, part);
    } catch (...) {
      recordEscape(entry->status.name, "query()");
      continue;
    }
    for (const auto& [key, value] : part) out->set(key, value);
  }
  return out;
}

void PluginHost::recordEscape(const std::string& plugin, const std::string& call) const {
  if (errors_) errors_->add(plugin);
  try {
    throw;
  } catch (const std::exception& e) {
    log().error("plugin %s threw from %s: %s", plugin, call, std::string(e.what()));
  } catch (...) {
    log().error("plugin %s threw from %s", plugin, call);
  }
}

void PluginHost::notify(const Poco::JSON::Object& notification) const {
  for (const auto& entry : loaded_) {
    if (!entry->notifier) continue;
    try {
      entry->notifier->deliver(notification);
    } catch (...) {
      recordEscape(entry->status.name, "deliver()");
    }
  }
}

std::vector<PluginStatus> PluginHost::status() const {
  std::vector<PluginStatus> out;
  for (const auto& entry : loaded_) out.push_back(entry->status);
  out.insert(out.end(), failures_.begin(), failures_.end());
  return out;
}

}  // namespace fieldlink

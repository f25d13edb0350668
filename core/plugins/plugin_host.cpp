#include "plugins/plugin_host.hpp"

#include <algorithm>
#include <set>

#include <boost/filesystem.hpp>

#include <Poco/Logger.h>

#include "bus/names.hpp"
#include "domain/errors.hpp"

namespace fieldlink {
namespace {

Poco::Logger& log() { return Poco::Logger::get("fieldlink.plugins"); }

bool isPlainName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

// The plugin names the folder offers: every `<name>.so` with a plain name.
std::vector<std::string> filesIn(const std::string& dir) {
  std::vector<std::string> names;
  boost::system::error_code error;
  for (boost::filesystem::directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    const auto& path = it->path();
    if (path.extension() == ".so" && isPlainName(path.stem().string()))
      names.push_back(path.stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

const sdk::UploadPolicy& uploadPolicyOf(LoadedPlugin& plugin) {
  const sdk::UploadPolicy* policy = nullptr;
  try {
    policy = plugin.messageType()->uploads();
  } catch (...) {
    plugin.recordEscape("uploads()");
    throw PluginFailure("The " + plugin.name() + " plugin failed to handle this upload.");
  }
  if (!policy)
    throw InvalidInput("message_type", "The " + plugin.name() + " message type takes no files.",
                       "no_uploads");
  return *policy;
}

// Calls one function of a message type's upload policy: whatever escapes it is recorded
// against the plugin (as `call_name`) and answered as a PluginFailure.
template <class Call>
auto askUploadPolicy(LoadedPlugin& plugin, const char* call_name, Call&& call) {
  const sdk::UploadPolicy& policy = uploadPolicyOf(plugin);
  try {
    return call(policy);
  } catch (...) {
    plugin.recordEscape(call_name);
  }
  throw PluginFailure("The " + plugin.name() + " plugin failed to handle this upload.");
}

}  // namespace

PluginHost::PluginHost(const Poco::Util::AbstractConfiguration& config,
                       const sdk::StoreReader& store, EventBus& bus,
                       metrics::LabelledCounter* errors)
    : store_(store),
      bus_(bus),
      errors_(errors),
      config_(const_cast<Poco::Util::AbstractConfiguration*>(&config), /*shared=*/true),
      loaded_(std::make_shared<const Plugins>()) {
  subscription_ =
      bus_.subscribe([this](const sdk::Event& event, const Routing&) { deliverToStats(event); });
}

PluginHost::~PluginHost() {
  bus_.unsubscribe(subscription_);
  std::lock_guard<std::mutex> admin(admin_mutex_);
  Plugins plugins = *current();
  publish(std::make_shared<const Plugins>());
  while (!plugins.empty()) plugins.pop_back();  // reverse load order
}

std::shared_ptr<const PluginHost::Plugins> PluginHost::current() const {
  std::lock_guard<std::mutex> lock(list_mutex_);
  return loaded_;
}

void PluginHost::publish(std::shared_ptr<const Plugins> next) {
  std::lock_guard<std::mutex> lock(list_mutex_);
  loaded_ = std::move(next);
}

void PluginHost::loadAll(const std::string& dir, const std::vector<std::string>& enabled) {
  std::lock_guard<std::mutex> admin(admin_mutex_);
  {
    std::lock_guard<std::mutex> lock(list_mutex_);
    dir_ = dir;
  }
  for (const auto& name : enabled) loadOne(name);
}

void PluginHost::loadOne(const std::string& name) {
  auto record = [&](PluginStatus status) {
    status.name = name;
    status.state = "failed";
    log().error("plugin %s not loaded: %s", name, status.error);
    std::lock_guard<std::mutex> lock(list_mutex_);
    failures_.push_back(std::move(status));
  };
  PluginStatus failed;
  if (!isPlainName(name)) {
    failed.error = "plugin names are letters, digits, '_' and '-'";
    return record(failed);
  }
  for (const auto& plugin : *current())
    if (plugin->name() == name) {
      failed = plugin->status();
      failed.error = "enabled twice";
      return record(failed);
    }
  for (const auto& status : status())
    if (status.name == name && status.state == "failed") {
      failed.error = "enabled twice";
      return record(failed);
    }

  std::shared_ptr<LoadedPlugin> plugin;
  try {
    plugin = LoadedPlugin::open(dir_, name, errors_);
    // Listed before it starts, so a stats plugin hears of messages stored while it rebuilds.
    auto with = std::make_shared<Plugins>(*current());
    with->push_back(plugin);
    publish(std::move(with));
    plugin->start(*config_, store_, bus_, links_);
    refuseClaimedFrameTypes(*plugin);
  } catch (const std::exception& e) {  // PluginRefused, or the loader's own failures
    if (plugin) {
      failed = plugin->status();
      unloadOne(name);
    }
    failed.error = e.what();
    return record(failed);
  }
  const PluginStatus loaded = plugin->status();
  log().information("plugin %s %s loaded (%s)", name, loaded.version, loaded.kind);
}

void PluginHost::unloadOne(const std::string& name) {
  auto without = std::make_shared<Plugins>(*current());
  without->erase(std::remove_if(without->begin(), without->end(),
                                [&](const auto& plugin) { return plugin->name() == name; }),
                 without->end());
  publish(std::move(without));
}

void PluginHost::forgetFailure(const std::string& name) {
  std::lock_guard<std::mutex> lock(list_mutex_);
  failures_.erase(std::remove_if(failures_.begin(), failures_.end(),
                                 [&](const PluginStatus& s) { return s.name == name; }),
                  failures_.end());
}

PluginStatus PluginHost::enable(const std::string& name) {
  std::lock_guard<std::mutex> admin(admin_mutex_);
  if (!isPlainName(name)) throw NotFound("No plugin named " + name + ".", "no_plugin");
  for (const auto& plugin : *current())
    if (plugin->name() == name) return plugin->status();
  if (!boost::filesystem::exists(boost::filesystem::path(dir_) / (name + ".so")))
    throw NotFound("No plugin named " + name + " in the plugin folder.", "no_plugin");
  forgetFailure(name);
  loadOne(name);
  for (const auto& status : status())
    if (status.name == name) {
      if (status.state == "failed")
        throw Conflict("The " + name + " plugin did not load: " + status.error, "plugin_failed");
      log().notice("plugin %s enabled at run time", name);
      return status;
    }
  throw PluginFailure("The " + name + " plugin vanished while loading.");
}

PluginStatus PluginHost::disable(const std::string& name) {
  std::lock_guard<std::mutex> admin(admin_mutex_);
  const bool was_loaded = std::any_of(current()->begin(), current()->end(),
                                      [&](const auto& plugin) { return plugin->name() == name; });
  unloadOne(name);
  forgetFailure(name);
  for (const auto& status : status())
    if (status.name == name) {
      if (was_loaded) log().notice("plugin %s disabled at run time", name);
      return status;
    }
  throw NotFound("No plugin named " + name + ".", "no_plugin");
}

void PluginHost::apply(const std::vector<std::string>& enabled,
                       const Poco::Util::AbstractConfiguration& config) {
  std::lock_guard<std::mutex> admin(admin_mutex_);
  config_.assign(const_cast<Poco::Util::AbstractConfiguration*>(&config), /*shared=*/true);
  const std::set<std::string> wanted(enabled.begin(), enabled.end());
  for (const auto& plugin : *current())
    if (!wanted.count(plugin->name())) {
      log().notice("plugin %s no longer enabled: stopping it", plugin->name());
      unloadOne(plugin->name());
    }
  {
    std::lock_guard<std::mutex> lock(list_mutex_);
    failures_.clear();  // retried below when still enabled
  }
  for (const auto& name : enabled) {
    const bool running = std::any_of(current()->begin(), current()->end(),
                                     [&](const auto& plugin) { return plugin->name() == name; });
    if (!running) loadOne(name);
  }
}

std::shared_ptr<LoadedPlugin> PluginHost::messageTypeNamed(const std::string& name) const {
  for (const auto& plugin : *current())
    if (plugin->messageType() && plugin->live() && plugin->name() == name) return plugin;
  return nullptr;
}

std::shared_ptr<LoadedPlugin> PluginHost::messageTypeOrThrow(const std::string& name) const {
  auto plugin = messageTypeNamed(name);
  if (!plugin)
    throw InvalidInput("message_type", "Unknown or disabled message type.", "unknown_message_type");
  return plugin;
}

bool PluginHost::hasMessageType(const std::string& name) const {
  return messageTypeNamed(name) != nullptr;
}

sdk::ValidationResult PluginHost::validate(const std::string& type,
                                           const Poco::JSON::Object& content,
                                           const sdk::MessageContext& context) const {
  const auto plugin = messageTypeOrThrow(type);
  try {
    return plugin->messageType()->validate(content, context);
  } catch (...) {
    plugin->recordEscape("validate()");
  }
  throw PluginFailure("The " + type + " plugin failed to handle this message.");
}

std::int64_t PluginHost::uploadLimit(const std::string& type) const {
  const auto plugin = messageTypeOrThrow(type);
  return askUploadPolicy(*plugin, "maxBytes()",
                         [](const sdk::UploadPolicy& policy) { return policy.maxBytes(); });
}

sdk::UploadDecision PluginHost::reviewUpload(const std::string& type, const sdk::MediaInfo& media,
                                             std::int64_t size) const {
  const auto plugin = messageTypeOrThrow(type);
  return askUploadPolicy(*plugin, "review()", [&](const sdk::UploadPolicy& policy) {
    return policy.review(media, size);
  });
}

sdk::UploadDecision PluginHost::screenUpload(const std::string& type, const sdk::MediaInfo& known,
                                             std::int64_t size) const {
  const auto plugin = messageTypeOrThrow(type);
  return askUploadPolicy(*plugin, "screen()", [&](const sdk::UploadPolicy& policy) {
    // An interface the SDK added beside UploadPolicy: plugins built before it lack it.
    const auto* screen = dynamic_cast<const sdk::UploadScreen*>(&policy);
    return screen ? screen->screen(known, size) : sdk::UploadDecision::accept();
  });
}

std::string PluginHost::summary(const std::string& type, const Poco::JSON::Object& content) const {
  const auto plugin = messageTypeNamed(type);
  if (!plugin) return "";
  try {
    return plugin->messageType()->summary(content);
  } catch (...) {
    plugin->recordEscape("summary()");
    return "";
  }
}

void PluginHost::deliverToStats(const sdk::Event& event) const {
  for (const auto& plugin : *current())
    if (plugin->stats()) plugin->deliver(event);
}

Poco::JSON::Object::Ptr PluginHost::stats(const sdk::StatsScope& scope) const {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  for (const auto& plugin : *current()) {
    if (!plugin->stats() || !plugin->live()) continue;
    // Each plugin writes into its own object first, so one that throws halfway adds nothing.
    Poco::JSON::Object part;
    try {
      plugin->stats()->query(scope, part);
    } catch (...) {
      plugin->recordEscape("query()");
      continue;
    }
    for (const auto& [key, value] : part) out->set(key, value);
  }
  return out;
}

const std::vector<std::string>& PluginHost::coreFrameTypes() {
  static const std::vector<std::string> types(kClientFrameNames.begin(), kClientFrameNames.end());
  return types;
}

void PluginHost::refuseClaimedFrameTypes(const LoadedPlugin& plugin) const {
  for (const auto& type : plugin.frameTypes()) {
    const auto& core = coreFrameTypes();
    if (std::find(core.begin(), core.end(), type) != core.end())
      throw PluginRefused("it claims the frame type '" + type + "', which is the server's own");
    for (const auto& other : *current()) {
      if (other.get() == &plugin) continue;
      const auto& theirs = other->frameTypes();
      if (std::find(theirs.begin(), theirs.end(), type) != theirs.end())
        throw PluginRefused("it claims the frame type '" + type + "', which the " + other->name() +
                            " plugin has");
    }
  }
}

std::shared_ptr<LoadedPlugin> PluginHost::frameOwner(const std::string& type) const {
  for (const auto& plugin : *current()) {
    if (!plugin->frames() || !plugin->live()) continue;
    const auto& types = plugin->frameTypes();
    if (std::find(types.begin(), types.end(), type) != types.end()) return plugin;
  }
  return nullptr;
}

bool PluginHost::ownsFrame(const std::string& type) const { return frameOwner(type) != nullptr; }

void PluginHost::onFrame(const std::string& type, const sdk::FrameSender& from,
                         const Poco::JSON::Object& frame) const {
  const auto plugin = frameOwner(type);
  if (!plugin) throw BadRequest("No plugin takes '" + type + "' frames now.", "unknown_frame_type");
  try {
    plugin->frames()->onFrame(from, frame);
  } catch (const sdk::FrameRefused& refused) {
    throw BadRequest(refused.what(), refused.code());
  } catch (...) {
    plugin->recordEscape("onFrame()");
    throw PluginFailure("The " + plugin->name() + " plugin failed to handle this frame.");
  }
}

void PluginHost::onDisconnect(std::int64_t user_id, std::uint64_t connection_id) const {
  for (const auto& plugin : *current()) {
    if (!plugin->frames() || !plugin->live()) continue;
    try {
      plugin->frames()->onDisconnect(user_id, connection_id);
    } catch (...) {
      plugin->recordEscape("onDisconnect()");
    }
  }
}

void PluginHost::notify(const Poco::JSON::Object& notification) const {
  for (const auto& plugin : *current()) {
    if (!plugin->notifier() || !plugin->live()) continue;
    try {
      plugin->notifier()->deliver(notification);
    } catch (...) {
      plugin->recordEscape("deliver()");
    }
  }
}

std::vector<PluginStatus> PluginHost::status() const {
  std::vector<PluginStatus> out;
  std::set<std::string> known;
  for (const auto& plugin : *current()) {
    out.push_back(plugin->status());
    known.insert(plugin->name());
  }
  std::string dir;
  {
    std::lock_guard<std::mutex> lock(list_mutex_);
    dir = dir_;
    for (const auto& failed : failures_) {
      out.push_back(failed);
      known.insert(failed.name);
    }
  }
  for (const auto& name : filesIn(dir)) {
    if (known.count(name)) continue;
    PluginStatus available;
    available.name = name;
    available.state = "disabled";
    out.push_back(available);
  }
  return out;
}

}  // namespace fieldlink

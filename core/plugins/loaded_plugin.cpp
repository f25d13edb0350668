#include "plugins/loaded_plugin.hpp"

#include <boost/filesystem.hpp>

#include <Poco/Logger.h>

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

// Libraries stay mapped until the process exits, even once their plugin is stopped. Values a
// plugin made can outlive it in the core's caches and queues (a JSON object whose template
// instantiations have their vtables in the plugin's code, say), and C++ gives no way to find
// them all; unmapping the code under them would crash the server later and elsewhere. A
// re-enabled plugin is loaded again from the same mapping. Never freed on purpose.
void keepMapped(boost::dll::shared_library library) {
  static std::mutex mutex;
  static auto* kept = new std::vector<boost::dll::shared_library>;
  std::lock_guard<std::mutex> lock(mutex);
  kept->push_back(std::move(library));
}

}  // namespace

LoadedPlugin::LoadedPlugin(std::string name, metrics::LabelledCounter* errors)
    : name_(std::move(name)), errors_(errors) {}

std::shared_ptr<LoadedPlugin> LoadedPlugin::open(const std::string& dir, const std::string& name,
                                                 metrics::LabelledCounter* errors) {
  const boost::filesystem::path path = boost::filesystem::path(dir) / (name + ".so");
  std::shared_ptr<LoadedPlugin> self(new LoadedPlugin(name, errors));
  PluginStatus& status = self->loaded_status_;
  status.name = name;
  try {
    if (!boost::filesystem::exists(path)) throw PluginRefused("no file " + path.string());
    self->library_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const boost::system::system_error& e) {  // filesystem errors included
    throw PluginRefused(e.what());
  }
  if (!self->library_.has("fieldlink_plugin"))
    throw PluginRefused(path.string() + " is not a fieldlink plugin (no fieldlink_plugin symbol)");
  const auto& manifest = self->library_.get_alias<const sdk::PluginManifest>("fieldlink_plugin");
  status.api_version = manifest.api_version;
  if (manifest.api_version != sdk::kApiVersion)
    throw PluginRefused("built for SDK API version " + std::to_string(manifest.api_version) +
                        ", this server speaks " + std::to_string(sdk::kApiVersion) +
                        ": rebuild the plugin against this server's SDK");
  if (!self->library_.has("fieldlink_plugin_build"))
    throw PluginRefused(
        "no build record (fieldlink_plugin_build): rebuild the plugin with "
        "FIELDLINK_PLUGIN against this server's SDK");
  const auto& built = self->library_.get_alias<const sdk::BuildRecord>("fieldlink_plugin_build");
  const sdk::BuildRecord& host = sdk::kThisBuild;
  if (std::string(built.compiler) != host.compiler || std::string(built.stdlib) != host.stdlib)
    throw PluginRefused(std::string("built with ") + built.compiler + " and " + built.stdlib +
                        ", this server with " + host.compiler + " and " + host.stdlib +
                        ": rebuild the plugin with the server's compiler and standard library");
  status.kind = kindName(manifest.kind);
  status.version = manifest.version ? manifest.version : "";
  if (status.kind.empty()) throw PluginRefused("unknown plugin kind");
  if (!manifest.name || name != manifest.name)
    throw PluginRefused(std::string("file declares the name '") +
                        (manifest.name ? manifest.name : "") + "'");
  try {
    self->plugin_ = manifest.create();
    if (!self->plugin_) throw PluginRefused("factory returned nothing");
    self->message_type_ = self->plugin_->message_type();
    self->stats_ = self->plugin_->stats();
    self->notifier_ = self->plugin_->notifier();
  } catch (const PluginRefused&) {
    throw;
  } catch (const std::exception& e) {
    throw PluginRefused(std::string("threw while being created: ") + e.what());
  } catch (...) {
    throw PluginRefused("threw a non-standard exception while being created");
  }
  if ((manifest.kind == sdk::PluginKind::MessageType) != (self->message_type_ != nullptr) ||
      (manifest.kind == sdk::PluginKind::Stats) != (self->stats_ != nullptr) ||
      (manifest.kind == sdk::PluginKind::Notifier) != (self->notifier_ != nullptr))
    throw PluginRefused("the plugin does not implement the kind its manifest declares");
  return self;
}

void LoadedPlugin::start(const Poco::Util::AbstractConfiguration& config,
                         const sdk::StoreReader& store, EventBus& bus, PluginLinks& links) {
  context_ = std::make_unique<PluginContext>(name_, config, store, bus, links);
  sdk::StartResult started;
  try {
    started = plugin_->start(*context_);
  } catch (const std::exception& e) {
    started = sdk::StartResult::failed(std::string("threw: ") + e.what());
  } catch (...) {
    started = sdk::StartResult::failed("threw a non-standard exception");
  }
  if (!started.error.empty()) {
    // Not started, so not stopped either: the SDK promises stop() only after a start().
    plugin_.reset();
    throw PluginRefused("start failed: " + started.error);
  }
  std::string frames_error;
  try {
    frames_ = plugin_->frames();
    if (frames_) frame_types_ = frames_->frameTypes();
  } catch (const std::exception& e) {
    frames_error = std::string("frameTypes() threw: ") + e.what();
  } catch (...) {
    frames_error = "frameTypes() threw a non-standard exception";
  }
  if (!frames_error.empty()) {
    try {
      plugin_->stop();  // it did start
    } catch (...) {
      recordEscape("stop()");
    }
    frames_ = nullptr;
    plugin_.reset();
    throw PluginRefused(frames_error);
  }
  // Hand over what arrived while starting; events arriving meanwhile join the queue, and
  // the plugin goes live only once the queue is empty, so their order is kept.
  for (;;) {
    std::vector<sdk::Event> batch;
    {
      std::lock_guard<std::mutex> lock(held_mutex_);
      if (held_events_.empty()) {
        live_.store(true, std::memory_order_release);
        break;
      }
      batch.swap(held_events_);
    }
    for (const auto& event : batch) handOver(event);
  }
}

void LoadedPlugin::deliver(const sdk::Event& event) {
  if (!stats_) return;
  if (!live_.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(held_mutex_);
    if (!live_.load(std::memory_order_acquire)) {
      held_events_.push_back(event);
      return;
    }
  }
  handOver(event);
}

void LoadedPlugin::handOver(const sdk::Event& event) {
  try {
    stats_->on_event(event);
  } catch (...) {
    recordEscape("on_event(" + event.type + ")");
  }
}

LoadedPlugin::~LoadedPlugin() {
  if (plugin_ && live()) {
    try {
      plugin_->stop();
    } catch (...) {
      recordEscape("stop()");
    }
    log().information("plugin %s stopped", name_);
  }
  message_type_ = nullptr;
  stats_ = nullptr;
  notifier_ = nullptr;
  frames_ = nullptr;
  plugin_.reset();
  if (library_.is_loaded()) keepMapped(std::move(library_));
}

void LoadedPlugin::recordEscape(const std::string& call) {
  std::string what = "a non-standard exception";
  try {
    throw;
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  log().error("plugin %s threw from %s: %s", name_, call, what);
  if (errors_) errors_->add(name_);
  std::lock_guard<std::mutex> lock(health_mutex_);
  ++runtime_errors_;
  last_error_ = call + ": " + what;
  last_error_at_ = std::chrono::system_clock::now();
}

PluginStatus LoadedPlugin::status() const {
  PluginStatus out = loaded_status_;
  out.state = live() ? "loaded" : "starting";
  std::lock_guard<std::mutex> lock(health_mutex_);
  out.runtime_errors = runtime_errors_;
  out.last_error = last_error_;
  out.last_error_at = last_error_at_;
  return out;
}

}  // namespace fieldlink

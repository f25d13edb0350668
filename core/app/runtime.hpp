#pragma once

#include <memory>

#include <Poco/Util/AbstractConfiguration.h>

#include "app/settings.hpp"
#include "auth/password_hasher.hpp"
#include "auth/token_service.hpp"
#include "bus/event_bus.hpp"
#include "bus/redis_bridge.hpp"
#include "bus/redis_presence.hpp"
#include "domain/accounts.hpp"
#include "domain/chat.hpp"
#include "domain/service_requests.hpp"
#include "http/services.hpp"
#include "metrics/server_metrics.hpp"
#include "notifications/notifications.hpp"
#include "plugins/plugin_host.hpp"
#include "plugins/plugin_store_reader.hpp"
#include "store/store.hpp"
#include "tracking/tracker.hpp"
#include "tracking/tracking_links.hpp"
#include "ws/access_watch.hpp"
#include "ws/hub.hpp"
#include "ws/public_tracking_feed.hpp"

namespace fieldlink {

class WebAssets;

// Everything the server is made of, built in dependency order and torn down in reverse.
class Runtime {
 public:
  Runtime(const Settings& settings, const Poco::Util::AbstractConfiguration& config);
  ~Runtime();

  void loadPlugins();
  // Starts the WebSocket hub (reactor threads); only the serving server needs it.
  void startHub();
  // Starts the timer that deletes uploads no message used (only the serving server).
  void startHousekeeping();
  Services& services() { return *services_; }
  Accounts& accounts() { return *accounts_; }
  ServiceRequests& requests() { return *requests_; }
  Store& store() { return *store_; }
  PluginHost& plugins() { return *plugins_; }

 private:
  const Settings& settings_;
  metrics::ServerMetrics metrics_;
  std::unique_ptr<Store> store_;
  EventBus bus_;
  std::unique_ptr<RedisPresence> presence_;  // with bus.redis
  std::unique_ptr<RedisBridge> bridge_;      // with bus.redis
  std::size_t counting_subscription_ = 0;
  std::unique_ptr<PluginStoreReader> store_reader_;
  std::unique_ptr<PluginHost> plugins_;
  PasswordHasher hasher_;
  TokenService tokens_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<AttachmentService> attachments_;
  std::unique_ptr<Chat> chat_;
  std::unique_ptr<ServiceRequests> requests_;
  std::unique_ptr<Tracker> tracker_;
  std::unique_ptr<TrackingLinks> tracking_links_;
  std::unique_ptr<Notifications> notifications_;
  std::unique_ptr<ws::Hub> hub_;
  std::unique_ptr<ws::PublicTrackingFeed> public_tracking_;
  std::unique_ptr<ws::AccessWatch> access_watch_;  // closes the sockets of disabled users
  std::unique_ptr<WebAssets> web_;
  AbuseLimits abuse_;
  std::unique_ptr<Services> services_;
};

}  // namespace fieldlink

#pragma once

#include <chrono>
#include <cstddef>

#include "attachments/attachment_service.hpp"
#include "auth/abuse_limits.hpp"
#include "domain/accounts.hpp"
#include "domain/chat.hpp"
#include "domain/service_requests.hpp"
#include "http/cors_policy.hpp"
#include "metrics/monitoring_access.hpp"
#include "metrics/server_metrics.hpp"
#include "notifications/notifications.hpp"
#include "plugins/plugin_host.hpp"
#include "store/store.hpp"
#include "tracking/tracker.hpp"
#include "util/network_list.hpp"

namespace fieldlink::ws {
class Hub;
class PublicTrackingFeed;
}  // namespace fieldlink::ws

namespace fieldlink {

class WebAssets;
class MapTiles;
class IceServers;
class TrackingLinks;

// What the HTTP endpoints work with. Owned by the application; outlives the server.
struct Services {
  Store& store;
  Accounts& accounts;
  ServiceRequests& requests;
  Chat& chat;
  PluginHost& plugins;
  AttachmentService& attachments;
  Tracker& tracker;
  Notifications& notifications;
  metrics::ServerMetrics& metrics;
  const metrics::MonitoringAccess& monitoring;
  AbuseLimits& abuse;
  const NetworkList& trusted_proxies;
  const CorsPolicy& cors;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t gzip_min_bytes = 1024;               // 0: answers are never compressed
  std::string strict_transport_security;           // the header's value; empty: not sent (no TLS)
  const WebAssets* web = nullptr;                  // null: no browser client
  const MapTiles* map_tiles = nullptr;             // null: no tiles under the page's tracking map
  std::chrono::seconds position_stale_after{120};  // the page greys an older position
  const IceServers* ice_servers = nullptr;         // null: calls get no STUN or TURN servers
  ws::Hub* hub = nullptr;                          // null: WebSocket paths answer 404
  TrackingLinks* tracking_links = nullptr;
  ws::PublicTrackingFeed* public_tracking = nullptr;  // null: no live feed for tracking links
};

}  // namespace fieldlink

#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Util/AbstractConfiguration.h>

#include "auth/abuse_limits.hpp"
#include "bus/redis_bridge.hpp"
#include "calls/ice_servers.hpp"
#include "http/cors_policy.hpp"
#include "http/http_timeouts.hpp"
#include "media/media_probe.hpp"
#include "metrics/monitoring_access.hpp"
#include "store/mysql/mysql_target.hpp"
#include "tls/server_tls.hpp"
#include "tracking/tracking_links.hpp"
#include "tracking/trail.hpp"
#include "util/network_list.hpp"
#include "web/map_tiles.hpp"
#include "ws/ws_settings.hpp"

namespace fieldlink {

// One configuration key: its default and what it does. The table of these is the single
// list used for defaults, --help and FIELDLINK_* environment overrides.
struct SettingKey {
  const char* key;
  const char* default_value;
  const char* description;
};
const std::vector<SettingKey>& settingKeys();

// "http.port" -> "FIELDLINK_HTTP_PORT"
std::string environmentNameOf(const std::string& key);

// The server's settings, read and checked once at start.
struct Settings {
  std::string http_address;
  int http_port = 8000;
  int http_threads = 8;
  int http_upload_threads = 2;
  int http_queue = 4096;
  std::size_t max_connections = 50000;
  std::size_t max_connections_per_address = 1024;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_headers = 100;
  std::size_t gzip_min_bytes = 1024;
  HttpTimeouts timeouts;
  NetworkList trusted_proxies;
  CorsPolicy cors;
  AbuseLimitSettings abuse;
  tls::TlsSettings tls;
  std::string data_dir;
  std::string database_path;
  std::size_t store_batch_max = 1024;
  std::optional<mysql::MysqlTarget> mysql;  // set: the MySQL/MariaDB store instead of SQLite
  std::size_t mysql_idle_connections = 16;
  std::optional<RedisEndpoint> redis;  // set: several nodes joined through Redis
  std::chrono::seconds presence_ttl{15};
  std::string plugins_dir;
  std::string web_dir;
  MapTiles map_tiles;
  std::chrono::seconds position_stale_after{120};  // the page greys an older position
  IceServers ice_servers;
  std::vector<std::string> plugins_enabled;
  std::string jwt_secret;
  std::chrono::seconds access_lifetime{900};
  std::chrono::seconds refresh_lifetime{604800};
  std::chrono::seconds refresh_reuse_grace{0};
  int pbkdf2_iterations = 600000;
  bool dev_mode = false;
  ws::WsSettings ws;
  std::string attachments_dir;
  std::string backup_dir;  // dated backups of --backup without a folder
  int backup_keep = 7;     // how many of them are kept
  std::int64_t attachments_max_bytes = 100 << 20;
  std::chrono::seconds attachments_unreferenced_ttl{86400};
  std::chrono::seconds attachments_purge_interval{600};
  int attachments_concurrent_decodes = 0;
  media::ProbeBudget attachments_budget;
  std::int64_t attachments_user_quota_bytes = 0;
  int attachments_uploads_per_hour = 0;
  std::int64_t attachments_min_free_bytes = 0;
  tracking::TrackingSettings tracking;
  TrackingLinkSettings tracking_links;
  int public_watchers_per_link = 20;
  metrics::MonitoringAccess monitoring;

  // Throws Poco::InvalidArgumentException naming the key at fault.
  static Settings from(const Poco::Util::AbstractConfiguration& config);
};

// plugins.enabled as a list of names.
std::vector<std::string> enabledPlugins(const Poco::Util::AbstractConfiguration& config);

}  // namespace fieldlink

#include "app/settings.hpp"

#include <algorithm>
#include <thread>

#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace fieldlink {
namespace {

constexpr const char* kPlaceholderSecret = "change-me";

int intIn(const Poco::Util::AbstractConfiguration& c, const std::string& key, int min, int max) {
  int value = 0;
  try {
    value = c.getInt(key);
  } catch (const Poco::Exception&) {
    throw Poco::InvalidArgumentException(key + " must be an integer");
  }
  if (value < min || value > max)
    throw Poco::InvalidArgumentException(key + " must be between " + std::to_string(min) + " and " +
                                         std::to_string(max));
  return value;
}

// A count of bytes: 0 or more, up to what any disk holds.
std::int64_t int64In(const Poco::Util::AbstractConfiguration& c, const std::string& key) {
  Poco::Int64 value = 0;
  try {
    value = c.getInt64(key);
  } catch (const Poco::Exception&) {
    throw Poco::InvalidArgumentException(key + " must be an integer");
  }
  if (value < 0 || value > (Poco::Int64{1} << 50))
    throw Poco::InvalidArgumentException(key + " must be between 0 and 2^50");
  return value;
}

double doubleIn(const Poco::Util::AbstractConfiguration& c, const std::string& key, double min,
                double max) {
  double value = 0;
  try {
    value = c.getDouble(key);
  } catch (const Poco::Exception&) {
    throw Poco::InvalidArgumentException(key + " must be a number");
  }
  if (!(value >= min && value <= max))
    throw Poco::InvalidArgumentException(key + " must be between " + std::to_string(min) + " and " +
                                         std::to_string(max));
  return value;
}

}  // namespace

const std::vector<SettingKey>& settingKeys() {
  static const std::vector<SettingKey> keys = {
      {"http.address", "0.0.0.0", "address to listen on"},
      {"http.port", "8000", "TCP port (0: any free port)"},
      {"http.threads", "0",
       "threads running complete requests (0: twice the cores, at least 4); connections, "
       "idle or slow, never hold one"},
      {"http.upload_threads", "0",
       "threads answering uploads, whose files are checked (and audio and video decoded) "
       "there, apart from every other request (0: one per core, at least 2)"},
      {"http.queue", "4096", "listen backlog: connections the kernel queues before accepting"},
      {"http.max_connections", "50000", "open connections in all, HTTP and WebSocket (503 beyond)"},
      {"http.max_connections_per_address", "1024",
       "open connections from one client address (503 beyond; trusted proxies exempt)"},
      {"http.max_body_bytes", "1048576", "largest request body but an upload (413 beyond)"},
      {"http.max_header_bytes", "16384", "largest request line and header fields (431 beyond)"},
      {"http.max_headers", "100", "most header fields in one request (431 beyond)"},
      {"http.min_body_rate", "1024",
       "bytes per second a request body must average over each 10 s (408 below)"},
      {"http.idle_timeout", "30",
       "seconds a connection may wait for its next request, or for its answer to be read"},
      {"http.header_timeout", "10",
       "seconds for a request's headers to arrive in full (408 after)"},
      {"http.request_timeout", "600",
       "seconds for a whole request, body included, to arrive (408 after; 0: no limit)"},
      {"http.gzip_min_bytes", "1024",
       "JSON answers this large or larger are gzipped for clients that accept it (0: never)"},
      {"http.trusted_proxies", "",
       "reverse proxies whose X-Forwarded-For names the client (addresses or networks)"},
      {"http.cors_allowed_origins", "",
       "web origins allowed to call the API from a browser (https://app.example.com, ...)"},
      {"tls.certificate", "",
       "PEM certificate (then its chain) for HTTPS and WSS; empty: plain HTTP (behind a proxy)"},
      {"tls.private_key", "", "PEM private key of tls.certificate, unencrypted"},
      {"tls.min_version", "1.2", "oldest TLS version accepted: 1.2 or 1.3"},
      {"tls.hsts_max_age", "31536000",
       "with TLS, Strict-Transport-Security max-age in seconds (0: no header)"},
      {"data.dir", "./data", "folder of the SQLite database and attachments"},
      {"store.backend", "sqlite", "sqlite (embedded, one node) or mysql (MySQL/MariaDB)"},
      {"store.sqlite.path", "", "database file; empty: <data.dir>/fieldlink.db"},
      {"store.mysql.url", "",
       "with store.backend=mysql: mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"},
      {"store.mysql.password", "",
       "the MySQL password, if not in the URL (FIELDLINK_STORE_MYSQL_PASSWORD)"},
      {"store.mysql.idle_connections", "16", "read connections kept open between requests"},
      {"store.mysql.connect_timeout", "5", "seconds to wait for the database to answer a connect"},
      {"store.batch_max", "1024", "most writes committed together in one transaction"},
      {"attachments.dir", "", "folder of uploaded files; empty: <data.dir>/attachments"},
      {"backup.dir", "",
       "where --backup without a folder puts dated backups; empty: <data.dir>/backups"},
      {"backup.keep", "7", "complete backups --backup without a folder keeps in backup.dir"},
      {"attachments.max_bytes", "104857600", "largest upload of any type (413 beyond)"},
      {"attachments.unreferenced_ttl", "86400",
       "seconds before an upload no message uses is deleted"},
      {"attachments.purge_interval", "600", "seconds between two purges of unused uploads"},
      {"attachments.concurrent_decodes", "0",
       "audio/video uploads decoded at once (0: one per core)"},
      {"attachments.decode_budget_seconds", "20",
       "longest an audio or video upload may take to check once its decode starts (413 "
       "media_too_costly beyond; decoding stops there)"},
      {"attachments.user_quota_bytes", "262144000",
       "bytes of one user's uploads that no message uses yet (413 upload_quota_exceeded "
       "beyond; 0: no limit)"},
      {"attachments.uploads_per_hour", "300",
       "uploads per user and hour (429 beyond; 0: no limit)"},
      {"attachments.min_free_bytes", "536870912",
       "free disk below which uploads are refused (507), the rest working on (0: no floor)"},
      {"attachments.max_pixels", "40000000",
       "most pixels of an uploaded image or video frame (413 media_too_costly beyond; 0: any)"},
      {"tracking.trail_max", "200", "positions kept per request"},
      {"tracking.road_factor", "1.3", "road distance / great-circle distance, for the ETA"},
      {"tracking.typical_speed_mps", "8.3", "speed assumed when stopped or unknown (m/s)"},
      {"tracking.stopped_below_mps", "1.0", "slower than this counts as stopped (m/s)"},
      {"tracking.max_speed_mps", "70", "faster than this between two fixes: ignored (m/s)"},
      {"tracking.publish_interval_ms", "2000", "least time between two tracking frames"},
      {"tracking.publish_min_distance_m", "25", "distance change that is worth a frame"},
      {"tracking.publish_min_eta_change_s", "15", "ETA change that is worth a frame"},
      {"tracking.arriving_soon_seconds", "300", "notify the client once the ETA falls to this"},
      {"tracking.geofence_m", "150", "notify 'arrived' within this distance of the job"},
      {"tracking.link_ttl", "86400",
       "seconds a tracking link works (it also ends with the request), up to 30 days"},
      {"tracking.public_requests_per_minute", "60",
       "tracking-link looks (page loads and live connections) per client address and minute "
       "(0: no limit)"},
      {"tracking.link_on_en_route", "true",
       "make a tracking link for the client when the technician sets off (in their notice)"},
      {"tracking.public_watchers_per_link", "20",
       "live connections open on one tracking link at once (4429 beyond)"},
      {"server.public_url", "",
       "the server's address as users reach it (https://chat.example.com), for links it makes; "
       "empty: links are relative (/t/...)"},
      {"metrics.allow", "127.0.0.1,::1",
       "addresses or networks (such as 10.0.0.0/8) allowed to read /metrics"},
      {"metrics.token", "",
       "bearer token that opens /metrics from anywhere (16+ chars; empty: none)"},
      {"plugins.dir", "${application.dir}../lib/fieldlink/plugins", "folder of plugin .so files"},
      {"web.dir", "${application.dir}../share/fieldlink/web",
       "folder of the browser client served at / (empty or missing: none)"},
      {"web.map_tiles_url", "",
       "tile URL template with {z}, {x}, {y} for the page's tracking map (empty: no tiles)"},
      {"web.map_attribution", "", "the tile provider's credit, shown on the map"},
      {"web.position_stale_seconds", "120",
       "a technician's position older than this is shown as stale on the page's map"},
      {"calls.stun_urls", "", "comma-separated stun: URLs for video calls (empty: none)"},
      {"calls.turn_urls", "", "comma-separated turn: URLs for video calls (empty: none)"},
      {"calls.turn_secret", "", "the TURN server's shared secret (coturn static-auth-secret)"},
      {"calls.turn_credential_ttl", "3600", "seconds a TURN credential stays valid"},
      {"plugins.enabled",
       "text,file,voice,video,location,stats_messages,stats_response_time,stats_activity",
       "comma-separated plugin names to load"},
      {"auth.jwt_secret", kPlaceholderSecret, "HS256 signing secret, at least 32 characters"},
      {"auth.access_token_lifetime", "900", "access token lifetime, seconds"},
      {"auth.refresh_token_lifetime", "604800", "refresh token lifetime, seconds"},
      {"auth.refresh_reuse_grace", "0",
       "seconds after its rotation a refresh token may be presented again by its holder (a lost "
       "answer) before a reuse ends the session; 0: every reuse ends it"},
      {"auth.pbkdf2_iterations", "600000", "PBKDF2-HMAC-SHA256 iterations for new hashes"},
      {"auth.login_failures_per_account", "10",
       "failed logins per account in a window before 429 (0: no limit)"},
      {"auth.login_failures_per_address", "50",
       "failed logins per client address in a window before 429 (0: no limit)"},
      {"auth.login_window", "900", "seconds of the failed-login window"},
      {"auth.registrations_per_address", "20",
       "registrations per client address in a window before 429 (0: no limit)"},
      {"auth.registration_window", "3600", "seconds of the registration window"},
      {"server.dev_mode", "false", "allow the placeholder secret (never in production)"},
      {"bus.redis", "",
       "HOST[:PORT] of the Redis that joins several nodes (empty: this node alone)"},
      {"bus.secret", "",
       "signs the events nodes exchange through Redis (16 characters or more, the same on "
       "every node; required with bus.redis)"},
      {"bus.redis_user", "", "Redis 6 ACL user the nodes sign in as (empty: the default user)"},
      {"bus.redis_password", "",
       "password the nodes give Redis (AUTH; empty: none); better in FIELDLINK_BUS_REDIS_PASSWORD"},
      {"bus.redis_database", "0",
       "Redis database of the nodes' presence keys (events go by bus.channel, which Redis "
       "shares across databases)"},
      {"bus.channel", "fieldlink", "Redis channel and key prefix shared by one deployment's nodes"},
      {"bus.node_id", "", "this node's name among them (empty: host name and process id)"},
      {"bus.presence_ttl", "15", "seconds a crashed node's users stay online for the others"},
      {"ws.reactor_threads", "2", "event-loop threads owning every connection, HTTP and WebSocket"},
      {"ws.worker_threads", "2", "threads for read receipts and resume replays"},
      {"ws.max_frame_bytes", "65536", "largest WebSocket message (close 1009 beyond)"},
      {"ws.max_queue_bytes", "1048576", "unsent bytes before a slow reader is closed (1013)"},
      {"ws.messages_per_second", "20",
       "frames per second per connection, sustained (faster senders are read more slowly)"},
      {"ws.max_backlog_bytes", "262144",
       "bytes of messages held back by the rate limit before the sender is closed (1008)"},
      {"ws.message_burst", "40", "frames a connection may send at once before the rate applies"},
      {"ws.max_connections_per_user", "10", "open WebSocket connections per user (4429 beyond)"},
      {"ws.ping_interval", "30", "seconds of silence before the server pings"},
      {"ws.idle_timeout", "75", "seconds of silence before the server closes (1001)"},
      {"ws.deflate_min_bytes", "256",
       "frames this large or larger are compressed for clients that agree to permessage-deflate "
       "(0: not offered)"},
      {"ws.message_timeout", "30",
       "seconds from a message's first byte to its last before the server closes (1008)"},
      {"ws.typing_timeout_ms", "5000", "a typing indicator ends by itself after this long"},
      {"ws.typing_throttle_ms", "2000", "least time between two relayed 'typing' frames"},
      {"ws.resume_max_messages", "5000",
       "most messages one page of a resume replays (has_more beyond; half of ws.max_queue_bytes "
       "also ends a page)"},
      {"ws.access_check_interval", "2",
       "seconds between looks for users disabled or given a new password, whose connections "
       "are then closed (4401)"},
      // Poco's logging configuration, so that a server started without a file logs the same.
      {"logging.loggers.root.channel", "console", "where log lines go (a logging.channels name)"},
      {"logging.loggers.root.level", "information", "least important level logged"},
      {"logging.channels.console.class", "ConsoleChannel", "the console channel"},
      {"logging.channels.console.formatter.class", "LogLineFormatter",
       "fieldlink's formatter: request ids on every line"},
      {"logging.channels.console.formatter.format", "text", "text, or json for JSON lines"},
  };
  return keys;
}

std::string environmentNameOf(const std::string& key) {
  std::string name = "FIELDLINK_" + Poco::toUpper(key);
  for (char& c : name)
    if (c == '.' || c == '-') c = '_';
  return name;
}

std::vector<std::string> enabledPlugins(const Poco::Util::AbstractConfiguration& config) {
  Poco::StringTokenizer names(
      config.getString("plugins.enabled"), ",",
      Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  return {names.begin(), names.end()};
}

Settings Settings::from(const Poco::Util::AbstractConfiguration& c) {
  Settings s;
  s.http_address = c.getString("http.address");
  s.http_port = intIn(c, "http.port", 0, 65535);
  s.http_threads = intIn(c, "http.threads", 0, 1024);
  if (s.http_threads == 0)
    s.http_threads = std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
  s.http_upload_threads = intIn(c, "http.upload_threads", 0, 256);
  if (s.http_upload_threads == 0)
    s.http_upload_threads = std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  s.http_queue = intIn(c, "http.queue", 1, 1000000);
  s.max_connections = static_cast<std::size_t>(intIn(c, "http.max_connections", 1, 10000000));
  s.max_connections_per_address =
      static_cast<std::size_t>(intIn(c, "http.max_connections_per_address", 1, 10000000));
  s.max_body_bytes = static_cast<std::size_t>(intIn(c, "http.max_body_bytes", 1024, 64 << 20));
  s.max_header_bytes = static_cast<std::size_t>(intIn(c, "http.max_header_bytes", 1024, 1 << 20));
  s.max_headers = static_cast<std::size_t>(intIn(c, "http.max_headers", 8, 10000));
  s.timeouts.min_body_rate = static_cast<std::size_t>(intIn(c, "http.min_body_rate", 0, 1 << 30));
  s.gzip_min_bytes = static_cast<std::size_t>(intIn(c, "http.gzip_min_bytes", 0, 64 << 20));
  s.timeouts.idle = std::chrono::seconds(intIn(c, "http.idle_timeout", 1, 3600));
  s.timeouts.headers = std::chrono::seconds(intIn(c, "http.header_timeout", 1, 3600));
  s.timeouts.request = std::chrono::seconds(intIn(c, "http.request_timeout", 0, 86400));
  s.trusted_proxies = NetworkList(c.getString("http.trusted_proxies"), "http.trusted_proxies");
  s.cors = CorsPolicy(c.getString("http.cors_allowed_origins"));
  s.abuse.login_failures_per_account = intIn(c, "auth.login_failures_per_account", 0, 1000000);
  s.abuse.login_failures_per_address = intIn(c, "auth.login_failures_per_address", 0, 1000000);
  s.abuse.login_window = std::chrono::seconds(intIn(c, "auth.login_window", 1, 7 * 86400));
  s.abuse.registrations_per_address = intIn(c, "auth.registrations_per_address", 0, 1000000);
  s.abuse.public_tracking_per_minute = intIn(c, "tracking.public_requests_per_minute", 0, 1000000);
  s.tracking_links.ttl = std::chrono::seconds(intIn(c, "tracking.link_ttl", 1, 30 * 86400));
  s.tracking_links.public_url = c.getString("server.public_url", "");
  s.tracking_links.on_en_route = c.getBool("tracking.link_on_en_route");
  s.public_watchers_per_link = intIn(c, "tracking.public_watchers_per_link", 1, 100000);
  while (!s.tracking_links.public_url.empty() && s.tracking_links.public_url.back() == '/')
    s.tracking_links.public_url.pop_back();
  s.abuse.registration_window =
      std::chrono::seconds(intIn(c, "auth.registration_window", 1, 7 * 86400));
  s.tls.certificate_file = c.getString("tls.certificate");
  s.tls.key_file = c.getString("tls.private_key");
  if (s.tls.certificate_file.empty() != s.tls.key_file.empty())
    throw Poco::InvalidArgumentException("tls.certificate and tls.private_key go together");
  const std::string min_version = c.getString("tls.min_version");
  if (min_version != "1.2" && min_version != "1.3")
    throw Poco::InvalidArgumentException("tls.min_version must be 1.2 or 1.3");
  s.tls.tls13_only = min_version == "1.3";
  s.tls.hsts_max_age = intIn(c, "tls.hsts_max_age", 0, 2 * 365 * 86400);
  s.data_dir = c.getString("data.dir");
  if (s.data_dir.empty()) throw Poco::InvalidArgumentException("data.dir must not be empty");
  const std::string redis = Poco::trim(c.getString("bus.redis"));
  if (!redis.empty()) {
    RedisEndpoint endpoint;
    const auto colon = redis.rfind(':');
    endpoint.host = redis.substr(0, colon);
    if (colon != std::string::npos &&
        !Poco::NumberParser::tryParse(redis.substr(colon + 1), endpoint.port))
      endpoint.port = 0;
    if (endpoint.host.empty() || endpoint.port < 1 || endpoint.port > 65535)
      throw Poco::InvalidArgumentException("bus.redis must be HOST:PORT");
    endpoint.user = c.getString("bus.redis_user");
    endpoint.password = c.getString("bus.redis_password");
    if (!endpoint.user.empty() && endpoint.password.empty())
      throw Poco::InvalidArgumentException("bus.redis_user needs bus.redis_password");
    endpoint.database = intIn(c, "bus.redis_database", 0, 1 << 20);
    endpoint.channel = c.getString("bus.channel");
    if (endpoint.channel.empty())
      throw Poco::InvalidArgumentException("bus.channel must not be empty");
    endpoint.node_id = c.getString("bus.node_id");
    if (endpoint.node_id.empty())
      endpoint.node_id = Poco::Environment::nodeName() + "-" + std::to_string(Poco::Process::id());
    if (c.getString("store.backend") != "mysql")
      throw Poco::InvalidArgumentException(
          "bus.redis joins nodes that share one database: it needs store.backend = mysql");
    endpoint.secret = c.getString("bus.secret");
    if (endpoint.secret.size() < 16)
      throw Poco::InvalidArgumentException(
          "bus.secret must be set (16 characters or more, the same on every node) when "
          "bus.redis joins nodes: events from Redis are accepted only signed with it");
    s.redis = endpoint;
    s.presence_ttl = std::chrono::seconds(intIn(c, "bus.presence_ttl", 3, 3600));
  }
  const std::string backend = c.getString("store.backend");
  if (backend == "mysql") {
    s.mysql = mysql::parseMysqlUrl(c.getString("store.mysql.url"));
    const std::string password = c.getString("store.mysql.password");
    if (!password.empty()) s.mysql->password = password;
    s.mysql->connect_timeout =
        std::chrono::seconds(intIn(c, "store.mysql.connect_timeout", 1, 600));
    s.mysql_idle_connections =
        static_cast<std::size_t>(intIn(c, "store.mysql.idle_connections", 0, 1000));
  } else if (backend != "sqlite") {
    throw Poco::InvalidArgumentException("store.backend must be sqlite or mysql");
  }
  s.database_path = c.getString("store.sqlite.path");
  if (s.database_path.empty())
    s.database_path = Poco::Path(s.data_dir).makeDirectory().setFileName("fieldlink.db").toString();
  s.store_batch_max = static_cast<std::size_t>(intIn(c, "store.batch_max", 1, 10000));
  s.attachments_dir = c.getString("attachments.dir");
  if (s.attachments_dir.empty())
    s.attachments_dir =
        Poco::Path(s.data_dir).makeDirectory().pushDirectory("attachments").toString();
  s.attachments_max_bytes = intIn(c, "attachments.max_bytes", 1024, 2147483647);
  s.backup_dir = c.getString("backup.dir");
  if (s.backup_dir.empty())
    s.backup_dir = Poco::Path(s.data_dir).makeDirectory().pushDirectory("backups").toString();
  s.backup_keep = intIn(c, "backup.keep", 1, 10000);
  s.attachments_unreferenced_ttl =
      std::chrono::seconds(intIn(c, "attachments.unreferenced_ttl", 1, 365 * 86400));
  s.attachments_purge_interval =
      std::chrono::seconds(intIn(c, "attachments.purge_interval", 1, 86400));
  s.attachments_concurrent_decodes = intIn(c, "attachments.concurrent_decodes", 0, 256);
  s.attachments_budget.decode_time =
      std::chrono::seconds(intIn(c, "attachments.decode_budget_seconds", 1, 3600));
  s.attachments_budget.max_pixels = intIn(c, "attachments.max_pixels", 0, 2000000000);
  s.attachments_user_quota_bytes = int64In(c, "attachments.user_quota_bytes");
  s.attachments_uploads_per_hour = intIn(c, "attachments.uploads_per_hour", 0, 1000000);
  s.attachments_min_free_bytes = int64In(c, "attachments.min_free_bytes");
  s.tracking.trail_max = static_cast<std::size_t>(intIn(c, "tracking.trail_max", 2, 100000));
  s.tracking.road_factor = doubleIn(c, "tracking.road_factor", 1.0, 5.0);
  s.tracking.typical_speed_mps = doubleIn(c, "tracking.typical_speed_mps", 0.5, 100);
  s.tracking.stopped_below_mps = doubleIn(c, "tracking.stopped_below_mps", 0, 20);
  s.tracking.max_speed_mps = doubleIn(c, "tracking.max_speed_mps", 5, 400);
  s.tracking.publish_interval_ms = intIn(c, "tracking.publish_interval_ms", 0, 600000);
  s.tracking.publish_min_distance_m = doubleIn(c, "tracking.publish_min_distance_m", 0, 100000);
  s.tracking.publish_min_eta_change_s = doubleIn(c, "tracking.publish_min_eta_change_s", 0, 86400);
  s.tracking.arriving_soon_s = doubleIn(c, "tracking.arriving_soon_seconds", 0, 86400);
  s.tracking.geofence_m = doubleIn(c, "tracking.geofence_m", 5, 100000);
  s.monitoring =
      metrics::MonitoringAccess(c.getString("metrics.allow"), c.getString("metrics.token"));
  s.plugins_dir = c.getString("plugins.dir");
  s.web_dir = c.getString("web.dir");
  s.map_tiles = MapTiles(c.getString("web.map_tiles_url"), c.getString("web.map_attribution"));
  s.position_stale_after = std::chrono::seconds(intIn(c, "web.position_stale_seconds", 10, 86400));
  s.ice_servers =
      IceServers(c.getString("calls.stun_urls"), c.getString("calls.turn_urls"),
                 c.getString("calls.turn_secret"),
                 std::chrono::seconds(intIn(c, "calls.turn_credential_ttl", 60, 604800)));
  s.plugins_enabled = enabledPlugins(c);
  s.jwt_secret = c.getString("auth.jwt_secret");
  s.access_lifetime = std::chrono::seconds(intIn(c, "auth.access_token_lifetime", 10, 86400));
  s.refresh_lifetime =
      std::chrono::seconds(intIn(c, "auth.refresh_token_lifetime", 60, 365 * 86400));
  s.refresh_reuse_grace = std::chrono::seconds(intIn(c, "auth.refresh_reuse_grace", 0, 300));
  s.pbkdf2_iterations = intIn(c, "auth.pbkdf2_iterations", 1000, 10000000);
  s.dev_mode = c.getBool("server.dev_mode");
  if (!s.dev_mode && (s.jwt_secret == kPlaceholderSecret || s.jwt_secret.size() < 32))
    throw Poco::InvalidArgumentException(
        "auth.jwt_secret is the placeholder or shorter than 32 characters: set it in the "
        "config file or FIELDLINK_AUTH_JWT_SECRET (or server.dev_mode=true for development)");
  if (s.jwt_secret.empty()) throw Poco::InvalidArgumentException("auth.jwt_secret is empty");
  s.ws.reactor_threads = intIn(c, "ws.reactor_threads", 1, 64);
  s.ws.worker_threads = intIn(c, "ws.worker_threads", 1, 64);
  s.ws.max_frame_bytes = static_cast<std::size_t>(intIn(c, "ws.max_frame_bytes", 1024, 64 << 20));
  s.ws.max_queue_bytes = static_cast<std::size_t>(intIn(c, "ws.max_queue_bytes", 4096, 1 << 30));
  s.ws.messages_per_second = intIn(c, "ws.messages_per_second", 1, 1000000);
  s.ws.message_burst = intIn(c, "ws.message_burst", 1, 1000000);
  s.ws.max_backlog_bytes =
      static_cast<std::size_t>(intIn(c, "ws.max_backlog_bytes", 1024, 1 << 30));
  s.ws.max_connections_per_user = intIn(c, "ws.max_connections_per_user", 1, 1000000);
  s.ws.ping_interval = std::chrono::seconds(intIn(c, "ws.ping_interval", 1, 3600));
  s.ws.idle_timeout = std::chrono::seconds(intIn(c, "ws.idle_timeout", 2, 7200));
  s.ws.access_check_interval = std::chrono::seconds(intIn(c, "ws.access_check_interval", 1, 600));
  s.ws.message_timeout = std::chrono::seconds(intIn(c, "ws.message_timeout", 1, 3600));
  s.ws.deflate_min_bytes = static_cast<std::size_t>(intIn(c, "ws.deflate_min_bytes", 0, 64 << 20));
  s.ws.typing_timeout = std::chrono::milliseconds(intIn(c, "ws.typing_timeout_ms", 100, 600000));
  s.ws.typing_throttle = std::chrono::milliseconds(intIn(c, "ws.typing_throttle_ms", 0, 600000));
  s.ws.resume_max_messages = intIn(c, "ws.resume_max_messages", 1, 1000000);
  return s;
}

}  // namespace fieldlink

#include "app/runtime.hpp"

#include "bus/names.hpp"
#include "store/mysql/mysql_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "web/web_assets.hpp"

namespace fieldlink {
namespace {

std::unique_ptr<Store> openStore(const Settings& settings, metrics::ServerMetrics& metrics) {
  if (settings.mysql)
    return std::make_unique<mysql::MysqlStore>(mysql::MysqlStore::Options{
        *settings.mysql, settings.store_batch_max, settings.mysql_idle_connections,
        &metrics.store_write_seconds, &metrics.store_read_seconds});
  return std::make_unique<sqlite::SqliteStore>(
      sqlite::SqliteStore::Options{settings.database_path, settings.store_batch_max,
                                   &metrics.store_write_seconds, &metrics.store_read_seconds});
}

}  // namespace

Runtime::Runtime(const Settings& settings, const Poco::Util::AbstractConfiguration& config)
    : settings_(settings),
      store_(openStore(settings, metrics_)),
      store_reader_(std::make_unique<PluginStoreReader>(*store_)),
      plugins_(std::make_unique<PluginHost>(config, *store_reader_, bus_, &metrics_.plugin_errors)),
      hasher_(settings.pbkdf2_iterations),
      tokens_(TokenService::Options{settings.jwt_secret, settings.access_lifetime,
                                    settings.refresh_lifetime}),
      accounts_(
          std::make_unique<Accounts>(*store_, hasher_, tokens_, settings.refresh_reuse_grace)),
      attachments_(std::make_unique<AttachmentService>(
          *store_, *plugins_,
          AttachmentSettings{
              settings.attachments_dir, settings.attachments_max_bytes,
              settings.attachments_unreferenced_ttl, settings.attachments_purge_interval,
              settings.attachments_concurrent_decodes, &metrics_.media_decodes,
              settings.attachments_budget, settings.attachments_user_quota_bytes,
              settings.attachments_uploads_per_hour, settings.attachments_min_free_bytes})),
      chat_(std::make_unique<Chat>(*store_, *plugins_, bus_, *attachments_)),
      requests_(std::make_unique<ServiceRequests>(*store_, *chat_)),
      tracker_(std::make_unique<Tracker>(*requests_, bus_, settings.tracking)),
      tracking_links_(
          std::make_unique<TrackingLinks>(*store_, *requests_, *tracker_, settings.tracking_links)),
      notifications_(
          std::make_unique<Notifications>(*store_, bus_, *plugins_, tracking_links_.get())),
      abuse_(settings.abuse),
      services_(std::make_unique<Services>(
          Services{*store_, *accounts_, *requests_, *chat_, *plugins_, *attachments_, *tracker_,
                   *notifications_, metrics_, settings.monitoring, abuse_, settings.trusted_proxies,
                   settings.cors, settings.max_body_bytes, settings.gzip_min_bytes,
                   strictTransportSecurity(settings.tls)})) {
  web_ = std::make_unique<WebAssets>(settings.web_dir);
  plugins_->setMessagePoster(chat_.get());
  services_->web = web_.get();
  services_->map_tiles = &settings_.map_tiles;
  services_->position_stale_after = settings_.position_stale_after;
  services_->ice_servers = &settings_.ice_servers;
  services_->tracking_links = tracking_links_.get();
  counting_subscription_ = bus_.subscribe([this](const sdk::Event& event, const Routing& r) {
    if (event.type == nameOf(EventKind::MessageCreated) && !r.remote)
      metrics_.messages_received.add();
  });
}

Runtime::~Runtime() {
  bus_.unsubscribe(counting_subscription_);
  plugins_->setMessagePoster(nullptr);  // waits for posts in flight; later ones fail
  services_.reset();
  notifications_->setPresence(nullptr);  // the hub goes first
  metrics_.websocket_connections = nullptr;
  bridge_.reset();  // nothing more from the other nodes
  access_watch_.reset();
  if (tracking_links_) tracking_links_->setRevocationListener(nullptr);
  public_tracking_.reset();
  hub_.reset();  // closes the connections before the services they use go
  presence_.reset();
  // Writes still queued complete (and call back into chat) before anything else goes.
  store_->write([](StoreSession&) {});
  notifications_.reset();
  tracking_links_.reset();
  tracker_.reset();
  requests_.reset();
  chat_.reset();
  attachments_.reset();
  accounts_.reset();
  plugins_.reset();  // plugins may hold the store reader: unload them before the store goes
  store_reader_.reset();
  store_.reset();
}

void Runtime::startHub() {
  hub_ = std::make_unique<ws::Hub>(*chat_, *tracker_, *plugins_, bus_, settings_.ws,
                                   metrics_.messages_delivered);
  if (settings_.redis) {
    presence_ = std::make_unique<RedisPresence>(*settings_.redis, settings_.presence_ttl);
    Chat* chat = chat_.get();
    // Read before the bridge listens: every message after it reaches this node's bus.
    const MessageId start_after = store_->read([](StoreSession& s) { return s.lastMessageId(); });
    hub_->joinCluster(
        *presence_,
        std::make_unique<ws::MessageSequencer>(
            [chat](std::int64_t c, std::int64_t after, std::int64_t upto) {
              return chat->messageViews(ConversationId(c), MessageId(after), MessageId(upto));
            },
            start_after.value),
        [store = store_.get()](std::int64_t conversation) {
          std::vector<std::int64_t> ids;
          for (const UserId id : store->read(
                   [&](StoreSession& s) { return s.participantIds(ConversationId(conversation)); }))
            ids.push_back(id.value);
          return ids;
        });
    bridge_ = std::make_unique<RedisBridge>(bus_, *settings_.redis, &metrics_.bus_events_rejected);
  }
  services_->hub = hub_.get();
  public_tracking_ = std::make_unique<ws::PublicTrackingFeed>(
      *tracking_links_, bus_, settings_.ws,
      ws::PublicTrackingFeed::Limits{static_cast<std::size_t>(settings_.public_watchers_per_link)});
  services_->public_tracking = public_tracking_.get();
  tracking_links_->setRevocationListener(
      [feed = public_tracking_.get()](RequestId request) { feed->linksRevoked(request); });
  access_watch_ =
      std::make_unique<ws::AccessWatch>(*store_, *hub_, settings_.ws.access_check_interval);
  ws::Hub* hub = hub_.get();
  metrics_.websocket_connections = [hub, feed = public_tracking_.get()] {
    return hub->connectionCount() + feed->watcherCount();
  };
  notifications_->setPresence([hub](std::int64_t user) { return hub->online(user); });
}

void Runtime::startHousekeeping() { attachments_->startPurging(); }

void Runtime::loadPlugins() { plugins_->loadAll(settings_.plugins_dir, settings_.plugins_enabled); }

}  // namespace fieldlink

#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "bus/event_bus.hpp"
#include "tracking/tracking_links.hpp"
#include "util/work_queue.hpp"
#include "ws/connection.hpp"

namespace fieldlink::ws {

// Live tracking for whoever holds a tracking link: /ws/public/tracking/{token}/, no account,
// read-only. A watcher gets the link's public view (TrackingLinks::open, the object the
// public GET answers, as is) on connecting, and again whenever the request's tracking, status or
// technician changes. Once the link expires, is revoked or the request ends, its watchers are
// closed with 4404, the code a link that never worked gets too. A view is made once per link and
// change (off the bus's thread: it reads the store), not once per watcher.
class PublicTrackingFeed final : public ConnectionHandler {
 public:
  struct Limits {
    std::size_t watchers_per_link = 20;  // tracking.public_watchers_per_link (4429 beyond)
    // How often a watched link is read again with nothing happening: a revocation on
    // another node, seen within this.
    std::chrono::seconds recheck_every{30};
  };
  PublicTrackingFeed(TrackingLinks& links, EventBus& bus, const WsSettings& settings,
                     Limits limits);
  ~PublicTrackingFeed() override;
  PublicTrackingFeed(const PublicTrackingFeed&) = delete;
  PublicTrackingFeed& operator=(const PublicTrackingFeed&) = delete;

  // A watcher of `token` with its first frame queued; or a connection that answers with a
  // close: 4404 for a link that does not open, 4429 when it has too many watchers.
  std::shared_ptr<Connection> admit(const std::string& token);
  // The request's links were revoked here: their watchers hear it now.
  void linksRevoked(RequestId request);
  std::size_t watcherCount() const;

  // A client frame on a read-only feed closes it (1008).
  void onText(const std::shared_ptr<Connection>& connection, std::string text) override;
  // Closes a watcher whose link expired; reads a quiet link again now and then.
  void onTick(const std::shared_ptr<Connection>& connection, SteadyClock::time_point now) override;
  void onClosed(const std::shared_ptr<Connection>& connection) override;

 private:
  struct Link {  // one token and who watches it
    std::string token;
    std::int64_t request_id = 0;
    TimePoint expires_at;
    SteadyClock::time_point checked_at;
    std::vector<std::shared_ptr<Connection>> watchers;
  };
  void onEvent(const sdk::Event& event, const Routing& routing);
  // Off the bus's thread: each watched link of the request read again, its view sent to its
  // watchers, or they are closed when it no longer opens.
  void refreshSoon(std::int64_t request_id);
  void refresh(std::int64_t request_id);
  std::shared_ptr<Connection> closed(std::uint16_t code, const std::string& reason);

  TrackingLinks& links_;
  EventBus& bus_;
  const WsSettings& settings_;
  const Limits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Link> links_by_token_;
  std::unordered_map<std::uint64_t, std::string> token_of_;    // by connection id
  std::unordered_map<std::int64_t, std::int64_t> request_of_;  // by conversation id
  // request_of_'s size, read without the lock by every bus event.
  std::atomic<std::size_t> watched_conversations_{0};
  // Apart from the hub's connection ids, so that logs never confuse the two.
  std::atomic<std::uint64_t> next_id_{std::uint64_t{1} << 62};
  WorkQueue work_{1, "fl-public-feed"};
  std::size_t subscription_ = 0;
};

}  // namespace fieldlink::ws

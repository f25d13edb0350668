#include "ws/public_tracking_feed.hpp"

#include <algorithm>
#include <iterator>

#include "bus/names.hpp"
#include "domain/errors.hpp"
#include "ws/frame_text.hpp"

namespace fieldlink::ws {
namespace {

constexpr const char* kLinkGone = "tracking link expired";

// The same object GET /api/public/tracking/{token}/ answers, and nothing else.
std::string trackingFrame(const Poco::JSON::Object::Ptr& view) { return frameText(*view); }

}  // namespace

PublicTrackingFeed::PublicTrackingFeed(TrackingLinks& links, EventBus& bus,
                                       const WsSettings& settings, Limits limits)
    : links_(links), bus_(bus), settings_(settings), limits_(limits) {
  subscription_ = bus_.subscribe([this](const sdk::Event& e, const Routing& r) { onEvent(e, r); });
}

PublicTrackingFeed::~PublicTrackingFeed() { bus_.unsubscribe(subscription_); }

std::shared_ptr<Connection> PublicTrackingFeed::closed(std::uint16_t code,
                                                       const std::string& reason) {
  auto connection = std::make_shared<Connection>(next_id_++, Identity{}, settings_, this);
  connection->close(code, reason);  // queued before it is served: written right after the 101
  return connection;
}

std::shared_ptr<Connection> PublicTrackingFeed::admit(const std::string& token) {
  TrackingLinks::Opened opened;
  try {
    opened = links_.openLink(token);
  } catch (const NotFound&) {
    return closed(close_code::kNotFound, kLinkGone);
  }
  auto connection = std::make_shared<Connection>(next_id_++, Identity{}, settings_, this);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Link& link = links_by_token_[token];
    // One that is closing leaves its place at once, not when its socket is gone.
    const auto watching = std::count_if(link.watchers.begin(), link.watchers.end(),
                                        [](const auto& w) { return !w->closing(); });
    if (static_cast<std::size_t>(watching) >= limits_.watchers_per_link)
      return closed(close_code::kTooManyConnections, "too many watchers of this link");
    link.token = token;
    link.request_id = opened.request_id.value;
    link.expires_at = opened.expires_at;
    link.checked_at = SteadyClock::now();
    link.watchers.push_back(connection);
    token_of_[connection->id()] = token;
    if (opened.conversation_id) {
      request_of_[opened.conversation_id->value] = opened.request_id.value;
      watched_conversations_ = request_of_.size();
    }
  }
  connection->sendText(trackingFrame(opened.view));
  return connection;
}

void PublicTrackingFeed::linksRevoked(RequestId request) { refreshSoon(request.value); }

std::size_t PublicTrackingFeed::watcherCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return token_of_.size();
}

void PublicTrackingFeed::onText(const std::shared_ptr<Connection>& connection, std::string) {
  connection->close(close_code::kPolicyViolation, "this feed is read-only");
}

void PublicTrackingFeed::onTick(const std::shared_ptr<Connection>& connection,
                                SteadyClock::time_point now) {
  std::int64_t recheck = 0;
  bool expired = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto token = token_of_.find(connection->id());
    if (token == token_of_.end()) return;
    Link& link = links_by_token_.at(token->second);
    expired = link.expires_at <= nowMs();
    if (!expired && now - link.checked_at >= limits_.recheck_every) {
      link.checked_at = now;
      recheck = link.request_id;
    }
  }
  if (expired) connection->close(close_code::kNotFound, kLinkGone);
  if (recheck) refreshSoon(recheck);
}

void PublicTrackingFeed::onClosed(const std::shared_ptr<Connection>& connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto token = token_of_.find(connection->id());
  if (token == token_of_.end()) return;  // a refusal, never registered
  const auto link = links_by_token_.find(token->second);
  auto& watchers = link->second.watchers;
  watchers.erase(std::remove(watchers.begin(), watchers.end(), connection), watchers.end());
  token_of_.erase(token);
  if (!watchers.empty()) return;
  const std::int64_t request = link->second.request_id;
  links_by_token_.erase(link);
  // The request's conversation stays known while another link of it is watched.
  for (const auto& [other, watched] : links_by_token_)
    if (watched.request_id == request) return;
  for (auto it = request_of_.begin(); it != request_of_.end();)
    it = it->second == request ? request_of_.erase(it) : std::next(it);
  watched_conversations_ = request_of_.size();
}

void PublicTrackingFeed::onEvent(const sdk::Event& event, const Routing&) {
  // On the bus's thread, for every message: nothing more than a load while no link is
  // watched, and no lock for events of a kind that never changes a view.
  if (watched_conversations_.load(std::memory_order_relaxed) == 0) return;
  const bool tracking = event.type == nameOf(EventKind::Tracking);
  if (!tracking && event.type != nameOf(EventKind::MessageCreated)) return;
  std::int64_t request = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = request_of_.find(event.conversation_id);
    if (it == request_of_.end()) return;
    request = it->second;
  }
  // New positions, and system messages: a status change, another technician.
  if (!tracking &&
      (!event.data || event.data->optValue<std::string>("message_type", "") != "system"))
    return;
  refreshSoon(request);
}

void PublicTrackingFeed::refreshSoon(std::int64_t request_id) {
  // A view reads the store: not on the bus's thread (the store's own completion thread, or a
  // request's, or the tracker's while it holds its lock to tell a milestone). Keyed by
  // request, so its views go out in the order their changes came.
  work_.post(static_cast<WorkQueue::Key>(request_id), [this, request_id] { refresh(request_id); });
}

void PublicTrackingFeed::refresh(std::int64_t request_id) {
  std::vector<std::string> tokens;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [token, link] : links_by_token_)
      if (link.request_id == request_id) tokens.push_back(token);
  }
  for (const auto& token : tokens) {
    std::string frame;
    try {
      const TrackingLinks::Opened opened = links_.openLink(token);
      frame = trackingFrame(opened.view);
      // A link made before the assignment learns its conversation here (at the latest when
      // it is read again after recheck_every), and from then on hears its events.
      if (opened.conversation_id) {
        std::lock_guard<std::mutex> lock(mutex_);
        // Unless its last watcher left meanwhile: nothing is kept for a link nobody watches.
        if (links_by_token_.count(token)) {
          request_of_[opened.conversation_id->value] = request_id;
          watched_conversations_ = request_of_.size();
        }
      }
    } catch (const NotFound&) {
      // Left to onClosed to forget: closing tells it.
    } catch (const std::exception&) {
      continue;  // the store is away: watchers keep the last view until the next change
    }
    std::vector<std::shared_ptr<Connection>> watchers;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const auto link = links_by_token_.find(token);
      if (link == links_by_token_.end()) continue;
      watchers = link->second.watchers;
    }
    for (const auto& watcher : watchers)
      if (frame.empty())
        watcher->close(close_code::kNotFound, kLinkGone);
      else
        watcher->sendText(frame);
  }
}

}  // namespace fieldlink::ws

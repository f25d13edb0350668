#pragma once

#include <functional>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "bus/event_bus.hpp"
#include "domain/model.hpp"
#include "plugins/plugin_host.hpp"
#include "store/store.hpp"
#include "tracking/tracking_links.hpp"

namespace fieldlink {

// Turns what happens into notifications for the people concerned, stores them, and
// publishes each as a `notification` event to its user. Told of new requests; listens on
// the bus for:
// system messages (assignment, status changes), messages to participants with no open
// connection, and the tracker's `tracking.arriving_soon` and `tracking.arrived`. When the
// technician sets off, the client's notice carries a tracking link made for them (if
// `links` issues one then), so that a notifier plugin can pass it on by SMS or e-mail.
class Notifications {
 public:
  Notifications(Store& store, EventBus& bus, const PluginHost& plugins,
                TrackingLinks* links = nullptr);
  ~Notifications();  // unsubscribes, then waits for the notifications being stored
  Notifications(const Notifications&) = delete;
  Notifications& operator=(const Notifications&) = delete;

  // Who has an open connection (the hub knows); until set, nobody does.
  void setPresence(std::function<bool(std::int64_t user)> online);

  // A client opened a request: every dispatcher is told (`new_request`), live on their
  // console and through notifier plugins.
  void requestOpened(const ServiceRequest& request) noexcept;

  std::vector<Notification> list(const User& caller, bool unread_only);
  // NotFound unless it is the caller's.
  void markRead(const User& caller, std::int64_t id);

 private:
  struct Draft {
    std::int64_t user;
    std::string kind, title, body;
    Poco::JSON::Object::Ptr data;
    bool tracking_link = false;  // add one if the user is the request's client
  };
  void onEvent(const sdk::Event& event, const Routing& routing);
  void fromMessage(const sdk::Event& event, const Routing& routing);
  void fromTracking(const sdk::Event& event, const Routing& routing);
  // Stores them without blocking the caller (a bus handler), then publishes each.
  // `conversation` 0: about a request that has none yet (`request`).
  void deliver(std::vector<Draft> drafts, std::int64_t conversation,
               std::optional<RequestId> request = std::nullopt);
  // In the notice's transaction: a tracking link for the request's client, in the draft's data.
  void addTrackingLink(StoreSession& s, const Conversation& conversation, const Draft& draft);

  Store& store_;
  EventBus& bus_;
  const PluginHost& plugins_;
  TrackingLinks* links_;
  // The dispatchers taking part in a conversation: they follow jobs on their dashboard and
  // are not told of every message. Learned once per conversation (dispatchers stay).
  bool isDispatcherIn(std::int64_t conversation, std::int64_t user);

  std::mutex presence_mutex_;  // events arrive on other threads while the hub comes and goes
  std::function<bool(std::int64_t)> online_;
  std::mutex dispatchers_mutex_;
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> dispatchers_;
  std::size_t subscription_ = 0;
};

}  // namespace fieldlink

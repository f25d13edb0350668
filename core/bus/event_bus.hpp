#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include <fieldlink/sdk/host_context.hpp>

namespace fieldlink {

// Who an event is for. Core events about a conversation carry its participants as they were
// in the transaction that made the event, so delivery never needs a lookup.
struct Routing {
  std::vector<std::int64_t> audience;   // user ids; empty: nobody in particular
  std::uint64_t origin_connection = 0;  // the WebSocket connection that caused it (0: none)
  std::uint64_t only_connection = 0;    // non-zero: for this connection alone (plugin frames)
  // Arrived from another node through the cluster bus (Redis): delivered to this node's
  // connections and plugins, but side effects (notifications) were done where it began.
  bool remote = false;
  // message.created made on this node: the message's view (the event's data) as JSON text,
  // rendered once, so every receiver's frame is written from it instead of from the object.
  std::shared_ptr<const std::string> message_json = nullptr;
};

// In-process publish/subscribe for events of the core and of plugins. Handlers run on the
// publishing thread, in subscription order, and must not block. Core events about messages
// are published on the store's completion thread right after their commit, so they arrive in
// commit (= id) order. With several nodes, RedisBridge (bus/redis_bridge.hpp) carries this
// node's events to the others and publishes theirs here, marked `remote`.
class EventBus {
 public:
  using Handler = std::function<void(const sdk::Event&, const Routing&)>;

  // Returns a handle for unsubscribe(): a subscriber that goes away before the bus must
  // unsubscribe first.
  std::size_t subscribe(Handler handler) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    handlers_.emplace_back(++last_id_, std::move(handler));
    return last_id_;
  }

  void unsubscribe(std::size_t id) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    handlers_.erase(std::remove_if(handlers_.begin(), handlers_.end(),
                                   [id](const auto& h) { return h.first == id; }),
                    handlers_.end());
  }

  void publish(const sdk::Event& event, const Routing& routing = {}) const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    for (const auto& [id, handler] : handlers_) handler(event, routing);
  }

 private:
  mutable std::shared_mutex mutex_;
  std::vector<std::pair<std::size_t, Handler>> handlers_;
  std::size_t last_id_ = 0;
};

}  // namespace fieldlink

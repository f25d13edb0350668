#pragma once

#include <functional>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include <fieldlink/sdk/host_context.hpp>

namespace fieldlink {

// In-process publish/subscribe for events of the core and of plugins. Handlers run on the
// publishing thread, in subscription order, and must not block. A Redis-backed bus for
// several nodes implements the same surface.
class EventBus {
 public:
  using Handler = std::function<void(const sdk::Event&)>;

  void subscribe(Handler handler) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    handlers_.push_back(std::move(handler));
  }

  void publish(const sdk::Event& event) const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    for (const auto& handler : handlers_) handler(event);
  }

 private:
  mutable std::shared_mutex mutex_;
  std::vector<Handler> handlers_;
};

}  // namespace fieldlink

#pragma once

#include <chrono>
#include <memory>

#include <Poco/Util/Timer.h>

#include "store/store.hpp"
#include "util/clock.hpp"
#include "ws/hub.hpp"

namespace fieldlink::ws {

// Closes the connections of users whose access changed (disabled, or a new password): the
// change is made in the store by another process (fieldlinkd --disable-user) or another node,
// so the store is asked every `interval` for users changed lately. Tokens stop working at
// once (every request reads the user); this ends what was opened with them.
class AccessWatch {
 public:
  AccessWatch(Store& store, Hub& hub, std::chrono::seconds interval);
  ~AccessWatch();
  AccessWatch(const AccessWatch&) = delete;
  AccessWatch& operator=(const AccessWatch&) = delete;

  // One look at the store, as the timer makes it. Returns how many connections it closed.
  std::size_t check(TimePoint now);

 private:
  void tick(Poco::Util::TimerTask&);

  Store& store_;
  Hub& hub_;
  TimePoint looked_at_;  // the last look (the timer's thread only)
  std::unique_ptr<Poco::Util::Timer> timer_;
};

}  // namespace fieldlink::ws

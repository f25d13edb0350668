#include "ws/access_watch.hpp"

#include <Poco/Logger.h>
#include <Poco/Util/TimerTaskAdapter.h>

namespace fieldlink::ws {
namespace {

// Changes are stamped with the clock of whoever made them (another node, the admin command):
// each look goes back this far before the last one, so that a clock a little behind ours
// does not hide a change. Looking at a user twice closes nothing twice.
constexpr std::chrono::seconds kClockAllowance{30};

Poco::Logger& log() { return Poco::Logger::get("fieldlink.ws"); }

}  // namespace

AccessWatch::AccessWatch(Store& store, Hub& hub, std::chrono::seconds interval)
    : store_(store), hub_(hub), looked_at_(nowMs()) {
  timer_ = std::make_unique<Poco::Util::Timer>();
  const long interval_ms = static_cast<long>(interval.count()) * 1000;
  timer_->scheduleAtFixedRate(
      new Poco::Util::TimerTaskAdapter<AccessWatch>(*this, &AccessWatch::tick), interval_ms,
      interval_ms);
}

AccessWatch::~AccessWatch() {
  timer_->cancel(true);  // waits for a look in progress
}

std::size_t AccessWatch::check(TimePoint now) {
  const TimePoint since = looked_at_ - kClockAllowance;
  const auto changed =
      store_.read([&](StoreSession& s) { return s.usersAccessChangedSince(since); });
  looked_at_ = now;
  std::size_t closed = 0;
  for (const auto& user : changed) {
    const std::size_t ended = hub_.endSessionsOf(user);
    if (ended > 0)
      log().notice("closed %z connections of '%s' (%s)", ended, user.username,
                   std::string(user.disabled ? "account disabled" : "sessions ended"));
    closed += ended;
  }
  return closed;
}

void AccessWatch::tick(Poco::Util::TimerTask&) {
  try {
    check(nowMs());
  } catch (const std::exception& e) {
    log().error("looking for users whose access changed failed: %s", std::string(e.what()));
  }
}

}  // namespace fieldlink::ws

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "fieldlink/sdk/host_context.hpp"

namespace fieldlink::sdk {

// What a statistics query is about. The host has already checked that the caller may see
// every conversation named here.
struct StatsScope {
  enum class Kind {
    Conversation,  // one conversation: conversation_ids has exactly one id
    Dashboard,     // the figures of all of conversation_ids together
  };
  Kind kind = Kind::Conversation;
  std::vector<std::int64_t> conversation_ids;
  std::int64_t caller_id = 0;  // whose view: unread counts depend on it
};

// A statistics module. on_event() is called on the thread that published the event, one
// event at a time, in publication order; query() runs concurrently with it on HTTP threads.
// Rebuild the figures from HostContext::store() in start(): no events are delivered before
// start() returns.
class StatsPlugin {
 public:
  virtual ~StatsPlugin() = default;
  // The keys this module adds to stats answers (e.g. "total_messages").
  virtual std::vector<std::string> keys() const = 0;
  virtual void on_event(const Event& event) = 0;
  // Sets this module's keys on `out` for the scope. Must not block on the store.
  virtual void query(const StatsScope& scope, Poco::JSON::Object& out) const = 0;
};

}  // namespace fieldlink::sdk

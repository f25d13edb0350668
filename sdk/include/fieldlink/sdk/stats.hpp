#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "fieldlink/sdk/host_context.hpp"

namespace fieldlink::sdk {

// What a statistics query is about.
struct StatsScope {
  enum class Kind { Conversation, User, Dashboard };
  Kind kind = Kind::Conversation;
  std::optional<std::int64_t> conversation_id;
  std::int64_t caller_id = 0;  // whose view: unread counts depend on it
};

// A statistics module. on_event() is called from the host's event thread, one event at a
// time; query() may run concurrently with it on request threads.
class StatsPlugin {
 public:
  virtual ~StatsPlugin() = default;
  // The keys this module adds to stats answers (e.g. "total_messages").
  virtual std::vector<std::string> keys() const = 0;
  virtual void on_event(const Event& event) = 0;
  // Sets this module's keys on `out` for the scope.
  virtual void query(const StatsScope& scope, Poco::JSON::Object& out) const = 0;
};

}  // namespace fieldlink::sdk

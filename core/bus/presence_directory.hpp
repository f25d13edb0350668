#pragma once

#include <cstdint>

namespace fieldlink {

// Who is online on the other nodes. The hub tells it when a user's first connection on this
// node opens and the last one closes; it answers whether a user has a connection elsewhere.
class PresenceDirectory {
 public:
  virtual ~PresenceDirectory() = default;
  virtual void arrived(std::int64_t user) = 0;
  virtual void left(std::int64_t user) = 0;
  virtual bool onlineElsewhere(std::int64_t user) = 0;
};

}  // namespace fieldlink

#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include <Poco/Redis/Client.h>

#include "bus/presence_directory.hpp"
#include "bus/redis_bridge.hpp"

namespace fieldlink {

// Presence shared by the nodes in Redis: a sorted set per user of the nodes where the user
// is connected, each scored with when its claim expires. Every node renews its claims a few
// times per `ttl`, so the users of a node that crashed go offline by themselves within
// `ttl`. When Redis is away, only this node's own connections count (logged once).
class RedisPresence final : public PresenceDirectory {
 public:
  RedisPresence(RedisEndpoint endpoint, std::chrono::seconds ttl);
  ~RedisPresence() override;

  void arrived(std::int64_t user) override;
  void left(std::int64_t user) override;
  bool onlineElsewhere(std::int64_t user) override;

 private:
  std::string keyOf(std::int64_t user) const;
  // Runs `commands` on the connection, connecting first; null when Redis cannot be reached.
  Poco::Redis::Array run(const std::vector<Poco::Redis::Array>& commands, bool& ok);
  void renewLoop();

  const RedisEndpoint endpoint_;
  const std::chrono::seconds ttl_;
  std::mutex mutex_;  // the connection and the set below
  Poco::Redis::Client client_;
  std::set<std::int64_t> here_;
  // Recent answers of onlineElsewhere(), asked for every offline participant of every
  // message: a second's staleness costs at most a needless notification.
  struct Answer {
    bool online;
    std::chrono::steady_clock::time_point at;
  };
  std::unordered_map<std::int64_t, Answer> answers_;
  bool warned_ = false;
  std::chrono::steady_clock::time_point retry_at_;  // no attempt before, after a failure
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread renewer_;
};

}  // namespace fieldlink

#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include <Poco/Net/SocketAddress.h>

#include "bus/event_bus.hpp"
#include "metrics/instruments.hpp"

namespace fieldlink {

struct RedisEndpoint {
  std::string host;
  int port = 6379;
  std::string user;                   // AUTH user password (Redis 6 ACLs); empty: AUTH password
  std::string password;               // empty: no AUTH
  int database = 0;                   // SELECTed for keys; pub/sub ignores it
  std::string channel = "fieldlink";  // nodes of one deployment share it
  std::string node_id;                // unique per node
  std::string secret;                 // signs every event; the nodes share it
};

// Joins this node's event bus to the other nodes' through Redis pub/sub. What happens here
// (messages, receipts, typing, presence, tracking, notifications, plugin frames) is
// published on the channel by a thread of its own, in the order it happened; what other
// nodes publish is put on this node's bus, marked remote, by a second thread. Without Redis
// each node keeps serving its own connections: the bridge logs, drops what it could not
// send (clients catch up with `resume`), and reconnects with backoff.
class RedisBridge {
 public:
  // `rejected` (optional) counts events dropped for a missing or wrong signature.
  RedisBridge(EventBus& bus, RedisEndpoint endpoint, metrics::Counter* rejected = nullptr);
  ~RedisBridge();  // stops both threads
  RedisBridge(const RedisBridge&) = delete;
  RedisBridge& operator=(const RedisBridge&) = delete;

  // Which events other nodes need: those that reach connections or stats.
  static bool crossesNodes(const sdk::Event& event, const Routing& routing);

 private:
  void publishLoop();
  void subscribeLoop();
  void receive(const std::string& payload);
  void pause(int& backoff_ms);

  EventBus& bus_;
  const RedisEndpoint endpoint_;
  metrics::Counter* rejected_;
  const Poco::Net::SocketAddress address_;
  std::size_t subscription_ = 0;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> outbox_;
  bool stopping_ = false;
  // Whether each direction works now: a change is logged once, not every retry.
  std::atomic<bool> publishing_{false};
  std::atomic<bool> subscribed_{false};

  std::thread publisher_;
  std::thread subscriber_;
};

}  // namespace fieldlink

#include "bus/redis_presence.hpp"

#include <pthread.h>

#include <Poco/Logger.h>

#include "bus/redis_session.hpp"
#include "util/clock.hpp"

namespace fieldlink {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("fieldlink.bus"); }

}  // namespace

RedisPresence::RedisPresence(RedisEndpoint endpoint, std::chrono::seconds ttl)
    : endpoint_(std::move(endpoint)), ttl_(ttl), renewer_([this] { renewLoop(); }) {}

RedisPresence::~RedisPresence() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  renewer_.join();
  // Our users are offline here from now on; do not leave them to expire.
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Poco::Redis::Array> removals;
  for (const auto user : here_) {
    Poco::Redis::Array remove;
    remove << "ZREM" << keyOf(user) << endpoint_.node_id;
    removals.push_back(std::move(remove));
  }
  bool ok = false;
  if (!removals.empty()) run(removals, ok);
}

std::string RedisPresence::keyOf(std::int64_t user) const {
  return endpoint_.channel + ":presence:" + std::to_string(user);
}

Poco::Redis::Array RedisPresence::run(const std::vector<Poco::Redis::Array>& commands, bool& ok) {
  ok = false;
  // Asked on the store's completion thread among others: while Redis is away, answer at once
  // instead of waiting for a connect to time out on every call.
  if (std::chrono::steady_clock::now() < retry_at_) return Poco::Redis::Array();
  try {
    if (!client_.isConnected()) redis_session::open(client_, endpoint_, true);
    client_.setReceiveTimeout(Poco::Timespan(2, 0));
    Poco::Redis::Array replies = client_.sendCommands(commands);
    redis_session::throwOnError(replies);
    ok = true;
    warned_ = false;
    retry_at_ = {};
    return replies;
  } catch (const std::exception& e) {
    if (!warned_)
      logger().warning("presence in Redis unavailable (%s): this node's users only",
                       redis_session::describe(e));
    warned_ = true;
    retry_at_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    try {
      client_.disconnect();
    } catch (const std::exception&) {
    }
    return Poco::Redis::Array();
  }
}

void RedisPresence::arrived(std::int64_t user) {
  const auto expires = toEpochMs(nowMs()) + std::chrono::milliseconds(ttl_).count();
  Poco::Redis::Array add;
  add << "ZADD" << keyOf(user) << std::to_string(expires) << endpoint_.node_id;
  Poco::Redis::Array expire;
  expire << "PEXPIRE" << keyOf(user) << std::to_string(std::chrono::milliseconds(ttl_).count());
  std::lock_guard<std::mutex> lock(mutex_);
  here_.insert(user);
  bool ok = false;
  run({add, expire}, ok);
}

void RedisPresence::left(std::int64_t user) {
  Poco::Redis::Array remove;
  remove << "ZREM" << keyOf(user) << endpoint_.node_id;
  std::lock_guard<std::mutex> lock(mutex_);
  here_.erase(user);
  bool ok = false;
  run({remove}, ok);
}

bool RedisPresence::onlineElsewhere(std::int64_t user) {
  Poco::Redis::Array members;
  members << "ZRANGEBYSCORE" << keyOf(user) << std::to_string(toEpochMs(nowMs())) << "+inf";
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  const auto cached = answers_.find(user);
  if (cached != answers_.end() && now - cached->second.at < std::chrono::seconds(1))
    return cached->second.online;
  bool ok = false;
  const Poco::Redis::Array replies = run({members}, ok);
  bool online = false;
  if (ok && replies.size() == 1) {
    try {
      const auto nodes = replies.get<Poco::Redis::Array>(0);
      for (std::size_t i = 0; i < nodes.size() && !online; ++i) {
        const auto node = nodes.get<Poco::Redis::BulkString>(i);
        online = !node.isNull() && node.value() != endpoint_.node_id;
      }
    } catch (const std::exception&) {
    }
  }
  if (answers_.size() > 100000) answers_.clear();  // bounded: a cache, not a record
  answers_[user] = Answer{online, now};
  return online;
}

void RedisPresence::renewLoop() {
  pthread_setname_np(pthread_self(), "fl-presence");
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, ttl_ / 3, [this] { return stopping_; });
    if (stopping_) return;
    if (here_.empty()) continue;
    const auto expires = toEpochMs(nowMs()) + std::chrono::milliseconds(ttl_).count();
    std::vector<Poco::Redis::Array> renewals;
    for (const auto user : here_) {
      Poco::Redis::Array add;
      add << "ZADD" << keyOf(user) << std::to_string(expires) << endpoint_.node_id;
      Poco::Redis::Array expire;
      expire << "PEXPIRE" << keyOf(user) << std::to_string(std::chrono::milliseconds(ttl_).count());
      renewals.push_back(std::move(add));
      renewals.push_back(std::move(expire));
    }
    bool ok = false;
    run(renewals, ok);
  }
}

}  // namespace fieldlink

#include "bus/redis_bridge.hpp"

#include <pthread.h>

#include <Poco/Logger.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/RedisStream.h>
#include <Poco/Redis/Type.h>

#include "bus/names.hpp"
#include "bus/redis_session.hpp"
#include "bus/wire_event.hpp"

namespace fieldlink {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("fieldlink.bus"); }

constexpr std::size_t kOutboxLimit = 100000;  // beyond: Redis is away, drop the oldest
constexpr int kMaxBackoffMs = 5000;

}  // namespace

RedisBridge::RedisBridge(EventBus& bus, RedisEndpoint endpoint, metrics::Counter* rejected)
    : bus_(bus),
      endpoint_(std::move(endpoint)),
      rejected_(rejected),
      address_(endpoint_.host, static_cast<Poco::UInt16>(endpoint_.port)) {
  subscription_ = bus_.subscribe([this](const sdk::Event& event, const Routing& routing) {
    if (!crossesNodes(event, routing)) return;
    std::string wire = encodeWireEvent(endpoint_.node_id, event, routing, endpoint_.secret);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (outbox_.size() >= kOutboxLimit) outbox_.pop_front();
      outbox_.push_back(std::move(wire));
    }
    wake_.notify_one();
  });
  publisher_ = std::thread([this] { publishLoop(); });
  subscriber_ = std::thread([this] { subscribeLoop(); });
}

RedisBridge::~RedisBridge() {
  bus_.unsubscribe(subscription_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  publisher_.join();
  subscriber_.join();
}

bool RedisBridge::crossesNodes(const sdk::Event& event, const Routing& routing) {
  if (routing.remote) return false;                // it came from there
  if (routing.only_connection != 0) return false;  // an answer to one of our connections
  return eventKindOf(event.type).has_value();      // the core's events; not plugins' own
}

void RedisBridge::pause(int& backoff_ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, std::chrono::milliseconds(backoff_ms), [this] { return stopping_; });
  backoff_ms = std::min(backoff_ms * 2, kMaxBackoffMs);
}

void RedisBridge::publishLoop() {
  pthread_setname_np(pthread_self(), "fl-bus-out");
  int backoff_ms = 100;
  Poco::Redis::Client client;
  for (;;) {
    std::vector<Poco::Redis::Array> commands;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !outbox_.empty(); });
      if (stopping_) return;
      // Pipelined: one round trip carries whatever queued up meanwhile.
      while (!outbox_.empty() && commands.size() < 256) {
        Poco::Redis::Array publish;
        publish << "PUBLISH" << endpoint_.channel << outbox_.front();
        commands.push_back(std::move(publish));
        outbox_.pop_front();
      }
    }
    try {
      if (!client.isConnected()) redis_session::open(client, endpoint_, false);
      redis_session::throwOnError(client.sendCommands(commands));
      if (!publishing_.exchange(true))
        logger().information("publishing to Redis at %s", address_.toString());
      backoff_ms = 100;
    } catch (const std::exception& e) {
      if (publishing_.exchange(false) || backoff_ms == 100)
        logger().warning("cannot publish to Redis at %s (%s): %z events for other nodes dropped",
                         address_.toString(), redis_session::describe(e), commands.size());
      try {
        client.disconnect();
      } catch (const std::exception&) {
      }
      pause(backoff_ms);
    }
  }
}

void RedisBridge::subscribeLoop() {
  pthread_setname_np(pthread_self(), "fl-bus-in");
  int backoff_ms = 100;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
    }
    try {
      // Poco's Redis client reads replies with blocking calls only; a socket of our own lets
      // the loop look at the stop flag between messages. Its streams parse the protocol.
      Poco::Net::StreamSocket socket;
      socket.connect(address_, Poco::Timespan(2, 0));
      Poco::Redis::RedisOutputStream out(socket);
      Poco::Redis::RedisInputStream in(socket);
      redis_session::greet(out, in, endpoint_);
      Poco::Redis::Array subscribe;
      subscribe << "SUBSCRIBE" << endpoint_.channel;
      out << subscribe.toString();
      out.flush();
      for (;;) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (stopping_) return;
        }
        if (in.rdbuf()->in_avail() <= 0 &&
            !socket.poll(Poco::Timespan(0, 200000),
                         Poco::Net::Socket::SELECT_READ | Poco::Net::Socket::SELECT_ERROR))
          continue;
        const int marker = in.get();
        if (marker == std::char_traits<char>::eof()) throw std::runtime_error("connection closed");
        Poco::Redis::RedisType::Ptr reply =
            Poco::Redis::RedisType::createRedisType(static_cast<char>(marker));
        if (!reply) throw std::runtime_error("not the Redis protocol");
        reply->read(in);
        auto* array = dynamic_cast<Poco::Redis::Type<Poco::Redis::Array>*>(reply.get());
        if (array == nullptr || array->value().size() != 3) continue;
        const auto kind = array->value().get<Poco::Redis::BulkString>(0);
        if (kind.isNull()) continue;
        if (kind.value() == "subscribe") {
          subscribed_ = true;
          backoff_ms = 100;
          logger().information("receiving other nodes' events from Redis at %s",
                               address_.toString());
        } else if (kind.value() == "message") {
          const auto payload = array->value().get<Poco::Redis::BulkString>(2);
          if (!payload.isNull()) receive(payload.value());
        }
      }
    } catch (const std::exception& e) {
      if (subscribed_.exchange(false) || backoff_ms == 100)
        logger().warning("not receiving other nodes' events from Redis at %s (%s); retrying",
                         address_.toString(), redis_session::describe(e));
      pause(backoff_ms);
    }
  }
}

void RedisBridge::receive(const std::string& payload) {
  auto wire = decodeWireEvent(payload, endpoint_.secret);
  if (!wire) {
    if (rejected_) rejected_->add();
    logger().warning("dropped an unsigned, badly signed or malformed event on Redis channel %s",
                     endpoint_.channel);
    return;
  }
  if (wire->node == endpoint_.node_id) return;  // our own, back from Redis
  try {
    bus_.publish(wire->event, wire->routing);
  } catch (const std::exception& e) {
    logger().error("delivering %s from node %s: %s", wire->event.type, wire->node,
                   std::string(e.what()));
  }
}

}  // namespace fieldlink

#pragma once

#include <exception>
#include <string>
#include <vector>

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/RedisStream.h>

#include "bus/redis_bridge.hpp"

// What every connection of this node's to Redis says and checks, written once for the
// publisher, the subscriber and presence.
namespace fieldlink::redis_session {

// The commands a connection starts with: AUTH when the deployment's Redis wants a password
// (with the ACL user when one is set), then SELECT of its database when `select_database`
// (keys live there; pub/sub channels are shared by every database).
std::vector<Poco::Redis::Array> greeting(const RedisEndpoint& endpoint, bool select_database);

// Connects `client` and greets; throws Poco::Redis::RedisException with Redis's own words
// when it refuses (WRONGPASS, NOAUTH), Poco::Exception when it cannot be reached.
void open(Poco::Redis::Client& client, const RedisEndpoint& endpoint, bool select_database);

// Greets on a stream of the caller's own (the subscriber's), reading each answer.
void greet(Poco::Redis::RedisOutputStream& out, Poco::Redis::RedisInputStream& in,
           const RedisEndpoint& endpoint);

// Throws Poco::Redis::RedisException with the first error among pipelined answers: a
// command Redis refused is not a command that ran.
void throwOnError(const Poco::Redis::Array& replies);

// What went wrong, for the log: Redis's own words where it gave them ("WRONGPASS ...").
std::string describe(const std::exception& error);

}  // namespace fieldlink::redis_session

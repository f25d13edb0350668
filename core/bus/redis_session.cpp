#include "bus/redis_session.hpp"

#include <Poco/Redis/Error.h>
#include <Poco/Redis/Exception.h>
#include <Poco/Redis/Type.h>

namespace fieldlink::redis_session {
namespace {

using Poco::Redis::RedisType;

void throwIfError(const RedisType& reply) {
  if (reply.type() != Poco::Redis::RedisTypeTraits<Poco::Redis::Error>::TypeId) return;
  const auto& error = dynamic_cast<const Poco::Redis::Type<Poco::Redis::Error>&>(reply);
  throw Poco::Redis::RedisException(error.value().getMessage());
}

}  // namespace

std::vector<Poco::Redis::Array> greeting(const RedisEndpoint& endpoint, bool select_database) {
  std::vector<Poco::Redis::Array> commands;
  if (!endpoint.password.empty()) {
    Poco::Redis::Array auth;
    auth << "AUTH";
    if (!endpoint.user.empty()) auth << endpoint.user;
    auth << endpoint.password;
    commands.push_back(std::move(auth));
  }
  if (select_database && endpoint.database != 0) {
    Poco::Redis::Array select;
    select << "SELECT" << std::to_string(endpoint.database);
    commands.push_back(std::move(select));
  }
  return commands;
}

void open(Poco::Redis::Client& client, const RedisEndpoint& endpoint, bool select_database) {
  client.connect(endpoint.host, endpoint.port, Poco::Timespan(2, 0));
  client.setReceiveTimeout(Poco::Timespan(5, 0));  // a Redis that hangs counts as down
  for (const auto& command : greeting(endpoint, select_database))
    client.execute<std::string>(command);
}

void greet(Poco::Redis::RedisOutputStream& out, Poco::Redis::RedisInputStream& in,
           const RedisEndpoint& endpoint) {
  for (const auto& command : greeting(endpoint, false)) {
    out << command.toString();
    out.flush();
    const int marker = in.get();
    if (marker == std::char_traits<char>::eof())
      throw Poco::Redis::RedisException("connection closed");
    RedisType::Ptr reply = RedisType::createRedisType(static_cast<char>(marker));
    if (!reply) throw Poco::Redis::RedisException("not the Redis protocol");
    reply->read(in);
    throwIfError(*reply);
  }
}

void throwOnError(const Poco::Redis::Array& replies) {
  for (std::size_t i = 0; i < replies.size(); ++i)
    if (replies.getType(i) == Poco::Redis::RedisTypeTraits<Poco::Redis::Error>::TypeId)
      throw Poco::Redis::RedisException(replies.get<Poco::Redis::Error>(i).getMessage());
}

std::string describe(const std::exception& error) {
  // Poco's what() is the exception's class name alone; its message is in displayText().
  if (const auto* poco = dynamic_cast<const Poco::Exception*>(&error)) return poco->displayText();
  return error.what();
}

}  // namespace fieldlink::redis_session

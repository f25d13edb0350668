#pragma once

#include <cstdint>
#include <shared_mutex>
#include <stdexcept>
#include <string>

#include <Poco/JSON/Object.h>

namespace fieldlink {

// Stores a message a plugin made, of the plugin's own type (HostContext::postMessage).
class MessagePoster {
 public:
  virtual ~MessagePoster() = default;
  virtual std::int64_t post(const std::string& type, std::int64_t conversation_id,
                            std::int64_t sender_id, const Poco::JSON::Object& content) = 0;
};

// What the core lends plugins beyond the store and the bus: parts made after the plugin host
// (the chat), bound once they exist and unbound before they go. Unbound, postMessage()
// fails; unbinding waits for posts in flight.
class PluginLinks {
 public:
  void bind(MessagePoster* poster) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    poster_ = poster;
  }
  std::int64_t post(const std::string& type, std::int64_t conversation_id, std::int64_t sender_id,
                    const Poco::JSON::Object& content) {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    if (!poster_) throw std::runtime_error("the server does not store messages now");
    return poster_->post(type, conversation_id, sender_id, content);
  }

 private:
  std::shared_mutex mutex_;
  MessagePoster* poster_ = nullptr;
};

}  // namespace fieldlink

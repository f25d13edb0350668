#pragma once

// A host for testing a plugin alone: in-memory config, a settable clock, an in-memory
// store and a record of published events. Header-only; link Poco::Util and Poco::JSON.

#include <map>
#include <mutex>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include "fieldlink/sdk/host_context.hpp"

namespace fieldlink::sdk::testkit {

class FakeStore : public StoreReader {
 public:
  std::map<std::int64_t, ConversationView> stored_conversations;
  std::vector<MessageView> stored_messages;

  std::optional<ConversationView> conversation(std::int64_t id) const override {
    auto it = stored_conversations.find(id);
    if (it == stored_conversations.end()) return std::nullopt;
    return it->second;
  }
  std::vector<ConversationView> conversations(std::int64_t after_id, int limit) const override {
    std::vector<ConversationView> out;
    for (auto it = stored_conversations.upper_bound(after_id);
         it != stored_conversations.end() && static_cast<int>(out.size()) < limit; ++it)
      out.push_back(it->second);
    return out;
  }
  std::vector<MessageView> messages(std::int64_t conversation_id, std::int64_t after_id,
                                    int limit) const override {
    std::vector<MessageView> out;
    for (const auto& m : stored_messages) {
      if (m.conversation_id == conversation_id && m.id > after_id &&
          static_cast<int>(out.size()) < limit)
        out.push_back(m);
    }
    return out;
  }
};

class FakeHost : public HostContext {
 public:
  FakeHost() : config_(new Poco::Util::MapConfiguration) {}

  // Sets a key of the plugin's own section, e.g. set("max_length", "10").
  void set(const std::string& key, const std::string& value) { config_->setString(key, value); }
  void set_now(Clock::time_point t) { now_ = t; }
  FakeStore& fake_store() { return store_; }
  std::vector<Event> published() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return published_;
  }
  struct SentFrame {
    FrameTarget to;
    Poco::JSON::Object::Ptr frame;
  };
  struct PostedMessage {
    std::int64_t id, conversation_id, sender_id;
    Poco::JSON::Object::Ptr content;
  };
  std::vector<SentFrame> sent_frames() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sent_frames_;
  }
  std::vector<PostedMessage> posted_messages() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return posted_;
  }

  const Poco::Util::AbstractConfiguration& config() const override { return *config_; }
  Poco::Logger& logger() const override { return Poco::Logger::get("fieldlink.testkit"); }
  Clock::time_point now() const override { return now_; }
  const StoreReader& store() const override { return store_; }
  void publish(const Event& event) override {
    std::lock_guard<std::mutex> lock(mutex_);
    published_.push_back(event);
  }
  // Recorded, with a copy of the frame: the plugin may reuse its object.
  void sendFrame(const FrameTarget& to, const Poco::JSON::Object& frame) override {
    std::lock_guard<std::mutex> lock(mutex_);
    sent_frames_.push_back({to, new Poco::JSON::Object(frame)});
  }
  std::int64_t postMessage(std::int64_t conversation_id, std::int64_t sender_id,
                           const Poco::JSON::Object& content) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::int64_t id = static_cast<std::int64_t>(posted_.size()) + 1;
    posted_.push_back({id, conversation_id, sender_id, new Poco::JSON::Object(content)});
    return id;
  }

 private:
  Poco::AutoPtr<Poco::Util::MapConfiguration> config_;
  Clock::time_point now_{};
  FakeStore store_;
  mutable std::mutex mutex_;
  std::vector<Event> published_;
  std::vector<SentFrame> sent_frames_;
  std::vector<PostedMessage> posted_;
};

}  // namespace fieldlink::sdk::testkit

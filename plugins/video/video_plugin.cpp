// The `video` message type and video calls.
//
// Clips: content {"attachment_id": N}, normalised to {attachment_id, content_type,
// duration_ms, width, height}.
//
// Calls: the plugin owns the call.* WebSocket frames (docs/api.md, "Video calls") and relays
// WebRTC signalling between the two parties of a call; media flows browser to browser. Each
// call leaves video messages {"call": {...}} in the conversation (started, then ended with
// its duration; or missed, or declined), which only the plugin makes: clients sending
// content that names a call are refused.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "call_book.hpp"
#include "media_message_type.hpp"

namespace {

using namespace fieldlink;

// A plain character check: GCC 12 warns inside <regex> in optimised builds.
bool isCallId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

std::string requiredCallId(const Poco::JSON::Object& frame) {
  if (!frame.has("call_id") || !frame.get("call_id").isString() ||
      !isCallId(frame.getValue<std::string>("call_id")))
    throw sdk::FrameRefused("invalid", "call_id: 1 to 64 letters, digits, '_' or '-'.");
  return frame.getValue<std::string>("call_id");
}

// SDP and ICE candidates are the browsers' business: relayed as they are, objects only.
Poco::Dynamic::Var requiredObject(const Poco::JSON::Object& frame, const std::string& key,
                                  bool may_be_null = false) {
  if (may_be_null && (!frame.has(key) || frame.isNull(key))) return Poco::Dynamic::Var();
  if (!frame.has(key) || frame.get(key).type() != typeid(Poco::JSON::Object::Ptr))
    throw sdk::FrameRefused("invalid", key + ": must be a JSON object.");
  return frame.get(key);
}

class VideoPlugin final : public media_rules::MediaMessageType, public sdk::FrameHandler {
 public:
  VideoPlugin()
      : MediaMessageType("video", "video clip",
                         {100 << 20, "video/mp4,video/webm", 180,
                          // What phones and browsers record: the picture, then the sound.
                          "h264,hevc,vp8,vp9,av1,aac,opus,vorbis,mp3"}) {}

  sdk::StartResult start(sdk::HostContext& host) override {
    const auto started = MediaMessageType::start(host);
    if (!started.error.empty()) return started;
    host_ = &host;
    const auto& config = host.config();
    CallBook::Settings settings;
    const int ring = config.getInt("ring_timeout_s", 30);
    const int grace = config.getInt("reconnect_grace_s", 10);
    if (ring < 1 || ring > 600) return sdk::StartResult::failed("ring_timeout_s: 1 to 600");
    if (grace < 0 || grace > 600) return sdk::StartResult::failed("reconnect_grace_s: 0 to 600");
    settings.ring_timeout = std::chrono::seconds(ring);
    settings.reconnect_grace = std::chrono::seconds(grace);
    book_.emplace(settings);
    clock_ = std::thread([this] { keepTime(); });
    return started;
  }

  ~VideoPlugin() override { stop(); }

  void stop() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (clock_.joinable()) clock_.join();
  }

  sdk::FrameHandler* frames() override { return this; }

  std::vector<std::string> frameTypes() const override {
    return {"call.invite", "call.accept", "call.ice", "call.decline", "call.hangup", "call.rejoin"};
  }

  void onFrame(const sdk::FrameSender& from, const Poco::JSON::Object& frame) override {
    const std::string type = frame.getValue<std::string>("type");
    const std::string call_id = requiredCallId(frame);
    const auto now = host_->now();
    video::Effects effects;
    if (type == "call.invite") {
      const auto sdp = requiredObject(frame, "sdp");
      const std::int64_t callee = calleeOf(from, frame);
      std::lock_guard<std::mutex> lock(mutex_);
      effects = book_->invite(from, call_id, callee, sdp, now);
    } else if (type == "call.accept") {
      const auto sdp = requiredObject(frame, "sdp");
      std::lock_guard<std::mutex> lock(mutex_);
      effects = book_->accept(from, call_id, sdp, now);
    } else if (type == "call.ice") {
      const auto candidate = requiredObject(frame, "candidate", /*may_be_null=*/true);
      std::lock_guard<std::mutex> lock(mutex_);
      effects = book_->ice(from, call_id, candidate);
    } else if (type == "call.decline") {
      std::lock_guard<std::mutex> lock(mutex_);
      effects = book_->decline(from, call_id);
    } else if (type == "call.hangup") {
      const bool failed = frame.optValue<std::string>("reason", "") == "failed";
      std::lock_guard<std::mutex> lock(mutex_);
      effects = book_->hangup(from, call_id, failed, now);
    } else {  // call.rejoin
      std::lock_guard<std::mutex> lock(mutex_);
      effects = book_->rejoin(from, call_id);
    }
    carryOut(effects);
  }

  void onDisconnect(std::int64_t user_id, std::uint64_t connection_id) override {
    video::Effects effects;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      effects = book_->disconnected(user_id, connection_id, host_->now());
    }
    carryOut(effects);
  }

  std::string summary(const Poco::JSON::Object& content) const override {
    if (content.has("call") && content.get("call").type() == typeid(Poco::JSON::Object::Ptr)) {
      const auto call = content.getObject("call");
      const std::string event = call->optValue<std::string>("event", "");
      if (event == "missed") return "Missed video call";
      if (event == "declined") return "Video call declined";
      if (event == "ended")
        return "Video call (" +
               media_rules::formatDuration(call->optValue<Poco::Int64>("duration_ms", 0)) + ")";
      return "Video call";
    }
    return "Video (" +
           media_rules::formatDuration(content.optValue<Poco::Int64>("duration_ms", 0)) + ")";
  }

 protected:
  sdk::UploadDecision reviewMedia(const sdk::MediaInfo& media) const override {
    if (!media.has_video || !media.duration_ms)
      return sdk::UploadDecision::unsupported("A video clip needs a video stream.");
    return sdk::UploadDecision::accept();
  }

  std::optional<sdk::ValidationResult> refuseContent(
      const Poco::JSON::Object& content) const override {
    if (content.has("call"))
      return sdk::ValidationResult::reject("call", "Call records are made by the server.");
    return std::nullopt;
  }

  void describe(const sdk::Attachment& clip, Poco::JSON::Object& content) const override {
    content.set("duration_ms", static_cast<Poco::Int64>(clip.media.duration_ms.value_or(0)));
    if (clip.media.width) content.set("width", *clip.media.width);
    if (clip.media.height) content.set("height", *clip.media.height);
  }

 private:
  using CallBook = video::CallBook;

  // The frame's callee_id, or the one other participant who is not a dispatcher.
  std::int64_t calleeOf(const sdk::FrameSender& from, const Poco::JSON::Object& frame) const {
    const auto conversation = host_->store().conversation(from.conversation_id);
    if (!conversation) throw sdk::FrameRefused("not_found", "Conversation not found.");
    std::vector<std::int64_t> candidates;
    for (const auto& p : conversation->participants) {
      if (p.user_id == from.user_id) continue;
      if (frame.has("callee_id")) {
        if (frame.get("callee_id").isInteger() &&
            frame.getValue<std::int64_t>("callee_id") == p.user_id)
          return p.user_id;
      } else if (p.role != "dispatcher") {
        candidates.push_back(p.user_id);
      }
    }
    if (frame.has("callee_id"))
      throw sdk::FrameRefused("invalid", "callee_id: another participant of the conversation.");
    if (candidates.size() != 1) throw sdk::FrameRefused("invalid", "callee_id: say whom to call.");
    return candidates.front();
  }

  // Frames first, so the parties hear of a change before its log entry reaches the history.
  void carryOut(const video::Effects& effects) {
    for (const auto& f : effects.frames) host_->sendFrame(f.to, *f.frame);
    for (const auto& entry : effects.log) {
      try {
        host_->postMessage(entry.conversation_id, entry.sender_id, *entry.content);
      } catch (const std::exception& e) {
        host_->logger().error("call log entry not stored: %s", std::string(e.what()));
      }
    }
  }

  // Rings time out and parties who left do not come back: checked four times a second.
  void keepTime() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds(250));
      if (stopping_) break;
      auto effects = book_->tick(host_->now());
      lock.unlock();
      carryOut(effects);
      lock.lock();
    }
  }

  sdk::HostContext* host_ = nullptr;
  std::mutex mutex_;  // guards book_ and stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  std::optional<CallBook> book_;
  std::thread clock_;
};

}  // namespace

FIELDLINK_PLUGIN(VideoPlugin, "video", "1.0.0", MessageType)

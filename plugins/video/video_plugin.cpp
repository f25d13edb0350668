// The `video` message type. Clips: content {"attachment_id": N}, normalised to
// {attachment_id, content_type, duration_ms, width, height}. Calls (signalling and their
// log entries) will be further kinds of content of this same type; until then content that
// names a call is refused.
#include "media_message_type.hpp"

namespace {

using namespace fieldlink;

class VideoPlugin final : public media_rules::MediaMessageType {
 public:
  VideoPlugin()
      : MediaMessageType("video", "video clip", {100 << 20, "video/mp4,video/webm", 180}) {}

  std::string summary(const Poco::JSON::Object& content) const override {
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
      return sdk::ValidationResult::reject("call", "Video calls are not available yet.");
    return std::nullopt;
  }

  void describe(const sdk::Attachment& clip, Poco::JSON::Object& content) const override {
    content.set("duration_ms", static_cast<Poco::Int64>(clip.media.duration_ms.value_or(0)));
    if (clip.media.width) content.set("width", *clip.media.width);
    if (clip.media.height) content.set("height", *clip.media.height);
  }
};

}  // namespace

FIELDLINK_PLUGIN(VideoPlugin, "video", "1.0.0", MessageType)

// The `voice` message type: content {"attachment_id": N}, normalised to
// {attachment_id, content_type, duration_ms}, the duration measured by the host.
#include <map>

#include "media_message_type.hpp"

namespace {

using namespace fieldlink;

// The codecs each container may carry (of those allowed_codecs lets through): what
// browsers record and play in it.
bool codecFits(const sdk::MediaInfo& media) {
  static const std::multimap<std::string, std::string> expected = {
      {"audio/ogg", "opus"},    {"audio/ogg", "vorbis"}, {"audio/webm", "opus"},
      {"audio/webm", "vorbis"}, {"audio/mp4", "aac"},    {"audio/mpeg", "mp3"}};
  if (media.codecs.size() != 1) return false;
  const std::string& codec = media.codecs.front();
  if (media.content_type == "audio/wav") return codec.rfind("pcm_", 0) == 0;
  const auto [first, last] = expected.equal_range(media.content_type);
  if (first == last) return true;
  for (auto it = first; it != last; ++it)
    if (it->second == codec) return true;
  return false;
}

class VoicePlugin final : public media_rules::MediaMessageType {
 public:
  VoicePlugin()
      : MediaMessageType("voice", "voice message",
                         {20 << 20, "audio/ogg,audio/webm,audio/mp4,audio/mpeg,audio/wav", 300,
                          "opus,vorbis,aac,mp3,pcm_*"}) {}

  std::string summary(const Poco::JSON::Object& content) const override {
    return "Voice message (" +
           media_rules::formatDuration(content.optValue<Poco::Int64>("duration_ms", 0)) + ")";
  }

 protected:
  sdk::UploadDecision reviewMedia(const sdk::MediaInfo& media) const override {
    if (!media.has_audio || media.has_video || !media.duration_ms)
      return sdk::UploadDecision::unsupported("A voice message is sound only.");
    if (!codecFits(media))
      return sdk::UploadDecision::unsupported(
          "This " + media.content_type + " file's codec (" +
          (media.codecs.empty() ? "none" : media.codecs.front()) +
          ") is not accepted for voice messages.");
    return sdk::UploadDecision::accept();
  }

  void describe(const sdk::Attachment& audio, Poco::JSON::Object& content) const override {
    content.set("duration_ms", static_cast<Poco::Int64>(audio.media.duration_ms.value_or(0)));
  }
};

}  // namespace

FIELDLINK_PLUGIN(VoicePlugin, "voice", "1.0.0", MessageType)

// The file, voice and video message types loaded from their .so files against the SDK's
// fake host.
#include <gtest/gtest.h>

#include <boost/dll/import.hpp>
#include <boost/dll/shared_library.hpp>
#include <fieldlink/sdk/plugin.hpp>
#include <fieldlink/sdk/testkit/fake_host.hpp>

namespace {

using namespace fieldlink::sdk;

struct LoadedPlugin {
  explicit LoadedPlugin(const std::string& name)
      : library(std::string(FIELDLINK_PLUGIN_DIR) + "/" + name + ".so") {
    const auto& manifest = library.get_alias<const PluginManifest>("fieldlink_plugin");
    plugin = manifest.create();
  }
  boost::dll::shared_library library;  // outlives the plugin: declared first
  std::shared_ptr<Plugin> plugin;
};

MediaInfo audio(const std::string& type, const std::string& codec, std::int64_t ms) {
  MediaInfo m;
  m.content_type = type;
  m.codecs = {codec};
  m.has_audio = true;
  m.duration_ms = ms;
  return m;
}

TEST(MediaPlugins, VoiceChecksTypeCodecAndDuration) {
  LoadedPlugin voice("voice");
  testkit::FakeHost host;
  host.set("max_duration_seconds", "60");
  ASSERT_TRUE(voice.plugin->start(host).error.empty());
  const UploadPolicy* policy = voice.plugin->message_type()->uploads();
  ASSERT_NE(policy, nullptr);
  using V = UploadDecision::Verdict;
  EXPECT_EQ(policy->review(audio("audio/ogg", "opus", 5000), 1000).verdict(), V::Accept);
  EXPECT_EQ(policy->review(audio("audio/ogg", "vorbis", 5000), 1000).verdict(), V::Accept);
  EXPECT_EQ(policy->review(audio("audio/ogg", "aac", 5000), 1000).verdict(), V::Unsupported)
      << "AAC is allowed, but not in Ogg";
  EXPECT_EQ(policy->review(audio("audio/mp4", "alac", 5000), 1000).verdict(), V::Unsupported);
  EXPECT_EQ(policy->review(audio("audio/wav", "pcm_f32le", 1000), 1000).verdict(), V::Accept);
  EXPECT_EQ(policy->review(audio("audio/ogg", "opus", 61000), 1000).verdict(), V::TooLarge);
  EXPECT_EQ(policy->review(audio("image/png", "png", 1000), 1000).verdict(), V::Unsupported);
  EXPECT_EQ(policy->review(audio("audio/wav", "pcm_s16le", 1000), 30 << 20).verdict(), V::TooLarge);
}

// Before decoding, the limits judge only what is known: the sniffed type alone, then the
// header's codecs and declared duration; allowed_codecs is the operator's to narrow.
TEST(MediaPlugins, MediaTypesScreenWhatIsKnownBeforeDecoding) {
  LoadedPlugin voice("voice");
  testkit::FakeHost host;
  host.set("max_duration_seconds", "60");
  host.set("allowed_codecs", "opus");
  ASSERT_TRUE(voice.plugin->start(host).error.empty());
  const auto* screen = dynamic_cast<const UploadScreen*>(voice.plugin->message_type()->uploads());
  ASSERT_NE(screen, nullptr);
  using V = UploadDecision::Verdict;
  MediaInfo sniffed;
  sniffed.content_type = "audio/ogg";
  EXPECT_EQ(screen->screen(sniffed, 1000).verdict(), V::Accept) << "nothing else known yet";
  sniffed.content_type = "video/x-matroska";
  EXPECT_EQ(screen->screen(sniffed, 1000).verdict(), V::Unsupported);
  MediaInfo declared = audio("audio/ogg", "opus", 5000);
  EXPECT_EQ(screen->screen(declared, 1000).verdict(), V::Accept);
  declared.duration_ms.reset();
  EXPECT_EQ(screen->screen(declared, 1000).verdict(), V::Accept) << "no length declared";
  EXPECT_EQ(screen->screen(audio("audio/ogg", "opus", 61000), 1000).verdict(), V::TooLarge);
  EXPECT_EQ(screen->screen(audio("audio/mp4", "aac", 1000), 1000).verdict(), V::Unsupported)
      << "aac left out of allowed_codecs";
}

TEST(MediaPlugins, VoiceContentComesFromTheAttachmentNotTheClient) {
  LoadedPlugin voice("voice");
  testkit::FakeHost host;
  ASSERT_TRUE(voice.plugin->start(host).error.empty());
  Poco::JSON::Object claimed;
  claimed.set("attachment_id", 7);
  claimed.set("duration_ms", 1);
  MessageContext context{1, 2, {}};
  EXPECT_FALSE(voice.plugin->message_type()->validate(claimed, context).ok());
  Attachment attachment;
  attachment.id = 7;
  attachment.content_type = "audio/ogg";
  attachment.media = audio("audio/ogg", "opus", 4321);
  context.attachments.push_back(attachment);
  const auto result = voice.plugin->message_type()->validate(claimed, context);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.content()->getValue<std::int64_t>("duration_ms"), 4321);
  EXPECT_EQ(voice.plugin->message_type()->summary(*result.content()), "Voice message (0:04)");
}

TEST(MediaPlugins, FileStripsLocationByDefaultAndRefusesBadConfig) {
  LoadedPlugin file("file");
  testkit::FakeHost host;
  ASSERT_TRUE(file.plugin->start(host).error.empty());
  MediaInfo photo;
  photo.content_type = "image/jpeg";
  const auto decision = file.plugin->message_type()->uploads()->review(photo, 100);
  EXPECT_TRUE(decision.accepted());
  EXPECT_TRUE(decision.stripLocation());

  LoadedPlugin misconfigured("file");
  testkit::FakeHost bad;
  bad.set("allowed_types", " , ");
  EXPECT_NE(misconfigured.plugin->start(bad).error.find("plugins.file.allowed_types"),
            std::string::npos);
}

TEST(MediaPlugins, VideoNeedsPictures) {
  LoadedPlugin video("video");
  testkit::FakeHost host;
  ASSERT_TRUE(video.plugin->start(host).error.empty());
  MediaInfo sound_only = audio("video/webm", "opus", 1000);
  EXPECT_EQ(video.plugin->message_type()->uploads()->review(sound_only, 100).verdict(),
            UploadDecision::Verdict::Unsupported);
  sound_only.has_video = true;
  EXPECT_TRUE(video.plugin->message_type()->uploads()->review(sound_only, 100).accepted());
  // The picture's codec too: what phones and browsers record, not every codec libav has.
  MediaInfo clip = sound_only;
  clip.codecs = {"h264", "aac"};
  EXPECT_TRUE(video.plugin->message_type()->uploads()->review(clip, 100).accepted());
  clip.codecs = {"mpeg4", "aac"};
  EXPECT_EQ(video.plugin->message_type()->uploads()->review(clip, 100).verdict(),
            UploadDecision::Verdict::Unsupported);
}

}  // namespace

// The media probe on files written here in code.
#include <gtest/gtest.h>

#include <fstream>

#include "media/media_error.hpp"
#include "media/media_probe.hpp"
#include "support/media_fixtures.hpp"
#include "support/temp_dir.hpp"

namespace fieldlink::media {
namespace {

using testing::makeWav;
using testing::TempDir;

std::string writeFile(const TempDir& dir, const std::string& name, const std::string& bytes) {
  std::ofstream(dir.file(name), std::ios::binary) << bytes;
  return dir.file(name);
}

TEST(MediaProbe, MeasuresAWavFromItsSamples) {
  TempDir dir;
  const auto info = MediaProbe().probe(writeFile(dir, "a", makeWav(2500)));
  EXPECT_EQ(info.content_type, "audio/wav");
  EXPECT_EQ(info.container, "wav");
  EXPECT_TRUE(info.has_audio);
  EXPECT_FALSE(info.has_video);
  ASSERT_TRUE(info.duration_ms);
  EXPECT_EQ(*info.duration_ms, 2500);
  EXPECT_EQ(info.codecs, std::vector<std::string>{"pcm_s16le"});
}

TEST(MediaProbe, RefusesAWavCutShort) {
  TempDir dir;
  const std::string wav = makeWav(2000);
  EXPECT_THROW(MediaProbe().probe(writeFile(dir, "a", wav.substr(0, wav.size() / 2))),
               MediaInvalid);
}

TEST(MediaProbe, NamesOtherBytesWithoutProbingThem) {
  TempDir dir;
  EXPECT_EQ(MediaProbe().probe(writeFile(dir, "t", "plain words\n")).content_type, "text/plain");
  EXPECT_EQ(MediaProbe().probe(writeFile(dir, "p", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")).content_type,
            "application/pdf");
}

// The budget: a decode whose time is up stops (here at once, with no time at all), and
// frames larger than allowed are refused.
TEST(MediaProbe, ADecodePastItsBudgetIsStopped) {
  TempDir dir;
  const std::string path = writeFile(dir, "a", makeWav(2000));
  metrics::Counter decodes;
  ProbeBudget none;
  none.decode_time = std::chrono::milliseconds(0);
  EXPECT_THROW(MediaProbe(1, &decodes, none).probe(path), MediaTooCostly);
  EXPECT_EQ(decodes.value(), 0u) << "stopped while its header was read";
  EXPECT_EQ(*MediaProbe(1, &decodes).probe(path).duration_ms, 2000);
  EXPECT_EQ(decodes.value(), 1u);
}

// What the screen is shown before anything decodes: the sniffed type alone, then what the
// header says (nothing measured); a refusal there stops the probe before the decode.
TEST(MediaProbe, TheScreenSeesTheSniffedTypeThenTheHeaderBeforeAnyDecode) {
  TempDir dir;
  const std::string path = writeFile(dir, "a", makeWav(2000));
  metrics::Counter decodes;
  std::vector<sdk::MediaInfo> seen;
  struct Refused {};
  EXPECT_THROW(MediaProbe(1, &decodes)
                   .probe(path,
                          [&](const sdk::MediaInfo& known) {
                            seen.push_back(known);
                            if (!known.container.empty()) throw Refused{};
                          }),
               Refused);
  EXPECT_EQ(decodes.value(), 0u);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].content_type, "audio/wav");
  EXPECT_TRUE(seen[0].codecs.empty());
  EXPECT_EQ(seen[1].container, "wav");
  EXPECT_EQ(seen[1].codecs, std::vector<std::string>{"pcm_s16le"});
  EXPECT_TRUE(seen[1].has_audio);
  EXPECT_FALSE(seen[1].duration_ms) << "WAV states no length in what the header read gives";

  seen.clear();
  const auto info = MediaProbe(1, &decodes).probe(path, [&](const sdk::MediaInfo& known) {
    seen.push_back(known);
  });
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_EQ(decodes.value(), 1u);
  EXPECT_EQ(*info.duration_ms, 2000);
}

TEST(MediaProbe, AnImageThatIsNotOneIsInvalid) {
  TempDir dir;
  // A PNG signature and header chunk (enough for libmagic) describing a 0x0 picture.
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\0\0\x0dIHDR", 8) +
                          std::string(17, '\0');
  EXPECT_EQ(ContentSniffer().contentType(writeFile(dir, "i", png)), "image/png");
  EXPECT_THROW(MediaProbe().probe(dir.file("i")), MediaInvalid);
}

}  // namespace
}  // namespace fieldlink::media

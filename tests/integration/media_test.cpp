// Attachments and the file, voice and video message types through the real HTTP path, with
// real media made at test time.
#include <gtest/gtest.h>

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include "support/media_fixtures.hpp"
#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

ServerProcess::Options mediaServer(std::map<std::string, std::string> env = {}) {
  ServerProcess::Options options;
  options.plugins_enabled = "text,file,voice,video";
  options.env = std::move(env);
  return options;
}

// Files in the attachment store, outside its receiving folder.
int storedFiles(const std::string& dir, bool include_tmp = false) {
  int count = 0;
  if (!Poco::File(dir).exists()) return 0;
  for (Poco::DirectoryIterator it(dir), end; it != end; ++it) {
    if (it->isDirectory()) {
      if (include_tmp || it.name() != "tmp") count += storedFiles(it->path(), true);
    } else {
      ++count;
    }
  }
  return count;
}

std::string fileFrame(std::int64_t conversation, std::int64_t attachment,
                      const std::string& client_id) {
  return "{\"type\":\"message\",\"conversation_id\":" + std::to_string(conversation) +
         ",\"message_type\":\"file\",\"content\":{\"attachment_id\":" + std::to_string(attachment) +
         "},\"client_id\":\"" + client_id + "\"}";
}

class Media : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fixtures = new MediaFixtures; }
  static void TearDownTestSuite() {
    delete fixtures;
    fixtures = nullptr;
  }
  static MediaFixtures* fixtures;

  static HttpResult upload(const Scene& s, const std::string& token, const std::string& bytes,
                           const std::string& name, const std::string& message_type = "file",
                           const std::string& declared_type = "application/octet-stream") {
    return postMultipart(s.api.http(), "/api/chat/attachments/?message_type=" + message_type, token,
                         multipart(bytes, name, declared_type));
  }
  static HttpResult uploadFixture(const Scene& s, const std::string& token,
                                  const std::string& fixture, const std::string& type) {
    return upload(s, token, fixtures->bytes(fixture), fixture, type);
  }
  static HttpResult sendAttachment(const Scene& s, const std::string& token,
                                   const std::string& type, std::int64_t attachment_id,
                                   const std::string& client_id = "") {
    std::string body = "{\"conversation_id\":" + std::to_string(s.conversation_id) +
                       ",\"message_type\":\"" + type +
                       "\",\"content\":{\"attachment_id\":" + std::to_string(attachment_id) + "}";
    if (!client_id.empty()) body += ",\"client_id\":\"" + client_id + "\"";
    return s.api.http().post("/api/chat/messages/", body + "}", token);
  }
  static std::string attachmentsDir(const Scene& s) { return s.server.dataDir() + "/attachments"; }
};
MediaFixtures* Media::fixtures = nullptr;

TEST_F(Media, PhotoRoundTripIsByteIdenticalWithSafeHeadersAndRanges) {
  Scene s(mediaServer());
  const std::string png = fixtures->bytes("photo.png");
  const auto up = upload(s, s.client, png, "boiler.png", "file", "text/html");
  ASSERT_EQ(up.status, 201) << up.body;
  const auto attachment = up.object();
  EXPECT_EQ(attachment->getValue<std::string>("content_type"), "image/png");  // not text/html
  EXPECT_EQ(attachment->getValue<std::int64_t>("size"), static_cast<std::int64_t>(png.size()));
  EXPECT_EQ(attachment->getValue<std::string>("sha256").size(), 64u);
  const auto id = attachment->getValue<std::int64_t>("id");

  const auto sent = sendAttachment(s, s.client, "file", id);
  ASSERT_EQ(sent.status, 201) << sent.body;
  const auto content = sent.object()->getObject("content");
  EXPECT_EQ(content->getValue<std::string>("name"), "boiler.png");
  EXPECT_EQ(content->getValue<int>("width"), 64);
  EXPECT_EQ(content->getValue<int>("height"), 48);
  EXPECT_EQ(sent.object()->getArray("attachments")->getElement<std::int64_t>(0), id);

  const std::string url = "/api/chat/attachments/" + std::to_string(id) + "/";
  const auto whole = s.api.http().get(url, s.technician);  // the other participant
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(whole.body, png);
  EXPECT_EQ(whole.headers.at("Content-Type"), "image/png");
  EXPECT_EQ(whole.headers.at("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(whole.headers.at("Content-Disposition").find("filename=\"boiler.png\""),
            std::string::npos);
  EXPECT_EQ(whole.headers.at("Accept-Ranges"), "bytes");

  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + s.technician}};
  auto ranged = [&](const std::string& range) {
    auto headers = auth;
    headers["Range"] = range;
    return s.api.http().request("GET", url, "", headers);
  };
  const auto middle = ranged("bytes=10-19");
  EXPECT_EQ(middle.status, 206);
  EXPECT_EQ(middle.body, png.substr(10, 10));
  EXPECT_EQ(middle.headers.at("Content-Range"), "bytes 10-19/" + std::to_string(png.size()));
  const auto suffix = ranged("bytes=-7");
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.body, png.substr(png.size() - 7));
  const auto open_ended = ranged("bytes=100-");
  EXPECT_EQ(open_ended.body, png.substr(100));
  const auto beyond = ranged("bytes=" + std::to_string(png.size()) + "-");
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(beyond.headers.at("Content-Range"), "bytes */" + std::to_string(png.size()));
}

TEST_F(Media, OnlyTheUploaderAndTheConversationsParticipantsMayDownload) {
  Scene s(mediaServer());
  const auto up = uploadFixture(s, s.client, "photo.png", "file");
  ASSERT_EQ(up.status, 201) << up.body;
  const auto id = up.object()->getValue<std::int64_t>("id");
  const std::string url = "/api/chat/attachments/" + std::to_string(id) + "/";
  // Not sent yet: the uploader's alone.
  EXPECT_EQ(s.api.http().get(url, s.client).status, 200);
  EXPECT_EQ(s.api.http().get(url, s.technician).status, 404);
  ASSERT_EQ(sendAttachment(s, s.client, "file", id).status, 201);
  EXPECT_EQ(s.api.http().get(url, s.technician).status, 200);
  // Outsiders get the answer an unknown id gets.
  for (const auto* token : {&s.outsider_client, &s.outsider_technician}) {
    const auto refused = s.api.http().get(url, *token);
    EXPECT_EQ(refused.status, 404);
    EXPECT_EQ(refused.body, s.api.http().get("/api/chat/attachments/999999/", *token).body);
  }
  // Nor can an outsider send someone else's upload in a message of their own.
  const auto stolen = sendAttachment(s, s.outsider_client, "file", id);
  EXPECT_EQ(stolen.status, 404) << stolen.body;
}

TEST_F(Media, RenamedExecutableIsRefusedAndNothingIsKept) {
  Scene s(mediaServer());
  const std::string binary = readFile(FIELDLINK_SERVER_BIN).substr(0, 200000);
  const auto refused = upload(s, s.client, binary, "photo.jpg", "file", "image/jpeg");
  EXPECT_EQ(refused.status, 415) << refused.body;
  EXPECT_NE(refused.body.find("This file is application/x-"), std::string::npos) << refused.body;
  // Sound presented as a photo is refused too: it is not on the file type's list.
  EXPECT_EQ(uploadFixture(s, s.client, "voice.wav", "file").status, 415);
  EXPECT_EQ(storedFiles(attachmentsDir(s), true), 0);
}

// What checking an upload may cost is bounded: images and video frames by their pixels,
// refused before anything decodes them (the decode counter stays put), and a decode by its
// time (MediaProbe's unit test, where a budget can be made to run out).
TEST_F(Media, FramesWithMorePixelsThanAllowedAreRefusedBeforeDecoding) {
  Scene s(mediaServer({{"FIELDLINK_ATTACHMENTS_MAX_PIXELS", "1000"}}));
  for (const auto& [fixture, type] : std::vector<std::pair<std::string, std::string>>{
           {"photo.png", "file"}, {"clip.mp4", "video"}, {"clip.webm", "video"}}) {
    const auto refused = uploadFixture(s, s.client, fixture, type);
    EXPECT_EQ(refused.status, 413) << fixture;
    EXPECT_EQ(refused.code(), "media_too_costly") << refused.body;
  }
  EXPECT_EQ(metricValue(s, "fieldlink_media_decodes_total"), "0") << "opened, not decoded";
  EXPECT_EQ(uploadFixture(s, s.client, "voice.ogg", "voice").status, 201);
  EXPECT_EQ(metricValue(s, "fieldlink_media_decodes_total"), "1");
  EXPECT_EQ(storedFiles(attachmentsDir(s), true), 1);
}

// Decode only what can be accepted: the message type judges the sniffed type before libav
// sees the file, then the codecs and the duration the container declares before a packet
// is decoded. Refused files leave the decode counter where it was.
TEST_F(Media, FilesATypeCouldNeverTakeAreRefusedBeforeDecoding) {
  Scene s(mediaServer({{"FIELDLINK_PLUGINS_VOICE_MAX_DURATION_SECONDS", "2"}}));
  const auto matroska = uploadFixture(s, s.client, "clip.mkv", "file");
  EXPECT_EQ(matroska.status, 415) << matroska.body;
  EXPECT_NE(matroska.body.find("x-matroska"), std::string::npos) << matroska.body;
  const auto codec = uploadFixture(s, s.client, "clip_mpeg4.mp4", "video");
  EXPECT_EQ(codec.status, 415) << codec.body;
  EXPECT_NE(codec.body.find("mpeg4 codec"), std::string::npos) << codec.body;
  const auto picture_as_voice = uploadFixture(s, s.client, "clip.webm", "voice");
  EXPECT_EQ(picture_as_voice.status, 415) << picture_as_voice.body;
  // WebM and MP4 state their length (4 s) in their header: over the 2 s allowed, said at
  // once. (Ogg, MP3 and WAV state none there: they are measured.)
  for (const char* fixture : {"voice.webm", "voice.m4a"}) {
    const auto long_note = uploadFixture(s, s.client, fixture, "voice");
    EXPECT_EQ(long_note.status, 413) << fixture << ": " << long_note.body;
    EXPECT_NE(long_note.body.find("0:02"), std::string::npos) << long_note.body;
  }
  EXPECT_EQ(metricValue(s, "fieldlink_media_decodes_total"), "0");
  EXPECT_EQ(storedFiles(attachmentsDir(s), true), 0);

  // A sniffed video/webm holding sound only still reaches the voice type, and is decoded.
  Scene open_limits(mediaServer());
  const auto note = uploadFixture(open_limits, open_limits.client, "voice.webm", "voice");
  EXPECT_EQ(note.status, 201) << note.body;
  EXPECT_EQ(note.object()->getValue<std::string>("content_type"), "audio/webm");
  EXPECT_EQ(uploadFixture(open_limits, open_limits.client, "clip.mkv", "video").status, 415);
  EXPECT_EQ(metricValue(open_limits, "fieldlink_media_decodes_total"), "1");
}

// Uploads are answered on threads of their own: while they wait for their decodes, the
// one thread left for every other request answers at once. (On the handler threads, the
// metrics page would wait behind all three uploads.)
TEST_F(Media, UploadsWaitingForTheirDecodeHoldNoThreadOtherRequestsNeed) {
  Scene s(mediaServer({{"FIELDLINK_HTTP_THREADS", "1"},
                       {"FIELDLINK_HTTP_UPLOAD_THREADS", "1"},
                       {"FIELDLINK_ATTACHMENTS_CONCURRENT_DECODES", "1"}}));
  TempDir dir;
  std::string output;
  ASSERT_EQ(
      runShell("ffmpeg -nostdin -loglevel error -y -f lavfi -i sine=frequency=440:duration=280 "
               "-c:a libopus " +
                   dir.file("long.ogg"),
               output),
      0)
      << output;
  const std::string note = readFile(dir.file("long.ogg"));
  std::atomic<int> answered{0};
  std::vector<std::thread> uploads;
  for (int i = 0; i < 3; ++i)
    uploads.emplace_back([&] {
      EXPECT_EQ(upload(s, s.client, note, "long.ogg", "voice").status, 201);
      ++answered;
    });
  // The first page to show a decode started; each takes about half a second, one at a time.
  std::string decodes;
  do {
    decodes = metricValue(s, "fieldlink_media_decodes_total");
  } while (decodes == "0" && answered < 3);
  for (auto& t : uploads) t.join();
  EXPECT_EQ(answered, 3);
  EXPECT_NE(decodes, "3") << "the page was answered only once every upload was";
  EXPECT_EQ(metricValue(s, "fieldlink_media_decodes_total"), "3");
}

// Registration is open, so one account must not be able to fill the disk: a quota of bytes
// no message uses yet, uploads per hour, and a free-disk floor below which uploads stop
// while the rest of the service goes on.
TEST_F(Media, NoOneUserCanFillTheDisk) {
  const std::string note = fixtures->bytes("notes.txt");
  const auto size = static_cast<std::int64_t>(note.size());
  Scene s(
      mediaServer({{"FIELDLINK_ATTACHMENTS_USER_QUOTA_BYTES", std::to_string(2 * size + size / 2)},
                   {"FIELDLINK_ATTACHMENTS_UPLOADS_PER_HOUR", "4"}}));
  const auto first = uploadFixture(s, s.client, "notes.txt", "file");
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(uploadFixture(s, s.client, "notes.txt", "file").status, 201);
  const auto over = uploadFixture(s, s.client, "notes.txt", "file");
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(over.code(), "upload_quota_exceeded") << over.body;
  // The quota is each user's; and bytes a message uses no longer count.
  EXPECT_EQ(uploadFixture(s, s.technician, "notes.txt", "file").status, 201);
  ASSERT_EQ(
      sendAttachment(s, s.client, "file", first.object()->getValue<std::int64_t>("id")).status,
      201);
  EXPECT_EQ(uploadFixture(s, s.client, "notes.txt", "file").status, 201);
  // The fifth upload within the hour.
  const auto fast = uploadFixture(s, s.client, "notes.txt", "file");
  EXPECT_EQ(fast.status, 429);
  EXPECT_EQ(fast.code(), "too_many_requests");
  EXPECT_GT(std::stoi(fast.headers.at("Retry-After")), 0);
}

TEST_F(Media, BelowTheFreeDiskFloorUploadsAreRefusedAndTheRestWorks) {
  // No disk is that large: the floor is always above what is free.
  Scene s(mediaServer({{"FIELDLINK_ATTACHMENTS_MIN_FREE_BYTES", std::to_string(1LL << 50)}}));
  const auto refused = uploadFixture(s, s.client, "notes.txt", "file");
  EXPECT_EQ(refused.status, 507);
  EXPECT_EQ(refused.code(), "insufficient_storage") << refused.body;
  EXPECT_EQ(storedFiles(attachmentsDir(s), true), 0);
  EXPECT_EQ(s.api.sendText(s.client, s.conversation_id, "the chat goes on").status, 201);
}

TEST_F(Media, OversizeUploadsAreRefusedWhileStreamingWithNothingLeftOnDisk) {
  Scene s(mediaServer({{"FIELDLINK_PLUGINS_FILE_MAX_BYTES", "50000"}}));
  const std::string big(120000, 'a');
  // Announced by Content-Length: refused before reading.
  const auto announced = upload(s, s.client, big, "big.txt");
  EXPECT_EQ(announced.status, 413) << announced.body;
  // Chunked, so the server only finds out by counting.
  const auto form = multipart(big, "big.txt", "text/plain");
  const auto chunked = postMultipart(s.api.http(), "/api/chat/attachments/", s.client, form,
                                     {{"Transfer-Encoding", "chunked"}});
  EXPECT_EQ(chunked.status, 413) << chunked.body;
  EXPECT_EQ(storedFiles(attachmentsDir(s), true), 0);
  // A file within the limit still goes through.
  EXPECT_EQ(upload(s, s.client, std::string(1000, 'a'), "small.txt").status, 201);
}

TEST_F(Media, TruncatedAndCorruptMediaAreRefusedWithAClearError) {
  Scene s(mediaServer());
  struct Case {
    std::string fixture, type;
  };
  for (const Case& c :
       {Case{"voice.ogg", "voice"}, Case{"voice.webm", "voice"}, Case{"voice.m4a", "voice"},
        Case{"voice.mp3", "voice"}, Case{"voice.wav", "voice"}, Case{"clip.mp4", "video"},
        Case{"clip.webm", "video"}}) {
    const std::string whole = fixtures->bytes(c.fixture);
    const auto truncated =
        upload(s, s.client, whole.substr(0, whole.size() * 6 / 10), c.fixture, c.type);
    EXPECT_EQ(truncated.status, 400) << c.fixture << ": " << truncated.body;
    EXPECT_EQ(truncated.code(), "invalid_media") << c.fixture;
  }
  struct Damage {
    std::string fixture, type;
    std::size_t at;
  };
  // In the middle of the sound; in the clip's first (key) frame, just after the headers.
  for (const Damage& c : {Damage{"voice.ogg", "voice", 0}, Damage{"voice.m4a", "voice", 0},
                          Damage{"clip.mp4", "video", 200}, Damage{"clip.webm", "video", 400}}) {
    std::string damaged = fixtures->bytes(c.fixture);
    const std::size_t from = c.at ? c.at : damaged.size() / 3;
    for (std::size_t i = from; i < from + 2000; ++i) damaged[i] = static_cast<char>(i * 7919 % 251);
    const auto corrupt = upload(s, s.client, damaged, c.fixture, c.type);
    EXPECT_EQ(corrupt.status, 400) << c.fixture << ": " << corrupt.body;
    EXPECT_EQ(corrupt.code(), "invalid_media") << c.fixture;
  }
  EXPECT_EQ(storedFiles(attachmentsDir(s), true), 0);
}

TEST_F(Media, DurationsComeFromTheContainerWithinTwoPercent) {
  Scene s(mediaServer());
  struct Case {
    std::string fixture, type;
    std::int64_t truth_ms;
  };
  for (const Case& c : {Case{"voice.ogg", "voice", MediaFixtures::kAudioMs},
                        Case{"voice.webm", "voice", MediaFixtures::kAudioMs},
                        Case{"voice.m4a", "voice", MediaFixtures::kAudioMs},
                        Case{"voice.mp3", "voice", MediaFixtures::kAudioMs},
                        Case{"voice.wav", "voice", MediaFixtures::kAudioMs},
                        Case{"clip.mp4", "video", MediaFixtures::kClipMs},
                        Case{"clip.webm", "video", MediaFixtures::kClipMs}}) {
    const auto up = uploadFixture(s, s.client, c.fixture, c.type);
    ASSERT_EQ(up.status, 201) << c.fixture << ": " << up.body;
    const auto id = up.object()->getValue<std::int64_t>("id");
    // The client's claim is ignored: the content names the file, the server measures it.
    const auto sent = s.api.http().post(
        "/api/chat/messages/",
        "{\"conversation_id\":" + std::to_string(s.conversation_id) + ",\"message_type\":\"" +
            c.type + "\",\"content\":{\"attachment_id\":" + std::to_string(id) +
            ",\"duration_ms\":1}}",
        s.client);
    ASSERT_EQ(sent.status, 201) << c.fixture << ": " << sent.body;
    const auto duration =
        sent.object()->getObject("content")->getValue<std::int64_t>("duration_ms");
    EXPECT_LE(std::abs(duration - c.truth_ms), c.truth_ms * 2 / 100)
        << c.fixture << " measured " << duration << " ms";
  }
}

TEST_F(Media, VoiceRefusesVideoAndVideoRefusesSound) {
  Scene s(mediaServer({{"FIELDLINK_PLUGINS_VOICE_MAX_DURATION_SECONDS", "2"}}));
  EXPECT_EQ(uploadFixture(s, s.client, "clip.mp4", "voice").status, 415);
  EXPECT_EQ(uploadFixture(s, s.client, "voice.ogg", "video").status, 415);
  // Over the configured maximum duration (4 s against 2 s).
  const auto long_note = uploadFixture(s, s.client, "voice.ogg", "voice");
  EXPECT_EQ(long_note.status, 413) << long_note.body;
  EXPECT_NE(long_note.body.find("0:02"), std::string::npos) << long_note.body;
}

TEST_F(Media, SendVoiceUploadsAndSendsInOneCallWithTheMeasuredDuration) {
  Scene s(mediaServer());
  const auto form =
      multipart(fixtures->bytes("voice.ogg"), "note.ogg", "audio/ogg",
                {{"conversation_id", std::to_string(s.conversation_id)}, {"client_id", "voice-1"}});
  const auto sent =
      postMultipart(s.api.http(), "/api/chat/messages/send_voice/", s.technician, form);
  ASSERT_EQ(sent.status, 201) << sent.body;
  const auto message = sent.object();
  EXPECT_EQ(message->getValue<std::string>("message_type"), "voice");
  const auto duration = message->getObject("content")->getValue<std::int64_t>("duration_ms");
  EXPECT_NEAR(static_cast<double>(duration), MediaFixtures::kAudioMs,
              MediaFixtures::kAudioMs * 0.02);
  // The client hears it: the attachment is theirs to fetch now.
  const auto id = message->getObject("content")->getValue<std::int64_t>("attachment_id");
  EXPECT_EQ(s.api.http().get("/api/chat/attachments/" + std::to_string(id) + "/", s.client).body,
            fixtures->bytes("voice.ogg"));
  // The same client_id again after a lost answer: the first message, not a second one.
  const auto again =
      postMultipart(s.api.http(), "/api/chat/messages/send_voice/", s.technician, form);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.object()->getValue<std::int64_t>("id"), message->getValue<std::int64_t>("id"));

  // An outsider is refused before anything is stored.
  const int files_before = storedFiles(attachmentsDir(s));
  const auto outsider =
      postMultipart(s.api.http(), "/api/chat/messages/send_voice/", s.outsider_client, form);
  EXPECT_EQ(outsider.status, 404) << outsider.body;
  EXPECT_EQ(storedFiles(attachmentsDir(s)), files_before);
  const auto missing = postMultipart(s.api.http(), "/api/chat/messages/send_voice/", s.client,
                                     multipart(fixtures->bytes("voice.ogg"), "note.ogg"));
  EXPECT_EQ(missing.status, 400) << missing.body;
}

TEST_F(Media, PathTraversalAndControlCharactersInNamesAreNeutralised) {
  Scene s(mediaServer());
  const auto up = upload(s, s.client, fixtures->bytes("notes.txt"),
                         "../../etc/\x01pass\x1b[31mwd\xe2\x80\xaetxt.exe", "file");
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(up.object()->getValue<std::string>("name"), "pass[31mwdtxt.exe");
  const auto hidden = upload(s, s.client, fixtures->bytes("notes.txt"), "..\\..\\.bashrc", "file");
  ASSERT_EQ(hidden.status, 201) << hidden.body;
  EXPECT_EQ(hidden.object()->getValue<std::string>("name"), "bashrc");
  // Nothing was written outside the store, whatever the name said.
  EXPECT_FALSE(Poco::File(s.server.dataDir() + "/etc").exists());
  EXPECT_EQ(storedFiles(attachmentsDir(s)), 1);  // the same bytes, stored once
}

TEST_F(Media, SameBytesAreStoredOnceUnderTheirHash) {
  Scene s(mediaServer());
  const auto first = uploadFixture(s, s.client, "photo.png", "file").object();
  const auto second = uploadFixture(s, s.technician, "photo.png", "file").object();
  EXPECT_NE(first->getValue<std::int64_t>("id"), second->getValue<std::int64_t>("id"));
  EXPECT_EQ(first->getValue<std::string>("sha256"), second->getValue<std::string>("sha256"));
  EXPECT_EQ(storedFiles(attachmentsDir(s)), 1);
  const std::string sha = first->getValue<std::string>("sha256");
  EXPECT_TRUE(Poco::File(attachmentsDir(s) + "/" + sha.substr(0, 2) + "/" + sha).exists());
}

TEST_F(Media, GpsCoordinatesAreRemovedFromPhotosUnlessTheOperatorSaysOtherwise) {
  std::string before;
  ASSERT_EQ(runShell("exiftool -s -GPSLatitude " + fixtures->path("photo_gps.jpg"), before), 0);
  ASSERT_NE(before.find("GPSLatitude"), std::string::npos) << "the fixture has no GPS: " << before;

  auto stored = [&](Scene& s) {
    const auto up = uploadFixture(s, s.client, "photo_gps.jpg", "file");
    EXPECT_EQ(up.status, 201) << up.body;
    const auto id = up.object()->getValue<std::int64_t>("id");
    TempDir dir;
    std::ofstream(dir.file("stored.jpg"), std::ios::binary)
        << s.api.http().get("/api/chat/attachments/" + std::to_string(id) + "/", s.client).body;
    std::string tags;
    runShell("exiftool -s -GPS:all -Make " + dir.file("stored.jpg"), tags);
    return tags;
  };
  Scene stripping(mediaServer());
  const std::string after = stored(stripping);
  EXPECT_EQ(after.find("GPS"), std::string::npos) << after;
  EXPECT_NE(after.find("FieldlinkTest"), std::string::npos) << "other metadata stays: " << after;

  Scene keeping(mediaServer({{"FIELDLINK_PLUGINS_FILE_STRIP_LOCATION", "false"}}));
  EXPECT_NE(stored(keeping).find("GPSLatitude"), std::string::npos);
}

TEST_F(Media, HeicPhotosAreAcceptedButNotWithALocationThatCannotBeRemoved) {
  Scene stripping(mediaServer());
  const auto plain = uploadFixture(stripping, stripping.client, "photo.heic", "file");
  ASSERT_EQ(plain.status, 201) << plain.body;
  EXPECT_EQ(plain.object()->getValue<std::string>("content_type"), "image/heic");
  EXPECT_EQ(plain.object()->getObject("media")->getValue<int>("width"), 640);
  const auto located = uploadFixture(stripping, stripping.client, "photo_gps.heic", "file");
  EXPECT_EQ(located.status, 400) << located.body;
  EXPECT_NE(located.body.find("send it as JPEG"), std::string::npos) << located.body;

  Scene keeping(mediaServer({{"FIELDLINK_PLUGINS_FILE_STRIP_LOCATION", "false"}}));
  EXPECT_EQ(uploadFixture(keeping, keeping.client, "photo_gps.heic", "file").status, 201);
}

TEST_F(Media, AnAttachmentBelongsToOneMessageOfItsOwnType) {
  Scene s(mediaServer());
  const auto id =
      uploadFixture(s, s.client, "photo.png", "file").object()->getValue<std::int64_t>("id");
  const auto wrong_type = sendAttachment(s, s.client, "voice", id);
  EXPECT_EQ(wrong_type.status, 400) << wrong_type.body;
  const auto not_theirs = sendAttachment(s, s.technician, "file", id);
  EXPECT_EQ(not_theirs.status, 400) << not_theirs.body;
  const auto missing =
      s.api.http().post("/api/chat/messages/",
                        "{\"conversation_id\":" + std::to_string(s.conversation_id) +
                            R"(,"message_type":"file","content":{"attachment_id":"one"}})",
                        s.client);
  EXPECT_EQ(missing.status, 400) << missing.body;
  ASSERT_EQ(sendAttachment(s, s.client, "file", id, "photo-1").status, 201);
  // The same message again (lost answer) is harmless; a second message with it is not.
  EXPECT_EQ(sendAttachment(s, s.client, "file", id, "photo-1").status, 200);
  const auto reused = sendAttachment(s, s.client, "file", id, "photo-2");
  EXPECT_EQ(reused.status, 409) << reused.body;
  EXPECT_EQ(reused.code(), "attachment_in_use");
}

TEST_F(Media, UploadsNoMessageUsedArePurgedAndSentOnesStay) {
  Scene s(mediaServer({{"FIELDLINK_ATTACHMENTS_UNREFERENCED_TTL", "1"},
                       {"FIELDLINK_ATTACHMENTS_PURGE_INTERVAL", "1"}}));
  const auto kept =
      uploadFixture(s, s.client, "photo.png", "file").object()->getValue<std::int64_t>("id");
  ASSERT_EQ(sendAttachment(s, s.client, "file", kept).status, 201);
  const auto dropped =
      uploadFixture(s, s.client, "notes.txt", "file").object()->getValue<std::int64_t>("id");
  const std::string dropped_url = "/api/chat/attachments/" + std::to_string(dropped) + "/";
  EXPECT_EQ(s.api.http().get(dropped_url, s.client).status, 200);
  int status = 200;
  for (int i = 0; i < 100 && status == 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = s.api.http().get(dropped_url, s.client).status;
  }
  EXPECT_EQ(status, 404) << s.server.log();
  EXPECT_EQ(storedFiles(attachmentsDir(s)), 1);  // the sent photo's bytes only
  EXPECT_EQ(
      s.api.http().get("/api/chat/attachments/" + std::to_string(kept) + "/", s.client).status,
      200);
}

TEST_F(Media, APhotoSentOverTheWebSocketReachesTheOtherSideWithItsDetails) {
  Scene s(mediaServer());
  const auto id =
      uploadFixture(s, s.client, "photo.png", "file").object()->getValue<std::int64_t>("id");
  WsClient sender(s.server.port(), "/ws/?token=" + s.client);
  WsClient receiver(s.server.port(), "/ws/?token=" + s.technician);
  ASSERT_EQ(sender.status(), 101);
  ASSERT_EQ(receiver.status(), 101);
  sender.sendJson(fileFrame(s.conversation_id, id, "ws-photo"));
  const auto ack = sender.nextOfType("ack");
  ASSERT_TRUE(ack);
  const auto delivered = receiver.nextOfType("message");
  ASSERT_TRUE(delivered);
  const auto content = delivered->getObject("message")->getObject("content");
  EXPECT_EQ(content->getValue<std::int64_t>("attachment_id"), id);
  EXPECT_EQ(content->getValue<std::string>("content_type"), "image/png");
  EXPECT_EQ(content->getValue<int>("width"), 64);
  // Someone else's upload over the WebSocket: an error frame, nothing sent.
  const auto other =
      uploadFixture(s, s.technician, "photo.png", "file").object()->getValue<std::int64_t>("id");
  sender.sendJson(fileFrame(s.conversation_id, other, "ws-stolen"));
  const auto error = sender.nextOfType("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->getValue<std::string>("client_id"), "ws-stolen");
}

// A message naming an attachment is checked off the reactor (it reads the store); the
// messages sent right after it on the same connection still come after it, acks included.
TEST_F(Media, MessagesAfterAPhotoKeepTheirOrder) {
  Scene s(mediaServer());
  std::vector<std::int64_t> photos;
  for (int i = 0; i < 3; ++i)
    photos.push_back(
        uploadFixture(s, s.client, "photo.png", "file").object()->getValue<std::int64_t>("id"));
  WsClient sender(s.server.port(), "/ws/?token=" + s.client);
  ASSERT_EQ(sender.status(), 101);
  std::vector<std::string> sent;
  for (int i = 0; i < 3; ++i) {
    sender.sendJson(fileFrame(s.conversation_id, photos[i], "photo-" + std::to_string(i)));
    sent.push_back("photo-" + std::to_string(i));
    for (int j = 0; j < 2; ++j) {
      const std::string id = "text-" + std::to_string(i) + "-" + std::to_string(j);
      sender.sendJson(messageFrame(s.conversation_id, id, id));
      sent.push_back(id);
    }
  }
  std::vector<std::string> acked;
  for (const auto& ack : sender.collect("ack", sent.size(), 10s))
    acked.push_back(ack->getValue<std::string>("client_id"));
  EXPECT_EQ(acked, sent);
  std::vector<std::string> stored;
  for (const auto& m : s.api.history(s.client, s.conversation_id))
    if (m->getValue<std::string>("message_type") != "system")
      stored.push_back(m->getValue<std::string>("client_id"));
  EXPECT_EQ(stored, sent);
}

TEST_F(Media, UploadsNeedMultipartAndAKnownFileType) {
  Scene s(mediaServer());
  EXPECT_EQ(s.api.http().post("/api/chat/attachments/", "{}", s.client).status, 415);
  EXPECT_EQ(upload(s, s.client, "hello", "a.txt", "text").code(), "no_uploads");
  EXPECT_EQ(upload(s, s.client, "hello", "a.txt", "nonsense").code(), "unknown_message_type");
  const auto no_file = postMultipart(s.api.http(), "/api/chat/attachments/", s.client,
                                     {"multipart/form-data; boundary=x", "--x--\r\n"});
  EXPECT_EQ(no_file.status, 400) << no_file.body;
  const auto malformed = postMultipart(s.api.http(), "/api/chat/attachments/", s.client,
                                       {"multipart/form-data; boundary=x", "garbage"});
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_EQ(upload(s, s.client, "", "empty.txt").status, 400);
  const auto stray = postMultipart(
      s.api.http(), "/api/chat/attachments/", s.client,
      {"multipart/form-data; boundary=x",
       "--x\r\nContent-Disposition: form-data; name=\"other\"; filename=\"a.txt\"\r\n\r\n"
       "hello\r\n--x--\r\n"});
  EXPECT_EQ(stray.status, 400) << stray.body;
  EXPECT_EQ(storedFiles(attachmentsDir(s), true), 0);
}

}  // namespace
}  // namespace fieldlink::testing

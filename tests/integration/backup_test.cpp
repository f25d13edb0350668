// fieldlinkd --backup while the server takes messages, then --restore into a new data folder
// and a server on it: the history is the original's, message for message, up to the moment
// of the backup, with nothing acknowledged before the backup began missing.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <Poco/File.h>

#include "support/media_fixtures.hpp"
#include "support/scene.hpp"
#include "support/scratch_database.hpp"

namespace fieldlink::testing {
namespace {

int fieldlinkd(const std::vector<std::string>& args, std::string& output) {
  return ServerProcess::runCommand(args, ServerProcess::baseEnvironment(), output);
}

std::string asJson(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

TEST(Backup, TakenUnderWriteLoadRestoresToAnIdenticalHistory) {
  FIELDLINK_SQLITE_ONLY();
  ServerProcess::Options options;
  options.plugins_enabled = "text,file";
  Scene s(options);
  const MediaFixtures fixtures;
  const std::string photo = fixtures.bytes("photo.png");
  const auto uploaded = postMultipart(s.api.http(), "/api/chat/attachments/?message_type=file",
                                      s.client, multipart(photo, "boiler.png"));
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const auto attachment = uploaded.object()->getValue<std::int64_t>("id");
  ASSERT_EQ(s.api.http()
                .post("/api/chat/messages/",
                      "{\"conversation_id\":" + std::to_string(s.conversation_id) +
                          R"(,"message_type":"file","content":{"attachment_id":)" +
                          std::to_string(attachment) + "}}",
                      s.client)
                .status,
            201);

  std::atomic<bool> running{true};
  std::atomic<int> acknowledged{0};
  std::thread sender([&] {
    for (int i = 0; running; ++i)
      if (s.api
              .sendText(i % 2 ? s.client : s.technician, s.conversation_id,
                        "message " + std::to_string(i))
              .status == 201)
        ++acknowledged;
  });
  while (acknowledged < 40) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  TempDir work;
  const std::string backup = work.file("backup");
  const int acknowledged_before = acknowledged;
  std::string output;
  const int backup_rc =
      fieldlinkd({"--data-dir=" + s.server.dataDir(), "--backup=" + backup}, output);
  const int acknowledged_during = acknowledged - acknowledged_before;
  while (acknowledged < acknowledged_before + acknowledged_during + 20)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  running = false;
  sender.join();
  ASSERT_EQ(backup_rc, 0) << output;
  EXPECT_TRUE(Poco::File(backup + "/backup.json").exists());
  const auto original = s.api.history(s.client, s.conversation_id);

  // Restoring under the running server is refused; so is an incomplete backup.
  EXPECT_NE(fieldlinkd({"--data-dir=" + s.server.dataDir(), "--restore=" + backup}, output), 0);
  EXPECT_NE(output.find("another fieldlinkd"), std::string::npos) << output;
  EXPECT_NE(fieldlinkd({"--data-dir=" + work.file("x"), "--restore=" + work.path()}, output), 0);
  EXPECT_NE(output.find("no complete backup"), std::string::npos) << output;

  const std::string restored_dir = work.file("restored");
  ASSERT_EQ(fieldlinkd({"--data-dir=" + restored_dir, "--restore=" + backup}, output), 0) << output;
  EXPECT_NE(fieldlinkd({"--data-dir=" + restored_dir, "--restore=" + backup}, output), 0);
  EXPECT_NE(output.find("move the current data aside"), std::string::npos) << output;

  ServerProcess::Options restored_options = options;
  restored_options.data_dir = restored_dir;
  restored_options.bootstrap_dispatcher = false;  // the accounts came with the backup
  ServerProcess restored_server(restored_options);
  ApiClient restored_api(restored_server.port());
  const auto restored = restored_api.history(restored_api.login("alice"), s.conversation_id);

  // A prefix of the original, identical message for message, holding at least everything
  // acknowledged before the backup started.
  ASSERT_LE(restored.size(), original.size());
  EXPECT_GE(restored.size(), static_cast<std::size_t>(acknowledged_before) + 3)
      << "system, file, then the texts";
  for (std::size_t i = 0; i < restored.size(); ++i)
    ASSERT_EQ(asJson(restored[i]), asJson(original[i])) << "message " << i;
  const auto download = restored_api.http().get(
      "/api/chat/attachments/" + std::to_string(attachment) + "/", restored_api.login("tom"));
  EXPECT_EQ(download.status, 200);
  EXPECT_EQ(download.body, photo);
}

TEST(Backup, ASecondServerOnTheSameDataIsRefused) {
  FIELDLINK_SQLITE_ONLY();
  Scene s;
  ServerProcess::Options options;
  options.data_dir = s.server.dataDir();
  options.bootstrap_dispatcher = false;
  try {
    ServerProcess second(options);
    FAIL() << "a second server started on the same data";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("another fieldlinkd"), std::string::npos) << e.what();
  }
  EXPECT_EQ(s.api.sendText(s.client, s.conversation_id, "still here").status, 201);
}

// The package's daily timer runs `fieldlinkd --backup` without a folder: dated backups in
// backup.dir, the newest backup.keep of them kept, and the newest restores.
TEST(Backup, TheTimersCommandKeepsTheNewestBackupsAndTheNewestRestores) {
  FIELDLINK_SQLITE_ONLY();
  Scene s;
  TempDir work;
  const std::string backups = work.file("backups");
  std::string output;
  for (int i = 1; i <= 3; ++i) {
    ASSERT_EQ(
        s.api.sendText(s.client, s.conversation_id, "before backup " + std::to_string(i)).status,
        201);
    ASSERT_EQ(s.server.command({"--backup", "--set=backup.dir=" + backups, "--set=backup.keep=2"},
                               output),
              0)
        << output;
  }
  EXPECT_NE(output.find("removed old backup"), std::string::npos) << output;
  // A backup cut short (no backup.json) is not counted, and goes at the next run.
  Poco::File(backups + "/fieldlink-20000101T000000.000Z").createDirectories();
  ASSERT_EQ(
      s.server.command({"--backup", "--set=backup.dir=" + backups, "--set=backup.keep=2"}, output),
      0)
      << output;
  EXPECT_NE(output.find("removed incomplete backup"), std::string::npos) << output;
  std::vector<std::string> kept;
  Poco::File(backups).list(kept);
  std::sort(kept.begin(), kept.end());
  ASSERT_EQ(kept.size(), 2u);
  for (const auto& name : kept) EXPECT_EQ(name.rfind("fieldlink-", 0), 0u) << name;

  const std::string restored_dir = work.file("restored");
  ASSERT_EQ(fieldlinkd({"--data-dir=" + restored_dir, "--restore=" + backups + "/" + kept.back()},
                       output),
            0)
      << output;
  ServerProcess::Options restored_options;
  restored_options.data_dir = restored_dir;
  restored_options.bootstrap_dispatcher = false;
  ServerProcess restored_server(restored_options);
  ApiClient restored_api(restored_server.port());
  const auto history = restored_api.history(restored_api.login("alice"), s.conversation_id);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back()->getObject("content")->getValue<std::string>("text"), "before backup 3");
}

}  // namespace
}  // namespace fieldlink::testing

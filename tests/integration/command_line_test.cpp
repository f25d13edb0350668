// fieldlinkd's one-off commands and start-up refusals.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <Poco/Net/NetworkInterface.h>
#include <Poco/Net/StreamSocket.h>

#include <fieldlink/sdk/api_version.hpp>

#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

TEST(CommandLine, CreateUserReadsThePasswordFromStandardInput) {
  TempDir dir;
  std::string output;
  auto env = ServerProcess::baseEnvironment();
  ASSERT_EQ(ServerProcess::runCommand(
                {"--data-dir=" + dir.file("data"), "--create-user=chief", "--role=dispatcher"}, env,
                output, "stdin-password-1\n"),
            0)
      << output;
  EXPECT_NE(output.find("created dispatcher 'chief'"), std::string::npos) << output;
  // The same name again is refused.
  EXPECT_NE(ServerProcess::runCommand({"--data-dir=" + dir.file("data"), "--create-user=chief"},
                                      env, output, "stdin-password-1\n"),
            0);
  EXPECT_NE(output.find("already exists"), std::string::npos) << output;
}

TEST(CommandLine, CreatedDispatcherCanLogIn) {
  ServerProcess server;  // bootstraps "boss" through --create-user with FIELDLINK_PASSWORD
  ApiClient api(server.port());
  const auto me = api.http().get("/api/users/me/", api.login("boss", ServerProcess::kBossPassword));
  EXPECT_EQ(me.object()->getValue<std::string>("role"), "dispatcher");
}

TEST(CommandLine, PlaceholderSecretIsRefusedAtStart) {
  TempDir dir;
  auto env = ServerProcess::baseEnvironment();
  env.erase("FIELDLINK_AUTH_JWT_SECRET");
  std::string output;
  EXPECT_NE(ServerProcess::runCommand({"--data-dir=" + dir.file("data"), "--port=0"}, env, output),
            0);
  EXPECT_NE(output.find("auth.jwt_secret"), std::string::npos) << output;
}

TEST(CommandLine, ConfigFileIsReadAndCommandLineWins) {
  TempDir dir;
  std::ofstream(dir.file("fl.properties")) << "http.port = 99999\nauth.jwt_secret = "
                                              "file-secret-0123456789abcdef0123456789\n";
  auto env = ServerProcess::baseEnvironment();
  env.erase("FIELDLINK_AUTH_JWT_SECRET");
  std::string output;
  // The file's port is out of range: refused with the key named.
  EXPECT_NE(
      ServerProcess::runCommand(
          {"--config=" + dir.file("fl.properties"), "--data-dir=" + dir.file("d")}, env, output),
      0);
  EXPECT_NE(output.find("http.port"), std::string::npos) << output;
  // The environment overrides the file; --create-user never opens the port at all.
  env["FIELDLINK_HTTP_PORT"] = "8123";
  env["FIELDLINK_PASSWORD"] = "password-123";
  EXPECT_EQ(
      ServerProcess::runCommand({"--config=" + dir.file("fl.properties"),
                                 "--data-dir=" + dir.file("d"), "--create-user=x", "--role=client"},
                                env, output),
      0)
      << output;
}

TEST(CommandLine, SecondServerOnATakenPortRefusesToStart) {
  ServerProcess first;
  TempDir dir;
  std::string output;
  // Without SO_REUSEPORT the kernel refuses the bind instead of splitting connections.
  EXPECT_NE(ServerProcess::runCommand(
                {"--data-dir=" + dir.file("data"), "--port=" + std::to_string(first.port())},
                ServerProcess::baseEnvironment(), output),
            0);
  EXPECT_NE(output.find("Address already in use"), std::string::npos) << output;
  EXPECT_TRUE(first.running());
}

TEST(CommandLine, CheckConfigPassesAGoodFileWarnsOfUnknownKeysAndFailsOnBadValues) {
  TempDir dir;
  const std::string data = dir.file("data");
  const auto check = [&](const std::string& text, std::string& output) {
    std::ofstream(dir.file("fieldlink.properties")) << text;
    return ServerProcess::runCommand(
        {"--config=" + dir.file("fieldlink.properties"), "--check-config"},
        ServerProcess::baseEnvironment(), output);
  };
  std::string output;
  EXPECT_EQ(
      check("http.port = 9000\ndata.dir = " + data + "\nplugins.text.max_length = 500\n", output),
      0)
      << output;
  EXPECT_NE(output.find("configuration OK"), std::string::npos) << output;
  EXPECT_EQ(output.find("warning"), std::string::npos) << output;

  // A misspelled key is named, with the key that was meant; the file is still usable.
  EXPECT_EQ(check("http.prot = 9000\ndata.dir = " + data + "\n", output), 0) << output;
  EXPECT_NE(output.find("unknown key 'http.prot' (did you mean 'http.port'?)"), std::string::npos)
      << output;
  EXPECT_NE(output.find("configuration OK (1 warning)"), std::string::npos) << output;

  // A value out of range is an error, and nothing is created.
  EXPECT_NE(check("http.port = 99999\ndata.dir = " + data + "\n", output), 0) << output;
  EXPECT_NE(output.find("configuration error"), std::string::npos) << output;
  EXPECT_FALSE(std::filesystem::exists(data));
}

TEST(CommandLine, UnknownKeysAreWarnedOfAtStart) {
  ServerProcess::Options options;
  options.extra_args.push_back("--set=ws.max_frame_byte=1000");
  ServerProcess server(options);
  EXPECT_NE(server.log().find("unknown key 'ws.max_frame_byte'"), std::string::npos)
      << server.log();
}

TEST(CommandLine, HelpListsEveryKeyWithItsEnvironmentName) {
  std::string output;
  EXPECT_EQ(ServerProcess::runCommand({"--help"}, {}, output), 0);
  EXPECT_NE(output.find("FIELDLINK_HTTP_PORT"), std::string::npos) << output;
  EXPECT_NE(output.find("plugins.enabled"), std::string::npos);
  EXPECT_NE(output.find("--create-user"), std::string::npos);
}

TEST(CommandLine, VersionSaysTheBuildAndTheServerLogsAndServesTheSame) {
  std::string output;
  ASSERT_EQ(ServerProcess::runCommand({"--version"}, {}, output), 0) << output;
  std::smatch found;
  ASSERT_TRUE(std::regex_search(
      output, found,
      std::regex(R"(^fieldlinkd (\d+\.\d+\.\d+) \(git ([0-9a-f]{12}(-modified)?|unknown)\)\n)"
                 R"(built with (gcc|clang) \d+, (libstdc\+\+|libc\+\+) .+\n)"
                 R"(SDK API (\d+), Poco \d+\.\d+\.\d+\n$)")))
      << output;
  EXPECT_EQ(std::stoi(found[6]), sdk::kApiVersion);
  const std::string version = found[1];
  const std::string commit = found[2];
  // The running server says the same in its log and its metrics.
  ServerProcess server;
  EXPECT_NE(server.log().find("fieldlinkd " + version + " (git " + commit + ")"), std::string::npos)
      << server.log();
  const auto metrics = HttpClient(server.port()).get("/metrics").body;
  EXPECT_NE(metrics.find("fieldlink_build_info{version=\"" + version + "\",commit=\"" + commit +
                         "\",sdk_api=\"" + std::to_string(sdk::kApiVersion) + "\"} 1"),
            std::string::npos)
      << metrics;
}

// The release and debug builds link jemalloc (core/CMakeLists.txt); the sanitizer builds
// must not, since ASan replaces malloc itself.
TEST(CommandLine, LogsTheMemoryAllocatorAndSqliteModeItRunsOn) {
  ServerProcess server;
#ifdef FIELDLINK_SERVER_ON_JEMALLOC
  EXPECT_NE(server.log().find("memory allocator: jemalloc 5."), std::string::npos) << server.log();
#else
  EXPECT_NE(server.log().find("memory allocator: glibc malloc"), std::string::npos) << server.log();
#endif
  // The store is the first to use SQLite in the process, so it can turn SQLite's
  // per-connection mutexes off (core/store/sqlite/sqlite_store.cpp).
  if (!server.database()) {
    EXPECT_NE(server.log().find("connection mutexes off"), std::string::npos) << server.log();
  }
}

TEST(CommandLine, DemoSeedsAccountsAndAnAssignedRequestOnce) {
  ServerProcess::Options options;
  options.extra_args = {"--demo"};
  options.bootstrap_dispatcher = false;
  ServerProcess server(options);
  EXPECT_NE(server.log().find("client / client-demo"), std::string::npos) << server.log();
  ApiClient api(server.port());
  const auto requests =
      api.http().get("/api/requests/", api.login("client", "client-demo")).array();
  ASSERT_EQ(requests->size(), 1u);
  EXPECT_EQ(requests->getObject(0)->getValue<std::string>("status"), "assigned");
}

// An address of this machine other than loopback, or "" when it has none.
std::string outwardAddress() {
  for (const auto& nic : Poco::Net::NetworkInterface::list())
    if (nic.supportsIPv4() && !nic.address().isLoopback() && nic.address().isUnicast())
      return nic.address().toString();
  return "";
}

bool answersOn(const std::string& address, int port) {
  try {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress(address, static_cast<Poco::UInt16>(port)),
                   Poco::Timespan(2, 0));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

// The demo's passwords are public: --demo listens on loopback whatever http.address says,
// unless --demo-public.
TEST(CommandLine, TheDemoListensOnLoopbackOnlyUnlessDemoPublic) {
  const std::string outward = outwardAddress();
  ServerProcess::Options options;
  options.extra_args = {"--demo"};
  options.bootstrap_dispatcher = false;
  options.env["FIELDLINK_HTTP_ADDRESS"] = "0.0.0.0";
  ServerProcess demo(options);
  EXPECT_NE(demo.log().find("--demo: listening on 127.0.0.1 only"), std::string::npos)
      << demo.log();
  EXPECT_TRUE(answersOn("127.0.0.1", demo.port()));
  if (!outward.empty()) {
    EXPECT_FALSE(answersOn(outward, demo.port())) << outward;
  }

  options.extra_args = {"--demo", "--demo-public"};
  ServerProcess open_demo(options);
  EXPECT_EQ(open_demo.log().find("listening on 127.0.0.1 only"), std::string::npos);
  if (outward.empty()) GTEST_SKIP() << "no address but loopback here to try from";
  EXPECT_TRUE(answersOn(outward, open_demo.port())) << outward;
}

}  // namespace
}  // namespace fieldlink::testing

namespace fieldlink::testing {
namespace {

// Under the asan preset this also fails on leaks or memory errors at shutdown.
TEST(CommandLine, ServerStopsCleanlyOnSigterm) {
  Scene scene;
  WsClient client(scene.server.port(), "/ws/?token=" + scene.client);
  WsClient technician(scene.server.port(), "/ws/?token=" + scene.technician);
  client.sendJson(
      "{\"type\":\"message\",\"conversation_id\":" + std::to_string(scene.conversation_id) +
      ",\"message_type\":\"text\",\"content\":{\"text\":\"bye\"}}");
  ASSERT_TRUE(technician.nextOfType("message"));
  scene.api.sendText(scene.client, scene.conversation_id, "before shutdown");
  EXPECT_EQ(scene.server.stop(), 0) << scene.server.log();
  // Open connections are told the server is going away.
  EXPECT_EQ(client.awaitClose(), 1001);
}

}  // namespace
}  // namespace fieldlink::testing

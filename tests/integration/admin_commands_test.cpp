// fieldlinkd's commands on accounts beside a running server: --list-users, --disable-user,
// --enable-user, --reset-password. On the MySQL pass they run against MariaDB.
#include <gtest/gtest.h>

#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

using namespace std::chrono_literals;

std::string run(const Scene& scene, const std::vector<std::string>& args,
                const std::string& stdin_text = "", int expected_exit = 0) {
  std::string output;
  EXPECT_EQ(scene.server.command(args, output, stdin_text), expected_exit) << output;
  return output;
}

// The refresh token of a fresh login.
std::string refreshTokenOf(const Scene& scene, const std::string& username,
                           const std::string& password = "password-123") {
  const auto answer = scene.api.http().post(
      "/api/token/", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
  EXPECT_EQ(answer.status, 200) << answer.body;
  return answer.status == 200 ? answer.object()->getValue<std::string>("refresh") : "";
}

HttpResult refresh(const Scene& scene, const std::string& token) {
  return scene.api.http().post("/api/token/refresh/", "{\"refresh\":\"" + token + "\"}");
}

std::string codeOf(const HttpResult& result) {
  const auto body = result.object();
  return body ? body->optValue<std::string>("code", "") : "";
}

TEST(AdminCommands, ListUsersShowsEveryUserOrThoseOfOneRole) {
  Scene scene;
  const auto all = run(scene, {"--list-users"});
  for (const char* name : {"boss", "alice", "tom", "mallory", "ted"})
    EXPECT_NE(all.find(name), std::string::npos) << all;
  EXPECT_NE(all.find("5 users"), std::string::npos) << all;
  const auto technicians = run(scene, {"--list-users", "--role=technician"});
  EXPECT_NE(technicians.find("tom"), std::string::npos) << technicians;
  EXPECT_NE(technicians.find("ted"), std::string::npos) << technicians;
  EXPECT_EQ(technicians.find("alice"), std::string::npos) << technicians;
  EXPECT_NE(technicians.find("2 users"), std::string::npos) << technicians;
  run(scene, {"--list-users", "--role=owner"}, "", 64);  // EX_USAGE
}

TEST(AdminCommands, ADisabledUserIsSignedOutEverywhereUntilEnabled) {
  Scene scene;
  const std::string refresh_token = refreshTokenOf(scene, "alice");
  WsClient socket(scene.server.port(), "/ws/?token=" + scene.client);
  ASSERT_EQ(socket.status(), 101);
  WsClient bystander(scene.server.port(), "/ws/?token=" + scene.technician);
  ASSERT_EQ(bystander.status(), 101);

  const auto said = run(scene, {"--disable-user=alice"});
  EXPECT_NE(said.find("disabled 'alice'"), std::string::npos) << said;
  // The running server learns it from the store and closes her connection.
  EXPECT_EQ(socket.awaitClose(20s), 4401);
  EXPECT_FALSE(bystander.closed());

  const auto me = scene.api.http().get("/api/users/me/", scene.client);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(codeOf(me), "account_disabled") << me.body;
  EXPECT_EQ(refresh(scene, refresh_token).status, 401);
  const auto login = scene.api.http().post(
      "/api/token/", "{\"username\":\"alice\",\"password\":\"password-123\"}");
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(codeOf(login), "account_disabled") << login.body;
  WsClient refused(scene.server.port(), "/ws/?token=" + scene.client);
  EXPECT_EQ(refused.awaitClose(), 4401);
  EXPECT_NE(run(scene, {"--list-users", "--role=client"}).find("disabled"), std::string::npos);

  run(scene, {"--enable-user=alice"});
  // She signs in again; what she held before stays ended.
  EXPECT_EQ(scene.api.http().get("/api/users/me/", scene.api.login("alice")).status, 200);
  EXPECT_EQ(codeOf(refresh(scene, refresh_token)), "session_revoked");
  EXPECT_EQ(scene.api.http().get("/api/users/me/", scene.client).status, 401);
}

TEST(AdminCommands, ResetPasswordEndsTheUsersSessions) {
  Scene scene;
  const std::string refresh_token = refreshTokenOf(scene, "tom");
  WsClient socket(scene.server.port(), "/ws/?token=" + scene.technician);
  ASSERT_EQ(socket.status(), 101);

  // Too short: refused, nothing changes.
  run(scene, {"--reset-password=tom"}, "short\n", 65);  // EX_DATAERR
  EXPECT_EQ(scene.api.http().get("/api/users/me/", scene.technician).status, 200);

  const auto said = run(scene, {"--reset-password=tom"}, "a-new-password-9\n");
  EXPECT_NE(said.find("new password for 'tom'"), std::string::npos) << said;
  EXPECT_EQ(socket.awaitClose(20s), 4401);
  const auto me = scene.api.http().get("/api/users/me/", scene.technician);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(codeOf(me), "session_revoked") << me.body;
  EXPECT_EQ(codeOf(refresh(scene, refresh_token)), "session_revoked");
  EXPECT_EQ(scene.api.http()
                .post("/api/token/", "{\"username\":\"tom\",\"password\":\"password-123\"}")
                .status,
            401);
  // The new password works at once, and so do the tokens it gives.
  const std::string fresh = refreshTokenOf(scene, "tom", "a-new-password-9");
  EXPECT_EQ(refresh(scene, fresh).status, 200);
}

TEST(AdminCommands, AnUnknownUserIsAnErrorThatChangesNothing) {
  Scene scene;
  std::string output;
  for (const char* command : {"--disable-user=nobody", "--enable-user=nobody"}) {
    EXPECT_EQ(scene.server.command({command}, output), 65) << output;
    EXPECT_NE(output.find("No user named 'nobody'"), std::string::npos) << output;
  }
  EXPECT_EQ(scene.server.command({"--reset-password=nobody"}, output, "a-new-password-9\n"), 65);
  EXPECT_NE(run(scene, {"--list-users"}).find("5 users"), std::string::npos);
}

}  // namespace
}  // namespace fieldlink::testing

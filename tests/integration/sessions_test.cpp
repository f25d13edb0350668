// Sessions through the API: refresh tokens rotate, a spent one presented again ends its
// session (reuse detection), and logout ends one session or all of them.
#include <gtest/gtest.h>

#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

using namespace std::chrono_literals;

struct Tokens {
  std::string access, refresh;
};

Tokens signIn(const Scene& scene, const std::string& username) {
  const auto answer = scene.api.http().post(
      "/api/token/", "{\"username\":\"" + username + "\",\"password\":\"password-123\"}");
  EXPECT_EQ(answer.status, 200) << answer.body;
  return {answer.object()->getValue<std::string>("access"),
          answer.object()->getValue<std::string>("refresh")};
}

HttpResult refresh(const Scene& scene, const std::string& token) {
  return scene.api.http().post("/api/token/refresh/", "{\"refresh\":\"" + token + "\"}");
}

Tokens rotated(const Scene& scene, const std::string& token) {
  const auto answer = refresh(scene, token);
  EXPECT_EQ(answer.status, 200) << answer.body;
  if (answer.status != 200) return {};
  return {answer.object()->getValue<std::string>("access"),
          answer.object()->getValue<std::string>("refresh")};
}

TEST(Sessions, RefreshTokensRotateAndASpentOneEndsItsSession) {
  Scene scene;
  const Tokens first = signIn(scene, "alice");
  const Tokens second = rotated(scene, first.refresh);
  EXPECT_NE(second.refresh, first.refresh);
  EXPECT_EQ(scene.api.http().get("/api/users/me/", second.access).status, 200);
  const Tokens third = rotated(scene, second.refresh);

  // The first token again: someone else holds this session. All of it ends.
  const auto reused = refresh(scene, first.refresh);
  EXPECT_EQ(reused.status, 401);
  EXPECT_EQ(reused.code(), "token_reused") << reused.body;
  const auto after = refresh(scene, third.refresh);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.code(), "token_revoked") << after.body;
  // Other sessions of the same user, and signing in again, are untouched.
  const Tokens other = signIn(scene, "alice");
  EXPECT_EQ(refresh(scene, other.refresh).status, 200);
}

TEST(Sessions, LogoutEndsOneSessionAndAllEndsEveryOne) {
  Scene scene;
  const Tokens phone = signIn(scene, "alice");
  const Tokens laptop = signIn(scene, "alice");
  const auto logout = [&](const std::string& access, const std::string& body) {
    return scene.api.http().post("/api/auth/logout/", body, access);
  };

  EXPECT_EQ(logout(phone.access, "{\"refresh\":\"" + phone.refresh + "\"}").status, 204);
  EXPECT_EQ(refresh(scene, phone.refresh).code(), "token_revoked");
  const Tokens laptop_now = rotated(scene, laptop.refresh);

  // Another user's token is refused; one that does not verify is nothing to end; no field
  // at all is a bad request.
  const Tokens bob = signIn(scene, "mallory");
  EXPECT_EQ(logout(bob.access, "{\"refresh\":\"" + laptop_now.refresh + "\"}").status, 403);
  EXPECT_EQ(logout(bob.access, "{\"refresh\":\"not-a-token\"}").status, 204);
  EXPECT_EQ(logout(bob.access, "{}").status, 400);
  EXPECT_EQ(scene.api.http().post("/api/auth/logout/", "{\"all\":true}").status, 401);
  EXPECT_EQ(refresh(scene, laptop_now.refresh).status, 200) << "mallory ended nothing of alice's";

  // Everywhere: every token of hers stops at once, and her WebSocket closes.
  const Tokens last = signIn(scene, "alice");
  WsClient socket(scene.server.port(), "/ws/?token=" + last.access);
  ASSERT_EQ(socket.status(), 101);
  EXPECT_EQ(logout(last.access, "{\"all\":true}").status, 204);
  const auto me = scene.api.http().get("/api/users/me/", last.access);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.code(), "session_revoked");
  EXPECT_EQ(refresh(scene, last.refresh).status, 401);
  EXPECT_EQ(socket.awaitClose(20s), 4401);
  EXPECT_EQ(scene.api.http().get("/api/users/me/", bob.access).status, 200);
}

}  // namespace
}  // namespace fieldlink::testing

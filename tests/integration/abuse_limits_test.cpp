// Password guessing and sign-up floods meet 429 with Retry-After, counted per account and
// per client address; behind a trusted proxy the address is the one it forwards.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/scene.hpp"

namespace fieldlink::testing {
namespace {

HttpResult login(const Scene& s, const std::string& username, const std::string& password,
                 const std::string& forwarded_for = "") {
  std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
  if (!forwarded_for.empty()) headers["X-Forwarded-For"] = forwarded_for;
  return s.api.http().request(
      "POST", "/api/token/",
      "{\"username\":" + jsonString(username) + ",\"password\":" + jsonString(password) + "}",
      headers);
}

HttpResult registration(const Scene& s, const std::string& username) {
  return s.api.http().request("POST", "/api/auth/register/",
                              "{\"username\":" + jsonString(username) +
                                  R"(,"password":"password-123","display_name":"Someone"})",
                              {{"Content-Type", "application/json"}});
}

TEST(AbuseLimits, FailedLoginsLockTheAccountForAWindowEvenWithTheRightPassword) {
  ServerProcess::Options options;
  options.env["FIELDLINK_AUTH_LOGIN_FAILURES_PER_ACCOUNT"] = "3";
  options.env["FIELDLINK_AUTH_LOGIN_WINDOW"] = "2";
  Scene s(options);
  // A look-alike of a name is no account, on every backend (MySQL's collation would find
  // alice), so guessing through it gets nowhere and spends no budget of alice's.
  for (const char* look_alike : {"alicé", "ａｌｉｃｅ"}) {
    const auto refused = login(s, look_alike, "password-123");
    EXPECT_EQ(refused.status, 401) << look_alike;
    EXPECT_EQ(refused.code(), "invalid_credentials") << look_alike;
  }
  // Usernames ignore case and surrounding spaces, and so does their count.
  for (const char* name : {"alice", "Alice ", " ALICE"})
    EXPECT_EQ(login(s, name, "wrong guess").status, 401);
  const auto limited = login(s, "alice", "password-123");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.code(), "too_many_requests");
  ASSERT_TRUE(limited.headers.count("Retry-After"));
  const int wait = std::stoi(limited.headers.at("Retry-After"));
  EXPECT_GE(wait, 1);
  EXPECT_LE(wait, 2);
  // An unknown account is answered the same way, so the limit reveals nothing.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(login(s, "nobody", "guess").status, 401);
  EXPECT_EQ(login(s, "nobody", "guess").status, 429);
  // Others are not affected; the account opens again once the window is over.
  EXPECT_EQ(login(s, "tom", "password-123").status, 200);
  std::this_thread::sleep_for(std::chrono::seconds(wait) + std::chrono::milliseconds(100));
  EXPECT_EQ(login(s, "alice ", "password-123").status, 200);
}

TEST(AbuseLimits, FailedLoginsAreCountedPerForwardedAddressBehindATrustedProxy) {
  ServerProcess::Options options;
  options.env["FIELDLINK_AUTH_LOGIN_FAILURES_PER_ADDRESS"] = "4";
  options.env["FIELDLINK_HTTP_TRUSTED_PROXIES"] = "127.0.0.1, ::1";
  Scene s(options);
  const std::string guesser = "203.0.113.7";
  for (const char* name : {"alice", "tom", "mallory", "ted"})
    EXPECT_EQ(login(s, name, "guess", guesser).status, 401);
  EXPECT_EQ(login(s, "boss", ServerProcess::kBossPassword, guesser).status, 429);
  // Another client behind the same proxy logs in; the log shows the forwarded address.
  EXPECT_EQ(login(s, "boss", ServerProcess::kBossPassword, "198.51.100.9").status, 200);
  EXPECT_NE(s.server.log().find("198.51.100.9"), std::string::npos);
}

TEST(AbuseLimits, ForwardedAddressesFromAnUntrustedPeerAreIgnored) {
  ServerProcess::Options options;
  options.env["FIELDLINK_AUTH_LOGIN_FAILURES_PER_ADDRESS"] = "2";
  Scene s(options);  // no trusted proxies: the peer, 127.0.0.1, is the client
  EXPECT_EQ(login(s, "alice", "guess", "203.0.113.1").status, 401);
  EXPECT_EQ(login(s, "tom", "guess", "203.0.113.2").status, 401);
  EXPECT_EQ(login(s, "mallory", "password-123", "203.0.113.3").status, 429);
}

TEST(AbuseLimits, RegistrationsPerAddressAreLimited) {
  ServerProcess::Options options;
  options.env["FIELDLINK_AUTH_REGISTRATIONS_PER_ADDRESS"] = "3";  // the scene registers two
  Scene s(options);
  EXPECT_EQ(registration(s, "carol").status, 201);
  const auto refused = registration(s, "dave");
  EXPECT_EQ(refused.status, 429);
  EXPECT_TRUE(refused.headers.count("Retry-After"));
  EXPECT_EQ(login(s, "dave", "password-123").status, 401);  // nothing was created
}

}  // namespace
}  // namespace fieldlink::testing

// What a browser is told: security headers on every answer, and CORS for the configured
// origins only.
#include <gtest/gtest.h>

#include "support/scene.hpp"

namespace fieldlink::testing {
namespace {

constexpr const char* kApp = "https://app.example.com";

ServerProcess::Options withOrigins() {
  ServerProcess::Options options;
  options.env["FIELDLINK_HTTP_CORS_ALLOWED_ORIGINS"] = std::string(kApp) + ",http://localhost:5173";
  return options;
}

TEST(BrowserSafety, EveryAnswerCarriesTheSecurityHeaders) {
  Scene s;
  const std::vector<HttpResult> answers = {
      s.api.http().get("/api/users/me/", s.client),       // 200
      s.api.http().get("/api/users/me/"),                 // 401
      s.api.http().get("/api/nothing/here/", s.client),   // 404
      s.api.http().post("/api/token/", "{not json", ""),  // 400
      s.api.http().get("/healthz")};
  for (const auto& answer : answers) {
    SCOPED_TRACE(answer.status);
    EXPECT_EQ(answer.headers.at("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(answer.headers.at("X-Frame-Options"), "DENY");
    EXPECT_EQ(answer.headers.at("Referrer-Policy"), "no-referrer");
    EXPECT_NE(answer.headers.at("Content-Security-Policy").find("default-src 'none'"),
              std::string::npos);
    EXPECT_FALSE(answer.headers.count("Access-Control-Allow-Origin"));  // no Origin sent
  }
}

TEST(BrowserSafety, AllowedOriginsGetCorsHeadersAndOthersDoNot) {
  Scene s(withOrigins());
  const auto allowed = s.api.http().request(
      "GET", "/api/users/me/", "", {{"Authorization", "Bearer " + s.client}, {"Origin", kApp}});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(allowed.headers.at("Access-Control-Allow-Origin"), kApp);
  EXPECT_EQ(allowed.headers.at("Vary"), "Origin");
  EXPECT_NE(allowed.headers.at("Access-Control-Expose-Headers").find("Retry-After"),
            std::string::npos);

  const auto other = s.api.http().request(
      "GET", "/api/users/me/", "",
      {{"Authorization", "Bearer " + s.client}, {"Origin", "https://evil.example"}});
  EXPECT_FALSE(other.headers.count("Access-Control-Allow-Origin"));

  const auto preflight =
      s.api.http().request("OPTIONS", "/api/chat/messages/", "",
                           {{"Origin", kApp},
                            {"Access-Control-Request-Method", "POST"},
                            {"Access-Control-Request-Headers", "authorization, content-type"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.headers.at("Access-Control-Allow-Origin"), kApp);
  EXPECT_NE(preflight.headers.at("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  EXPECT_NE(preflight.headers.at("Access-Control-Allow-Headers").find("Authorization"),
            std::string::npos);

  const auto refused = s.api.http().request(
      "OPTIONS", "/api/chat/messages/", "",
      {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.code(), "origin_not_allowed");
  EXPECT_FALSE(refused.headers.count("Access-Control-Allow-Origin"));
}

}  // namespace
}  // namespace fieldlink::testing

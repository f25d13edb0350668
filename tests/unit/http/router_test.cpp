#include "http/router.hpp"

#include <gtest/gtest.h>

#include "domain/errors.hpp"

namespace fieldlink {
namespace {

Router sample() {
  Router router;
  auto ok = [](ApiRequest&) { return ApiResponse::noContent(); };
  router.add("GET", "/api/requests/", Access::Authenticated, ok);
  router.add("POST", "/api/requests/", Access::Authenticated, ok);
  router.add("GET", "/api/requests/{id}/", Access::Authenticated, ok);
  router.add("POST", "/api/requests/{id}/assign/", Access::Authenticated, ok);
  return router;
}

TEST(Router, MatchesLiteralAndCapturedSegments) {
  const Router router = sample();
  const auto match = router.match("POST", "/api/requests/17/assign/");
  EXPECT_EQ(match.route->pattern, "/api/requests/{id}/assign/");
  EXPECT_EQ(match.params.at("id"), "17");
}

TEST(Router, TrailingSlashMatters) {
  const Router router = sample();
  EXPECT_THROW(router.match("GET", "/api/requests"), NotFound);
  EXPECT_THROW(router.match("GET", "/api/requests/17"), NotFound);
}

TEST(Router, KnownPathWithOtherMethodIs405) {
  EXPECT_THROW(sample().match("DELETE", "/api/requests/"), MethodNotAllowed);
}

TEST(Router, HeadIsServedByTheGetRoute) {
  const Router router = sample();
  const auto match = router.match("HEAD", "/api/requests/5/");
  EXPECT_EQ(match.route->method, "GET");
  EXPECT_EQ(match.params.at("id"), "5");
  EXPECT_THROW(router.match("HEAD", "/api/requests/5/assign/"), MethodNotAllowed);
}

TEST(Router, UnknownAndEmptyCapturesAre404) {
  const Router router = sample();
  EXPECT_THROW(router.match("GET", "/api/nothing/"), NotFound);
  EXPECT_THROW(router.match("GET", "/api/requests//"), NotFound);
  EXPECT_THROW(router.match("GET", "/"), NotFound);
}

TEST(Router, AFallbackAnswersGetsForUnknownPathsOnly) {
  Router router = sample();
  router.setFallback(Access::Public, [](ApiRequest&) { return ApiResponse::noContent(); });
  EXPECT_EQ(router.match("GET", "/dashboard").route->access, Access::Public);
  EXPECT_EQ(router.match("HEAD", "/dashboard").route->pattern, "");
  EXPECT_THROW(router.match("POST", "/dashboard"), NotFound);
  // Known paths keep their own answers.
  EXPECT_EQ(router.match("GET", "/api/requests/").route->pattern, "/api/requests/");
  EXPECT_THROW(router.match("DELETE", "/api/requests/"), MethodNotAllowed);
}

}  // namespace
}  // namespace fieldlink

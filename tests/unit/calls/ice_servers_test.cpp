#include "calls/ice_servers.hpp"

#include <gtest/gtest.h>

#include <Poco/Exception.h>

namespace fieldlink {
namespace {

using namespace std::chrono_literals;

TEST(IceServersTest, TurnPasswordsAreTheHmacSha1OfTheUsernameAsTurnServersCheckThem) {
  // Reference value from Python: base64(hmac.new(secret, username, sha1).digest()).
  EXPECT_EQ(IceServers::turnPassword("north-wind-secret-0123", "1700003600:42"),
            "6vubSXZQULwIGlfn6tKsHFdk+S0=");
}

TEST(IceServersTest, EachUserGetsAnExpiringCredentialForTheTurnServers) {
  const IceServers servers("stun:stun.example.org:3478",
                           "turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349",
                           "north-wind-secret-0123", 3600s);
  const auto now = std::chrono::system_clock::time_point(1700000000s);
  const auto out = servers.forUser(42, now);
  EXPECT_EQ(out->getValue<int>("ttl"), 3600);
  const auto list = out->getArray("ice_servers");
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->getObject(0)->getArray("urls")->getElement<std::string>(0),
            "stun:stun.example.org:3478");
  EXPECT_FALSE(list->getObject(0)->has("username"));
  const auto turn = list->getObject(1);
  EXPECT_EQ(turn->getArray("urls")->size(), 2u);
  EXPECT_EQ(turn->getValue<std::string>("username"), "1700003600:42");
  EXPECT_EQ(turn->getValue<std::string>("credential"), "6vubSXZQULwIGlfn6tKsHFdk+S0=");
}

TEST(IceServersTest, NoneConfiguredMeansAnEmptyList) {
  const auto out = IceServers("", "", "", 3600s).forUser(1, std::chrono::system_clock::now());
  EXPECT_EQ(out->getArray("ice_servers")->size(), 0u);
}

TEST(IceServersTest, RefusesWrongSchemesAndTurnWithoutASecret) {
  EXPECT_THROW(IceServers("http://stun.example.org", "", "", 60s), Poco::InvalidArgumentException);
  EXPECT_THROW(IceServers("", "stun:x.example.org", "north-wind-secret-0123", 60s),
               Poco::InvalidArgumentException);
  EXPECT_THROW(IceServers("", "turn:x.example.org", "short", 60s), Poco::InvalidArgumentException);
  EXPECT_THROW(IceServers("stun:", "", "", 60s), Poco::InvalidArgumentException);
}

}  // namespace
}  // namespace fieldlink

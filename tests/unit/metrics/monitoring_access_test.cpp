#include <gtest/gtest.h>

#include <Poco/Exception.h>

#include "metrics/monitoring_access.hpp"

namespace fieldlink::metrics {
namespace {

Poco::Net::IPAddress ip(const std::string& text) { return Poco::Net::IPAddress(text); }

TEST(MonitoringAccess, AllowsListedAddressesAndNetworksOnly) {
  const MonitoringAccess access("127.0.0.1, 10.1.0.0/16, fd00::/8", "");
  EXPECT_TRUE(access.permits(ip("127.0.0.1"), ""));
  EXPECT_FALSE(access.permits(ip("127.0.0.2"), ""));
  EXPECT_TRUE(access.permits(ip("10.1.200.3"), ""));
  EXPECT_FALSE(access.permits(ip("10.2.0.1"), ""));
  EXPECT_TRUE(access.permits(ip("fd12::1"), ""));
  EXPECT_FALSE(access.permits(ip("fe80::1"), ""));
  EXPECT_FALSE(access.permits(ip("::1"), ""));
  // An IPv4 client reaching an IPv6 socket is judged by its IPv4 address.
  EXPECT_TRUE(access.permits(ip("::ffff:10.1.2.3"), ""));
}

TEST(MonitoringAccess, PrefixesThatDoNotEndOnAByteBoundary) {
  const MonitoringAccess access("192.168.4.0/22", "");
  EXPECT_TRUE(access.permits(ip("192.168.7.255"), ""));
  EXPECT_FALSE(access.permits(ip("192.168.8.0"), ""));
  EXPECT_FALSE(access.permits(ip("192.168.3.255"), ""));
}

TEST(MonitoringAccess, TheTokenOpensItFromAnywhere) {
  const MonitoringAccess access("127.0.0.1", "0123456789abcdef-token");
  EXPECT_TRUE(access.permits(ip("203.0.113.9"), "Bearer 0123456789abcdef-token"));
  EXPECT_FALSE(access.permits(ip("203.0.113.9"), "Bearer 0123456789abcdef-toke"));
  EXPECT_FALSE(access.permits(ip("203.0.113.9"), "0123456789abcdef-token"));
  EXPECT_FALSE(access.permits(ip("203.0.113.9"), ""));
  // No token configured: a bearer of nothing opens nothing.
  EXPECT_FALSE(MonitoringAccess("127.0.0.1", "").permits(ip("203.0.113.9"), "Bearer "));
}

TEST(MonitoringAccess, RefusesBadConfiguration) {
  EXPECT_THROW(MonitoringAccess("localhost", ""), Poco::InvalidArgumentException);
  EXPECT_THROW(MonitoringAccess("10.0.0.0/33", ""), Poco::InvalidArgumentException);
  EXPECT_THROW(MonitoringAccess("10.0.0.0/x", ""), Poco::InvalidArgumentException);
  EXPECT_THROW(MonitoringAccess("127.0.0.1", "short"), Poco::InvalidArgumentException);
  EXPECT_NO_THROW(MonitoringAccess("", ""));
}

}  // namespace
}  // namespace fieldlink::metrics

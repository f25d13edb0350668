#include "metrics/monitoring_access.hpp"

#include <cstring>

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>

namespace fieldlink::metrics {
namespace {

// Compares every byte, so the time taken does not tell how much of a guess was right.
bool sameSecret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) is the IPv4 address.
Poco::Net::IPAddress unmapped(const Poco::Net::IPAddress& address) {
  if (address.family() != Poco::Net::IPAddress::IPv6 || !address.isIPv4Mapped()) return address;
  const auto* bytes = static_cast<const unsigned char*>(address.addr());
  return Poco::Net::IPAddress(bytes + 12, 4);
}

}  // namespace

MonitoringAccess::MonitoringAccess(const std::string& allow, std::string token)
    : token_(std::move(token)) {
  if (!token_.empty() && token_.size() < 16)
    throw Poco::InvalidArgumentException("metrics.token must be empty or at least 16 characters");
  Poco::StringTokenizer entries(
      allow, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto& entry : entries) {
    const auto slash = entry.find('/');
    Network network;
    if (!Poco::Net::IPAddress::tryParse(entry.substr(0, slash), network.address))
      throw Poco::InvalidArgumentException("metrics.allow: '" + entry + "' is not an address");
    const unsigned bits = network.address.length() * 8;
    network.prefix = bits;
    if (slash != std::string::npos &&
        (!Poco::NumberParser::tryParseUnsigned(entry.substr(slash + 1), network.prefix) ||
         network.prefix > bits))
      throw Poco::InvalidArgumentException("metrics.allow: '" + entry + "' has a bad prefix");
    allowed_.push_back(network);
  }
}

bool MonitoringAccess::contains(const Network& network, const Poco::Net::IPAddress& client) {
  if (client.family() != network.address.family()) return false;
  const auto* a = static_cast<const unsigned char*>(client.addr());
  const auto* b = static_cast<const unsigned char*>(network.address.addr());
  const unsigned whole = network.prefix / 8;
  if (std::memcmp(a, b, whole) != 0) return false;
  const unsigned rest = network.prefix % 8;
  if (rest == 0) return true;
  const unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

bool MonitoringAccess::permits(const Poco::Net::IPAddress& client,
                               const std::string& authorization) const {
  const Poco::Net::IPAddress address = unmapped(client);
  for (const auto& network : allowed_)
    if (contains(network, address)) return true;
  const std::string prefix = "Bearer ";
  return !token_.empty() && authorization.rfind(prefix, 0) == 0 &&
         sameSecret(authorization.substr(prefix.size()), token_);
}

}  // namespace fieldlink::metrics

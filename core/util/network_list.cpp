#include "util/network_list.hpp"

#include <cstring>

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>

namespace fieldlink {

NetworkList::NetworkList(const std::string& entries, const std::string& setting) {
  Poco::StringTokenizer parts(
      entries, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto& entry : parts) {
    const auto slash = entry.find('/');
    Network network;
    if (!Poco::Net::IPAddress::tryParse(entry.substr(0, slash), network.address))
      throw Poco::InvalidArgumentException(setting + ": '" + entry + "' is not an address");
    const unsigned bits = network.address.length() * 8;
    network.prefix = bits;
    if (slash != std::string::npos &&
        (!Poco::NumberParser::tryParseUnsigned(entry.substr(slash + 1), network.prefix) ||
         network.prefix > bits))
      throw Poco::InvalidArgumentException(setting + ": '" + entry + "' has a bad prefix");
    networks_.push_back(network);
  }
}

Poco::Net::IPAddress NetworkList::unmapped(const Poco::Net::IPAddress& address) {
  if (address.family() != Poco::Net::IPAddress::IPv6 || !address.isIPv4Mapped()) return address;
  const auto* bytes = static_cast<const unsigned char*>(address.addr());
  return Poco::Net::IPAddress(bytes + 12, 4);
}

bool NetworkList::inside(const Network& network, const Poco::Net::IPAddress& address) {
  if (address.family() != network.address.family()) return false;
  const auto* a = static_cast<const unsigned char*>(address.addr());
  const auto* b = static_cast<const unsigned char*>(network.address.addr());
  const unsigned whole = network.prefix / 8;
  if (std::memcmp(a, b, whole) != 0) return false;
  const unsigned rest = network.prefix % 8;
  if (rest == 0) return true;
  const unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

bool NetworkList::contains(const Poco::Net::IPAddress& address) const {
  const Poco::Net::IPAddress plain = unmapped(address);
  for (const auto& network : networks_)
    if (inside(network, plain)) return true;
  return false;
}

}  // namespace fieldlink

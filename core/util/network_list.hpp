#pragma once

#include <string>
#include <vector>

#include <Poco/Net/IPAddress.h>

namespace fieldlink {

// A list of addresses and networks from the configuration ("127.0.0.1, 10.0.0.0/8, ::1").
class NetworkList {
 public:
  NetworkList() = default;
  // Throws Poco::InvalidArgumentException naming `setting` and the entry at fault.
  NetworkList(const std::string& entries, const std::string& setting);

  // An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) counts as the IPv4 address.
  bool contains(const Poco::Net::IPAddress& address) const;
  bool empty() const { return networks_.empty(); }

  static Poco::Net::IPAddress unmapped(const Poco::Net::IPAddress& address);

 private:
  struct Network {
    Poco::Net::IPAddress address;
    unsigned prefix = 0;
  };
  static bool inside(const Network& network, const Poco::Net::IPAddress& address);

  std::vector<Network> networks_;
};

}  // namespace fieldlink

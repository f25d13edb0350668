#include "http/client_address.hpp"

#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace fieldlink {

Poco::Net::IPAddress clientAddressOf(const Poco::Net::HTTPServerRequest& request,
                                     const NetworkList& trusted_proxies) {
  Poco::Net::IPAddress client = NetworkList::unmapped(request.clientAddress().host());
  if (trusted_proxies.empty() || !trusted_proxies.contains(client)) return client;
  // Each proxy appends the address it received from: read from the right, past our own.
  Poco::StringTokenizer hops(request.get("X-Forwarded-For", ""), ",",
                             Poco::StringTokenizer::TOK_TRIM);
  for (auto hop = hops.end(); hop != hops.begin();) {
    --hop;
    Poco::Net::IPAddress address;
    if (!Poco::Net::IPAddress::tryParse(*hop, address)) break;
    client = NetworkList::unmapped(address);
    if (!trusted_proxies.contains(client)) break;
  }
  return client;
}

}  // namespace fieldlink

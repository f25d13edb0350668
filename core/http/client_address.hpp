#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/IPAddress.h>

#include "util/network_list.hpp"

namespace fieldlink {

// The client's address: the peer's, unless the peer is one of `trusted_proxies`; then the
// nearest address in X-Forwarded-For that is not a trusted proxy. A header from anyone else
// is ignored, so clients cannot choose the address their limits are counted against.
Poco::Net::IPAddress clientAddressOf(const Poco::Net::HTTPServerRequest& request,
                                     const NetworkList& trusted_proxies);

}  // namespace fieldlink

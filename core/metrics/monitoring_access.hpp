#pragma once

#include <string>

#include <Poco/Net/IPAddress.h>

#include "util/network_list.hpp"

namespace fieldlink::metrics {

// Who may read /metrics: clients from allowed networks, or anyone presenting the token.
class MonitoringAccess {
 public:
  MonitoringAccess() = default;
  // `allow`: comma-separated addresses or networks ("127.0.0.1", "10.0.0.0/8", "::1");
  // `token`: empty, or at least 16 characters. Throws Poco::InvalidArgumentException.
  MonitoringAccess(const std::string& allow, std::string token);

  bool permits(const Poco::Net::IPAddress& client, const std::string& authorization) const;

 private:
  NetworkList allowed_;
  std::string token_;
};

}  // namespace fieldlink::metrics

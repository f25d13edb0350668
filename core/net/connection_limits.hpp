#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace fieldlink::net {

// How many connections the server holds open, in all and per client address, so that one
// address cannot take every slot (http.max_connections, http.max_connections_per_address).
// A slot is held by a Lease for the life of the connection, whatever protocol it speaks.
class ConnectionLimits {
 public:
  class Lease;

  ConnectionLimits(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // A slot for a connection from `address`, or null when there is none left. Addresses that
  // are `exempt` (trusted proxies, behind which many clients share one address) count only
  // towards the total.
  std::unique_ptr<Lease> acquire(const std::string& address, bool exempt);
  std::size_t open() const;

 private:
  void release(const std::string& address);

  const std::size_t max_total_;
  const std::size_t max_per_address_;
  mutable std::mutex mutex_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> per_address_;
};

class ConnectionLimits::Lease {
 public:
  Lease(ConnectionLimits& limits, std::string address)
      : limits_(limits), address_(std::move(address)) {}
  ~Lease() { limits_.release(address_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

 private:
  ConnectionLimits& limits_;
  std::string address_;
};

}  // namespace fieldlink::net

#include "net/connection_limits.hpp"

namespace fieldlink::net {

std::unique_ptr<ConnectionLimits::Lease> ConnectionLimits::acquire(const std::string& address,
                                                                   bool exempt) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (total_ >= max_total_) return nullptr;
  // Exempt addresses are kept under an empty key: they count towards the total only.
  const std::string key = exempt ? std::string() : address;
  auto& mine = per_address_[key];
  if (!exempt && mine >= max_per_address_) {
    if (mine == 0) per_address_.erase(key);
    return nullptr;
  }
  ++mine;
  ++total_;
  return std::make_unique<Lease>(*this, key);
}

void ConnectionLimits::release(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  --total_;
  const auto it = per_address_.find(key);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

std::size_t ConnectionLimits::open() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_;
}

}  // namespace fieldlink::net

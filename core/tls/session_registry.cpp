#include "tls/session_registry.hpp"

#include <mutex>
#include <unordered_map>

namespace fieldlink::tls {
namespace {

std::mutex registry_mutex;
std::unordered_map<int, SSL*>& registry() {
  static std::unordered_map<int, SSL*> sessions;
  return sessions;
}

}  // namespace

void rememberSession(int fd, SSL* ssl) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  registry()[fd] = ssl;
}

SSL* takeSession(int fd) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  const auto it = registry().find(fd);
  if (it == registry().end()) return nullptr;
  SSL* ssl = it->second;
  registry().erase(it);
  return ssl;
}

}  // namespace fieldlink::tls

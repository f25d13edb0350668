#include "logging/request_context.hpp"

#include <random>

#include <Poco/NumberFormatter.h>

namespace fieldlink::logging {
namespace {

thread_local std::string current_id;

bool isSensibleId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      return false;
  return true;
}

}  // namespace

const std::string& currentRequestId() { return current_id; }

RequestIdScope::RequestIdScope(std::string id) : previous_(std::move(current_id)) {
  current_id = std::move(id);
}

RequestIdScope::~RequestIdScope() { current_id = std::move(previous_); }

std::string requestIdFrom(const std::string& header) {
  if (isSensibleId(header)) return header;
  thread_local std::mt19937_64 random{std::random_device{}()};
  return Poco::NumberFormatter::formatHex(random(), 16);
}

}  // namespace fieldlink::logging

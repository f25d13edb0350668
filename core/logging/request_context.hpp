#pragma once

#include <string>

namespace fieldlink::logging {

// The id of the request the current thread is serving, so that every log line written
// while serving it carries the id. Empty outside a request.
const std::string& currentRequestId();

// Sets the current thread's request id for its lifetime.
class RequestIdScope {
 public:
  explicit RequestIdScope(std::string id);
  ~RequestIdScope();
  RequestIdScope(const RequestIdScope&) = delete;
  RequestIdScope& operator=(const RequestIdScope&) = delete;

 private:
  std::string previous_;
};

// The client's X-Request-Id when it is a sensible token (1-64 of [A-Za-z0-9._-]), so that a
// proxy's id follows the request; a new random id otherwise.
std::string requestIdFrom(const std::string& header);

}  // namespace fieldlink::logging

#pragma once

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>

namespace fieldlink {

// The core's failures. Domain code throws these; http/error_response.cpp is the one place
// that turns them into an API error body and status.
class ApiError : public std::runtime_error {
 public:
  ApiError(std::string code, const std::string& detail)
      : std::runtime_error(detail), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

#define FIELDLINK_API_ERROR(NAME, DEFAULT_CODE)                               \
  class NAME : public ApiError {                                              \
   public:                                                                    \
    explicit NAME(const std::string& detail, std::string code = DEFAULT_CODE) \
        : ApiError(std::move(code), detail) {}                                \
  };

FIELDLINK_API_ERROR(BadRequest, "bad_request")                       // 400
FIELDLINK_API_ERROR(Unauthorized, "not_authenticated")               // 401
FIELDLINK_API_ERROR(Forbidden, "permission_denied")                  // 403
FIELDLINK_API_ERROR(NotFound, "not_found")                           // 404
FIELDLINK_API_ERROR(MethodNotAllowed, "method_not_allowed")          // 405
FIELDLINK_API_ERROR(Conflict, "conflict")                            // 409
FIELDLINK_API_ERROR(TooLarge, "too_large")                           // 413
FIELDLINK_API_ERROR(UnsupportedMediaType, "unsupported_media_type")  // 415
FIELDLINK_API_ERROR(Unavailable, "unavailable")                      // 503
FIELDLINK_API_ERROR(InsufficientStorage, "insufficient_storage")     // 507
FIELDLINK_API_ERROR(PluginFailure, "plugin_error")                   // 500: a plugin misbehaved
#undef FIELDLINK_API_ERROR

// 429: the caller must wait `retry_after` (sent as Retry-After) before trying again.
class TooManyRequests : public ApiError {
 public:
  TooManyRequests(const std::string& detail, std::chrono::seconds retry_after)
      : ApiError("too_many_requests", detail), retry_after_(retry_after) {}
  std::chrono::seconds retryAfter() const { return retry_after_; }

 private:
  std::chrono::seconds retry_after_;
};

// 400 with the offending fields: {"fields": {"name": "why"}}.
class InvalidInput : public ApiError {
 public:
  using Fields = std::map<std::string, std::string>;
  InvalidInput(const std::string& field, const std::string& why, std::string code = "invalid")
      : ApiError(std::move(code), field + ": " + why), fields_{{field, why}} {}
  const Fields& fields() const { return fields_; }

 private:
  Fields fields_;
};

}  // namespace fieldlink

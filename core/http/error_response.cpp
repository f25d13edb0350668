#include "http/error_response.hpp"

#include <Poco/Logger.h>

#include "domain/errors.hpp"

namespace fieldlink {
namespace {

int statusOf(const ApiError& e) {
  if (dynamic_cast<const InvalidInput*>(&e) || dynamic_cast<const BadRequest*>(&e)) return 400;
  if (dynamic_cast<const Unauthorized*>(&e)) return 401;
  if (dynamic_cast<const Forbidden*>(&e)) return 403;
  if (dynamic_cast<const NotFound*>(&e)) return 404;
  if (dynamic_cast<const MethodNotAllowed*>(&e)) return 405;
  if (dynamic_cast<const Conflict*>(&e)) return 409;
  if (dynamic_cast<const TooLarge*>(&e)) return 413;
  if (dynamic_cast<const UnsupportedMediaType*>(&e)) return 415;
  if (dynamic_cast<const TooManyRequests*>(&e)) return 429;
  if (dynamic_cast<const Unavailable*>(&e)) return 503;
  if (dynamic_cast<const InsufficientStorage*>(&e)) return 507;
  return 500;
}

Poco::JSON::Object::Ptr body(const std::string& code, const std::string& detail) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("detail", detail);
  o->set("code", code);
  return o;
}

}  // namespace

ApiResponse errorResponse(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    Poco::JSON::Object::Ptr error_body = body(e.code(), e.what());
    if (const auto* invalid = dynamic_cast<const InvalidInput*>(&e)) {
      Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;
      for (const auto& [field, why] : invalid->fields()) fields->set(field, why);
      error_body->set("fields", fields);
    }
    ApiResponse response = ApiResponse::json(statusOf(e), error_body);
    if (response.status == 401) response.headers["WWW-Authenticate"] = "Bearer";
    if (const auto* limited = dynamic_cast<const TooManyRequests*>(&e))
      response.headers["Retry-After"] = std::to_string(limited->retryAfter().count());
    if (response.status == 500)
      Poco::Logger::get("fieldlink.http").error("%s: %s", e.code(), std::string(e.what()));
    return response;
  } catch (const std::exception& e) {
    Poco::Logger::get("fieldlink.http").error("unhandled error: %s", std::string(e.what()));
  } catch (...) {
    Poco::Logger::get("fieldlink.http").error("unhandled non-standard error");
  }
  return ApiResponse::json(500, body("internal_error", "Internal server error."));
}

}  // namespace fieldlink

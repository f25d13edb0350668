#include "ws/error_frame.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include "domain/errors.hpp"
#include "ws/frame_text.hpp"

namespace fieldlink::ws {
namespace {

Poco::JSON::Object::Ptr frame(const std::string& code, const std::string& detail,
                              const std::optional<std::string>& client_id) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("type", "error");
  o->set("code", code);
  o->set("detail", detail);
  if (client_id) o->set("client_id", *client_id);
  return o;
}

}  // namespace

std::string errorFrame(const std::string& code, const std::string& detail,
                       const std::optional<std::string>& client_id) {
  return frameText(*frame(code, detail, client_id));
}

std::string errorFrame(std::exception_ptr error, const std::optional<std::string>& client_id) {
  try {
    std::rethrow_exception(error);
  } catch (const InvalidInput& e) {
    auto o = frame(e.code(), e.what(), client_id);
    Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;
    for (const auto& [field, why] : e.fields()) fields->set(field, why);
    o->set("fields", fields);
    return frameText(*o);
  } catch (const ApiError& e) {
    if (dynamic_cast<const PluginFailure*>(&e))
      Poco::Logger::get("fieldlink.ws").error("%s", std::string(e.what()));
    return frameText(*frame(e.code(), e.what(), client_id));
  } catch (const std::exception& e) {
    Poco::Logger::get("fieldlink.ws").error("unhandled error: %s", std::string(e.what()));
  } catch (...) {
    Poco::Logger::get("fieldlink.ws").error("unhandled non-standard error");
  }
  return frameText(*frame("internal_error", "Internal server error.", client_id));
}

}  // namespace fieldlink::ws

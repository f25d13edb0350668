#include "ws/error_frame.hpp"

#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include "domain/errors.hpp"

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

std::string text(const Poco::JSON::Object::Ptr& o) {
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

}  // namespace

std::string errorFrame(const std::string& code, const std::string& detail,
                       const std::optional<std::string>& client_id) {
  return text(frame(code, detail, client_id));
}

std::string errorFrame(std::exception_ptr error, const std::optional<std::string>& client_id) {
  try {
    std::rethrow_exception(error);
  } catch (const InvalidInput& e) {
    auto o = frame(e.code(), e.what(), client_id);
    Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;
    for (const auto& [field, why] : e.fields()) fields->set(field, why);
    o->set("fields", fields);
    return text(o);
  } catch (const ApiError& e) {
    if (dynamic_cast<const PluginFailure*>(&e))
      Poco::Logger::get("fieldlink.ws").error("%s", std::string(e.what()));
    return text(frame(e.code(), e.what(), client_id));
  } catch (const std::exception& e) {
    Poco::Logger::get("fieldlink.ws").error("unhandled error: %s", std::string(e.what()));
  } catch (...) {
    Poco::Logger::get("fieldlink.ws").error("unhandled non-standard error");
  }
  return text(frame("internal_error", "Internal server error.", client_id));
}

}  // namespace fieldlink::ws

#include <Poco/JSON/Array.h>
#include <fieldlink/sdk/time.hpp>

#include "domain/errors.hpp"
#include "http/endpoints/endpoints.hpp"

namespace fieldlink::endpoints {
namespace {

Poco::Dynamic::Var textOrNull(const std::string& text) {
  return text.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(text);
}

Poco::JSON::Object::Ptr toJson(const PluginStatus& status) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("name", status.name);
  o->set("kind", textOrNull(status.kind));
  o->set("version", textOrNull(status.version));
  o->set("api_version", status.api_version);
  o->set("state", status.state);
  o->set("error", textOrNull(status.error));
  o->set("runtime_errors", static_cast<Poco::Int64>(status.runtime_errors));
  o->set("last_error", textOrNull(status.last_error));
  o->set("last_error_at", status.last_error_at
                              ? Poco::Dynamic::Var(sdk::formatTime(*status.last_error_at))
                              : Poco::Dynamic::Var());
  return o;
}

void requireDispatcher(ApiRequest& r) {
  if (r.caller().role != Role::Dispatcher) throw Forbidden("Only dispatchers manage plugins.");
}

}  // namespace

ApiResponse listPlugins(Services& s, ApiRequest& r) {
  requireDispatcher(r);
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& status : s.plugins.status()) out->add(toJson(status));
  return ApiResponse::json(200, out);
}

ApiResponse enablePlugin(Services& s, ApiRequest& r) {
  requireDispatcher(r);
  return ApiResponse::json(200, toJson(s.plugins.enable(r.pathText("name"))));
}

ApiResponse disablePlugin(Services& s, ApiRequest& r) {
  requireDispatcher(r);
  return ApiResponse::json(200, toJson(s.plugins.disable(r.pathText("name"))));
}

}  // namespace fieldlink::endpoints

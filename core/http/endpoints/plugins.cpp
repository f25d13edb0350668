#include <Poco/JSON/Array.h>

#include "domain/errors.hpp"
#include "http/endpoints/endpoints.hpp"

namespace fieldlink::endpoints {

ApiResponse listPlugins(Services& s, ApiRequest& r) {
  if (r.caller().role != Role::Dispatcher) throw Forbidden("Only dispatchers see plugins.");
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& status : s.plugins.status()) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("name", status.name);
    o->set("kind", status.kind.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(status.kind));
    o->set("version",
           status.version.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(status.version));
    o->set("api_version", status.api_version);
    o->set("state", status.state);
    o->set("error", status.error.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(status.error));
    out->add(o);
  }
  return ApiResponse::json(200, out);
}

}  // namespace fieldlink::endpoints

#include "domain/errors.hpp"
#include "http/endpoints/endpoints.hpp"
#include "metrics/server_metrics.hpp"

namespace fieldlink::endpoints {

// Alive: the process answers HTTP. Nothing else is checked, so a slow database does not
// get a healthy process restarted.
ApiResponse health(Services&, ApiRequest&) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("status", "ok");
  return ApiResponse::json(200, out);
}

// Ready to serve: the store answers a query.
ApiResponse ready(Services& s, ApiRequest&) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  try {
    s.store.read([](StoreSession& session) { session.findUser(UserId(1)); });
  } catch (const std::exception&) {
    out->set("status", "unavailable");
    out->set("detail", "The store does not answer.");
    return ApiResponse::json(503, out);
  }
  out->set("status", "ok");
  return ApiResponse::json(200, out);
}

ApiResponse metricsText(Services& s, ApiRequest& r) {
  if (!s.monitoring.permits(r.http().clientAddress().host(), r.http().get("Authorization", "")))
    throw Forbidden("Metrics are not available to this address without the metrics token.");
  return ApiResponse::plainText(200, "text/plain; version=0.0.4; charset=utf-8",
                                metrics::prometheusText(s.metrics));
}

}  // namespace fieldlink::endpoints

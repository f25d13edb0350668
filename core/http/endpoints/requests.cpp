#include <Poco/JSON/Array.h>

#include "domain/errors.hpp"
#include "domain/views.hpp"
#include "http/endpoints/endpoints.hpp"
#include "http/json_input.hpp"
#include "http/list_query.hpp"

namespace fieldlink::endpoints {

ApiResponse createRequest(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  NewRequestInput input;
  input.title = json_input::requiredString(*body, "title");
  input.description = json_input::optionalString(*body, "description").value_or("");
  input.address = json_input::optionalString(*body, "address").value_or("");
  const auto latitude = json_input::optionalNumber(*body, "latitude");
  const auto longitude = json_input::optionalNumber(*body, "longitude");
  if (latitude.has_value() != longitude.has_value())
    throw InvalidInput(latitude ? "longitude" : "latitude", "Latitude and longitude go together.");
  if (latitude) input.location = GeoPoint{*latitude, *longitude};
  const ServiceRequest made = s.requests.create(r.caller(), input);
  s.notifications.requestOpened(made);
  return ApiResponse::json(201, views::request(made));
}

namespace {

// ?order=created_at (oldest first) or -created_at (newest first, the default).
bool oldestFirst(const ApiRequest& r) {
  const auto order = r.query("order").value_or("-created_at");
  if (order == "created_at") return true;
  if (order == "-created_at") return false;
  throw InvalidInput("order", "created_at (oldest first) or -created_at (newest first).");
}

}  // namespace

ApiResponse listRequests(Services& s, ApiRequest& r) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& request : s.requests.list(r.caller(), list_query::statuses(r), oldestFirst(r)))
    out->add(views::request(request));
  return ApiResponse::json(200, out);
}

ApiResponse getRequest(Services& s, ApiRequest& r) {
  return ApiResponse::json(200,
                           views::request(s.requests.get(r.caller(), RequestId(r.pathId("id")))));
}

ApiResponse assignRequest(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  const UserId technician(json_input::requiredId(*body, "technician_id"));
  return ApiResponse::json(
      200, views::request(s.requests.assign(r.caller(), RequestId(r.pathId("id")), technician)));
}

ApiResponse changeRequestStatus(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  const auto status = parseRequestStatus(json_input::requiredString(*body, "status"));
  if (!status || *status == RequestStatus::Pending || *status == RequestStatus::Assigned)
    throw InvalidInput("status", "One of en_route, on_site, completed, cancelled.");
  return ApiResponse::json(
      200, views::request(s.requests.changeStatus(r.caller(), RequestId(r.pathId("id")), *status)));
}

}  // namespace fieldlink::endpoints

#include <map>

#include <Poco/JSON/Array.h>

#include "domain/errors.hpp"
#include "domain/views.hpp"
#include "http/client_address.hpp"
#include "http/endpoints/endpoints.hpp"
#include "http/json_input.hpp"
#include "ws/hub.hpp"

namespace fieldlink::endpoints {
namespace {

AccountInput accountFrom(const Poco::JSON::Object& body) {
  AccountInput input;
  input.username = json_input::requiredString(body, "username");
  input.password = json_input::requiredString(body, "password");
  input.display_name = json_input::requiredString(body, "display_name");
  input.phone = json_input::optionalString(body, "phone").value_or("");
  return input;
}

std::string clientOf(Services& s, ApiRequest& r) {
  return clientAddressOf(r.http(), s.trusted_proxies).toString();
}

}  // namespace

ApiResponse registerAccount(Services& s, ApiRequest& r) {
  s.abuse.registration(clientOf(s, r));
  const User user = s.accounts.registerClient(accountFrom(*r.jsonBody()));
  return ApiResponse::json(201, views::user(user));
}

// The dispatcher's directory: whom to assign a job to, with each one's open jobs and
// whether they are connected now (on any node).
ApiResponse listUsers(Services& s, ApiRequest& r) {
  if (r.caller().role != Role::Dispatcher) throw Forbidden("Only dispatchers list accounts.");
  std::optional<Role> role;
  if (const auto name = r.query("role")) {
    role = parseRole(*name);
    if (!role) throw InvalidInput("role", "One of client, technician, dispatcher.");
  }
  std::map<std::int64_t, std::int64_t> open_requests;
  for (const auto& request : s.requests.list(
           r.caller(), {RequestStatus::Assigned, RequestStatus::EnRoute, RequestStatus::OnSite}))
    if (request.technician_id) ++open_requests[request.technician_id->value];
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const User& user : s.accounts.listUsers(role)) {
    Poco::JSON::Object::Ptr row = views::user(user);
    row->set("disabled", user.disabled);
    row->set("online", s.hub != nullptr && s.hub->online(user.id.value));
    const auto open = open_requests.find(user.id.value);
    row->set("open_requests",
             static_cast<Poco::Int64>(open == open_requests.end() ? 0 : open->second));
    out->add(row);
  }
  return ApiResponse::json(200, out);
}

ApiResponse createUser(Services& s, ApiRequest& r) {
  if (r.caller().role != Role::Dispatcher) throw Forbidden("Only dispatchers create accounts.");
  const auto body = r.jsonBody();
  AccountInput input = accountFrom(*body);
  const auto role = parseRole(json_input::requiredString(*body, "role"));
  if (!role) throw InvalidInput("role", "One of client, technician, dispatcher.");
  input.role = *role;
  return ApiResponse::json(201, views::user(s.accounts.createUser(r.caller(), input)));
}

ApiResponse me(Services&, ApiRequest& r) { return ApiResponse::json(200, views::user(r.caller())); }

ApiResponse obtainToken(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  const std::string username = json_input::requiredString(*body, "username");
  const std::string password = json_input::requiredString(*body, "password");
  TokenPair tokens;
  s.abuse.login(username, clientOf(s, r),
                [&] { tokens = s.accounts.obtainTokens(username, password); });
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("access", tokens.access);
  out->set("refresh", tokens.refresh);
  return ApiResponse::json(200, out);
}

ApiResponse refreshToken(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  const TokenPair tokens = s.accounts.refreshTokens(json_input::requiredString(*body, "refresh"));
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("access", tokens.access);
  out->set("refresh", tokens.refresh);
  return ApiResponse::json(200, out);
}

ApiResponse logout(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  if (json_input::optionalBool(*body, "all").value_or(false)) {
    s.accounts.logoutEverywhere(r.caller());
  } else if (const auto refresh = json_input::optionalString(*body, "refresh")) {
    s.accounts.logout(r.caller(), *refresh);
  } else {
    throw InvalidInput("refresh", "Give the refresh token to end, or \"all\": true.");
  }
  return ApiResponse::noContent();
}

}  // namespace fieldlink::endpoints

#include "domain/errors.hpp"
#include "domain/views.hpp"
#include "http/client_address.hpp"
#include "http/endpoints/endpoints.hpp"
#include "http/json_input.hpp"

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

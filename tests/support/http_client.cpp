#include "support/http_client.hpp"

#include <memory>
#include <sstream>
#include <stdexcept>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/UTF8String.h>

namespace fieldlink::testing {

Poco::JSON::Object::Ptr HttpResult::object() const {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr HttpResult::array() const {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Array::Ptr>();
}

std::string HttpResult::code() const {
  try {
    return object()->optValue<std::string>("code", "");
  } catch (...) {
    return "";
  }
}

HttpResult HttpClient::get(const std::string& path, const std::string& token) const {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return request("GET", path, "", headers);
}

HttpResult HttpClient::post(const std::string& path, const std::string& json,
                            const std::string& token) const {
  std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return request("POST", path, json, headers);
}

std::unique_ptr<Poco::Net::HTTPClientSession> sessionTo(int port,
                                                        const Poco::Net::Context::Ptr& tls) {
  const auto number = static_cast<Poco::UInt16>(port);
  if (tls) return std::make_unique<Poco::Net::HTTPSClientSession>("localhost", number, tls);
  return std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", number);
}

HttpResult HttpClient::request(const std::string& method, const std::string& path,
                               const std::string& body,
                               const std::map<std::string, std::string>& headers) const {
  const auto over = sessionTo(port_, tls_);
  Poco::Net::HTTPClientSession& session = *over;
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) req.set(name, value);
  const auto encoding = headers.find("Transfer-Encoding");
  if (encoding != headers.end() && encoding->second == "chunked")
    req.setChunkedTransferEncoding(true);  // no length announced: the server must count
  else if (!body.empty() || method == "POST")
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResult result;
  result.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, result.body);
  for (const auto& [name, value] : response) result.headers[name] = value;
  return result;
}

std::string jsonString(const std::string& text) { return "\"" + Poco::UTF8::escape(text) + "\""; }

namespace {

Poco::JSON::Object::Ptr expectObject(const HttpResult& r, int status, const std::string& what) {
  if (r.status != status)
    throw std::runtime_error(what + ": expected " + std::to_string(status) + ", got " +
                             std::to_string(r.status) + " " + r.body);
  return r.object();
}

}  // namespace

Poco::JSON::Object::Ptr ApiClient::registerClient(const std::string& username,
                                                  const std::string& password) {
  return expectObject(
      http_.post("/api/auth/register/", "{\"username\":" + jsonString(username) +
                                            ",\"password\":" + jsonString(password) +
                                            ",\"display_name\":" + jsonString(username) + "}"),
      201, "register");
}

std::string ApiClient::login(const std::string& username, const std::string& password) {
  return expectObject(http_.post("/api/token/", "{\"username\":" + jsonString(username) +
                                                    ",\"password\":" + jsonString(password) + "}"),
                      200, "login")
      ->getValue<std::string>("access");
}

Poco::JSON::Object::Ptr ApiClient::createUser(const std::string& dispatcher_token,
                                              const std::string& username, const std::string& role,
                                              const std::string& password) {
  return expectObject(
      http_.post("/api/users/",
                 "{\"username\":" + jsonString(username) + ",\"password\":" + jsonString(password) +
                     ",\"display_name\":" + jsonString(username) + ",\"role\":" + jsonString(role) +
                     "}",
                 dispatcher_token),
      201, "create user");
}

Poco::JSON::Object::Ptr ApiClient::createRequest(const std::string& client_token,
                                                 const std::string& title) {
  return expectObject(
      http_.post("/api/requests/",
                 "{\"title\":" + jsonString(title) + ",\"address\":\"1 Main St\"}", client_token),
      201, "create request");
}

Poco::JSON::Object::Ptr ApiClient::assign(const std::string& dispatcher_token,
                                          std::int64_t request_id, std::int64_t technician_id) {
  return expectObject(
      http_.post("/api/requests/" + std::to_string(request_id) + "/assign/",
                 "{\"technician_id\":" + std::to_string(technician_id) + "}", dispatcher_token),
      200, "assign");
}

HttpResult ApiClient::sendText(const std::string& token, std::int64_t conversation_id,
                               const std::string& text, const std::string& client_id) {
  std::string body = "{\"conversation_id\":" + std::to_string(conversation_id) +
                     ",\"message_type\":\"text\",\"content\":{\"text\":" + jsonString(text) + "}";
  if (!client_id.empty()) body += ",\"client_id\":" + jsonString(client_id);
  body += "}";
  return http_.post("/api/chat/messages/", body, token);
}

std::vector<Poco::JSON::Object::Ptr> ApiClient::history(const std::string& token,
                                                        std::int64_t conversation_id) const {
  std::vector<Poco::JSON::Object::Ptr> all;
  std::int64_t after = 0;
  for (;;) {
    const auto page = http_
                          .get("/api/chat/messages/conversation_messages/?conversation_id=" +
                                   std::to_string(conversation_id) +
                                   "&limit=200&after_id=" + std::to_string(after),
                               token)
                          .object();
    const auto results = page->getArray("results");
    for (std::size_t i = 0; i < results->size(); ++i) all.push_back(results->getObject(i));
    if (results->size() == 0 || !page->getValue<bool>("has_more")) return all;
    after = all.back()->getValue<std::int64_t>("id");
  }
}

}  // namespace fieldlink::testing

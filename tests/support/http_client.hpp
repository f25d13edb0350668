#pragma once

#include <map>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace fieldlink::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;

  Poco::JSON::Object::Ptr object() const;  // the body as a JSON object (throws otherwise)
  Poco::JSON::Array::Ptr array() const;
  std::string code() const;  // the error body's "code"
};

// A plain HTTP/1.1 client for the server under test; one connection per call.
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}

  HttpResult get(const std::string& path, const std::string& token = "") const;
  HttpResult post(const std::string& path, const std::string& json,
                  const std::string& token = "") const;
  HttpResult request(const std::string& method, const std::string& path, const std::string& body,
                     const std::map<std::string, std::string>& headers) const;

 private:
  int port_;
};

// The REST calls the tests repeat, returning parsed answers and failing loudly otherwise.
class ApiClient {
 public:
  explicit ApiClient(int port) : http_(port) {}
  const HttpClient& http() const { return http_; }

  Poco::JSON::Object::Ptr registerClient(const std::string& username,
                                         const std::string& password = "password-123");
  std::string login(const std::string& username, const std::string& password = "password-123");
  Poco::JSON::Object::Ptr createUser(const std::string& dispatcher_token,
                                     const std::string& username, const std::string& role,
                                     const std::string& password = "password-123");
  Poco::JSON::Object::Ptr createRequest(const std::string& client_token, const std::string& title);
  Poco::JSON::Object::Ptr assign(const std::string& dispatcher_token, std::int64_t request_id,
                                 std::int64_t technician_id);
  HttpResult sendText(const std::string& token, std::int64_t conversation_id,
                      const std::string& text, const std::string& client_id = "");
  // Every message of the conversation, oldest first, paged through the history endpoint.
  std::vector<Poco::JSON::Object::Ptr> history(const std::string& token,
                                               std::int64_t conversation_id) const;

 private:
  HttpClient http_;
};

std::string jsonString(const std::string& text);  // quoted and escaped for a JSON body

}  // namespace fieldlink::testing

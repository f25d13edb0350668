#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>

namespace fieldlink::testing {

// A session to the server under test on loopback: HTTPS (checking the name "localhost")
// when given a context, plain HTTP otherwise.
std::unique_ptr<Poco::Net::HTTPClientSession> sessionTo(int port,
                                                        const Poco::Net::Context::Ptr& tls);

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;

  Poco::JSON::Object::Ptr object() const;  // the body as a JSON object (throws otherwise)
  Poco::JSON::Array::Ptr array() const;
  std::string code() const;  // the error body's "code"
};

// An HTTP/1.1 client for the server under test, over TLS when given a context; one
// connection per call.
class HttpClient {
 public:
  explicit HttpClient(int port, Poco::Net::Context::Ptr tls = nullptr)
      : port_(port), tls_(std::move(tls)) {}

  HttpResult get(const std::string& path, const std::string& token = "") const;
  HttpResult post(const std::string& path, const std::string& json,
                  const std::string& token = "") const;
  HttpResult request(const std::string& method, const std::string& path, const std::string& body,
                     const std::map<std::string, std::string>& headers) const;

 private:
  int port_;
  Poco::Net::Context::Ptr tls_;
};

// The REST calls the tests repeat, returning parsed answers and failing loudly otherwise.
class ApiClient {
 public:
  explicit ApiClient(int port, Poco::Net::Context::Ptr tls = nullptr)
      : http_(port, std::move(tls)) {}
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

#pragma once

#include <map>
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "domain/ids.hpp"
#include "domain/model.hpp"

namespace fieldlink {

// One API call as handlers see it: the raw request, the path parameters the router
// matched, and the authenticated caller when the route requires one.
class ApiRequest {
 public:
  ApiRequest(Poco::Net::HTTPServerRequest& http, std::size_t max_body_bytes);

  Poco::Net::HTTPServerRequest& http() { return http_; }
  void setPathParams(std::map<std::string, std::string> params) { params_ = std::move(params); }
  void setCaller(User user) { caller_ = std::move(user); }

  const User& caller() const;
  // A positive integer path parameter such as {id}; NotFound for anything else.
  std::int64_t pathId(const std::string& name) const;
  // The body parsed as a JSON object. 415 unless the Content-Type is JSON, 413 when over
  // the size limit, 400 when not a JSON object.
  Poco::JSON::Object::Ptr jsonBody();
  std::optional<std::string> query(const std::string& name) const;
  // An integer query parameter; InvalidInput when present but not an integer in range.
  std::optional<std::int64_t> queryInt(const std::string& name, std::int64_t min,
                                       std::int64_t max) const;
  // The raw body, read at most once, bounded by the size limit.
  const std::string& body();
  // Whether bytes of the body may still be waiting on the connection.
  bool bodyPending() const;

 private:
  Poco::Net::HTTPServerRequest& http_;
  std::size_t max_body_bytes_;
  std::map<std::string, std::string> params_;
  std::multimap<std::string, std::string> query_;
  std::optional<User> caller_;
  std::optional<std::string> body_;
};

struct ApiResponse {
  int status = 200;
  Poco::Dynamic::Var body;  // empty: no body
  std::map<std::string, std::string> headers;

  static ApiResponse json(int status, Poco::Dynamic::Var body) {
    return {status, std::move(body), {}};
  }
  static ApiResponse noContent() { return {204, Poco::Dynamic::Var(), {}}; }
};

}  // namespace fieldlink

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
  // The authenticated caller's id, if the request has one (for the access log).
  std::optional<std::int64_t> callerId() const {
    if (!caller_) return std::nullopt;
    return caller_->id.value;
  }
  // A positive integer path parameter such as {id}; NotFound for anything else.
  std::int64_t pathId(const std::string& name) const;
  // A path parameter as text, such as a plugin's {name}; the router has already decoded it.
  const std::string& pathText(const std::string& name) const;
  // The body parsed as a JSON object. 415 unless the Content-Type is JSON, 413 when over
  // the size limit, 400 when not a JSON object.
  Poco::JSON::Object::Ptr jsonBody();
  std::optional<std::string> query(const std::string& name) const;
  // An integer query parameter; InvalidInput when present but not an integer in range.
  std::optional<std::int64_t> queryInt(const std::string& name, std::int64_t min,
                                       std::int64_t max) const;
  // The raw body, read at most once, bounded by the size limit.
  const std::string& body();
  // The body as a stream, for uploads too large to hold in memory (the front door spooled
  // it to disk as it arrived).
  std::istream& bodyStream() { return http_.stream(); }

 private:
  Poco::Net::HTTPServerRequest& http_;
  std::size_t max_body_bytes_;
  std::map<std::string, std::string> params_;
  std::multimap<std::string, std::string> query_;
  std::optional<User> caller_;
  std::optional<std::string> body_;
};

// Bytes of a file sent as the body (attachments), instead of JSON.
struct FileBody {
  std::string path;
  std::int64_t offset = 0;
  std::int64_t length = 0;
};

struct ApiResponse {
  int status = 200;
  Poco::Dynamic::Var body;  // empty: no body
  std::map<std::string, std::string> headers;
  std::optional<FileBody> file;     // set: the body is these bytes, with headers' Content-Type
  std::optional<std::string> text;  // set: the body is this text, with headers' Content-Type

  static ApiResponse json(int status, Poco::Dynamic::Var body) {
    return {status, std::move(body), {}, std::nullopt, std::nullopt};
  }
  // JSON already written as text (json_text, views::appendMessage).
  static ApiResponse jsonText(int status, std::string text) {
    return plainText(status, "application/json; charset=utf-8", std::move(text));
  }
  static ApiResponse noContent() {
    return {204, Poco::Dynamic::Var(), {}, std::nullopt, std::nullopt};
  }
  static ApiResponse plainText(int status, const std::string& content_type, std::string text) {
    return {status,
            Poco::Dynamic::Var(),
            {{"Content-Type", content_type}},
            std::nullopt,
            std::move(text)};
  }
};

}  // namespace fieldlink

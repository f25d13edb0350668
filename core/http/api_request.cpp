#include "http/api_request.hpp"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include "domain/errors.hpp"

namespace fieldlink {

ApiRequest::ApiRequest(Poco::Net::HTTPServerRequest& http, std::size_t max_body_bytes)
    : http_(http), max_body_bytes_(max_body_bytes) {
  try {
    for (auto& [key, value] : Poco::URI(http.getURI()).getQueryParameters())
      query_.emplace(key, value);
  } catch (const Poco::Exception&) {
    throw BadRequest("The query string is malformed.", "malformed_query");
  }
}

const User& ApiRequest::caller() const {
  if (!caller_) throw Unauthorized("Authentication credentials were not provided.");
  return *caller_;
}

std::int64_t ApiRequest::pathId(const std::string& name) const {
  const auto it = params_.find(name);
  Poco::Int64 value = 0;
  if (it == params_.end() || !Poco::NumberParser::tryParse64(it->second, value) || value <= 0)
    throw NotFound("Not found.");
  return value;
}

const std::string& ApiRequest::pathText(const std::string& name) const {
  const auto it = params_.find(name);
  if (it == params_.end()) throw NotFound("Not found.");
  return it->second;
}

const std::string& ApiRequest::body() {
  if (body_) return *body_;
  if (http_.hasContentLength() &&
      http_.getContentLength64() > static_cast<Poco::Int64>(max_body_bytes_))
    throw TooLarge("The request body is larger than " + std::to_string(max_body_bytes_) +
                   " bytes.");
  std::string data;
  std::istream& in = http_.stream();
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    data.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (data.size() > max_body_bytes_)
      throw TooLarge("The request body is larger than " + std::to_string(max_body_bytes_) +
                     " bytes.");
  }
  body_ = std::move(data);
  return *body_;
}

Poco::JSON::Object::Ptr ApiRequest::jsonBody() {
  const std::string type = Poco::toLower(http_.getContentType());
  if (type.rfind("application/json", 0) != 0)
    throw UnsupportedMediaType("Send the body as application/json.");
  const std::string& text = body();
  Poco::Dynamic::Var parsed;
  try {
    parsed = Poco::JSON::Parser().parse(text);
  } catch (const Poco::Exception&) {
    throw BadRequest("The body is not valid JSON.", "parse_error");
  } catch (const std::exception&) {
    throw BadRequest("The body is not valid JSON.", "parse_error");
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
    throw BadRequest("The body must be a JSON object.", "parse_error");
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

std::optional<std::string> ApiRequest::query(const std::string& name) const {
  const auto it = query_.find(name);
  if (it == query_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> ApiRequest::queryInt(const std::string& name, std::int64_t min,
                                                 std::int64_t max) const {
  const auto text = query(name);
  if (!text || text->empty()) return std::nullopt;
  Poco::Int64 value = 0;
  if (!Poco::NumberParser::tryParse64(*text, value) || value < min || value > max)
    throw InvalidInput(name, "Must be an integer between " + std::to_string(min) + " and " +
                                 std::to_string(max) + ".");
  return value;
}

}  // namespace fieldlink

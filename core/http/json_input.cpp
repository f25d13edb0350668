#include "http/json_input.hpp"

#include <cmath>
#include <limits>

#include "domain/errors.hpp"

namespace fieldlink::json_input {
namespace {

std::optional<Poco::Dynamic::Var> present(const Poco::JSON::Object& body,
                                          const std::string& field) {
  if (!body.has(field) || body.isNull(field)) return std::nullopt;
  return body.get(field);
}

Poco::Dynamic::Var required(const Poco::JSON::Object& body, const std::string& field) {
  auto value = present(body, field);
  if (!value) throw InvalidInput(field, "This field is required.");
  return *value;
}

bool isJsonNumber(const Poco::Dynamic::Var& v) { return v.isNumeric() && !v.isBoolean(); }

// A required JSON integer (not a boolean, not a string of digits); `what` says what it must be.
std::int64_t integer(const Poco::JSON::Object& body, const std::string& field, const char* what) {
  const auto value = required(body, field);
  if (!value.isInteger() || value.isBoolean()) throw InvalidInput(field, what);
  try {
    return value.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    throw InvalidInput(field, what);
  }
}

}  // namespace

std::string requiredString(const Poco::JSON::Object& body, const std::string& field) {
  const auto value = required(body, field);
  if (!value.isString()) throw InvalidInput(field, "Must be a string.");
  return value.extract<std::string>();
}

std::optional<std::string> optionalString(const Poco::JSON::Object& body,
                                          const std::string& field) {
  const auto value = present(body, field);
  if (!value) return std::nullopt;
  if (!value->isString()) throw InvalidInput(field, "Must be a string.");
  return value->extract<std::string>();
}

std::int64_t requiredId(const Poco::JSON::Object& body, const std::string& field) {
  const std::int64_t id = integer(body, field, "Must be an integer id.");
  if (id <= 0) throw InvalidInput(field, "Must be a positive integer id.");
  return id;
}

std::int64_t requiredInteger(const Poco::JSON::Object& body, const std::string& field,
                             std::int64_t min) {
  const std::int64_t number = integer(body, field, "Must be an integer.");
  if (number < min) throw InvalidInput(field, "Must be at least " + std::to_string(min) + ".");
  return number;
}

bool requiredBool(const Poco::JSON::Object& body, const std::string& field) {
  const auto value = required(body, field);
  if (!value.isBoolean()) throw InvalidInput(field, "Must be true or false.");
  return value.extract<bool>();
}

std::optional<bool> optionalBool(const Poco::JSON::Object& body, const std::string& field) {
  const auto value = present(body, field);
  if (!value) return std::nullopt;
  if (!value->isBoolean()) throw InvalidInput(field, "Must be true or false.");
  return value->extract<bool>();
}

std::optional<double> optionalNumber(const Poco::JSON::Object& body, const std::string& field) {
  const auto value = present(body, field);
  if (!value) return std::nullopt;
  if (!isJsonNumber(*value)) throw InvalidInput(field, "Must be a number.");
  const double number = value->convert<double>();
  if (!std::isfinite(number)) throw InvalidInput(field, "Must be a finite number.");
  return number;
}

Poco::JSON::Object::Ptr requiredObject(const Poco::JSON::Object& body, const std::string& field) {
  const auto value = required(body, field);
  if (value.type() != typeid(Poco::JSON::Object::Ptr))
    throw InvalidInput(field, "Must be a JSON object.");
  return value.extract<Poco::JSON::Object::Ptr>();
}

}  // namespace fieldlink::json_input

#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

namespace fieldlink::json_input {

// Typed reads of a request body's fields. A missing required field, a wrong JSON type or
// an out-of-range number throws InvalidInput naming the field; nothing is coerced (the
// string "5" is not the number 5).
std::string requiredString(const Poco::JSON::Object& body, const std::string& field);
std::optional<std::string> optionalString(const Poco::JSON::Object& body, const std::string& field);
std::int64_t requiredId(const Poco::JSON::Object& body, const std::string& field);
// An integer of at least `min`.
std::int64_t requiredInteger(const Poco::JSON::Object& body, const std::string& field,
                             std::int64_t min);
bool requiredBool(const Poco::JSON::Object& body, const std::string& field);
std::optional<bool> optionalBool(const Poco::JSON::Object& body, const std::string& field);
std::optional<double> optionalNumber(const Poco::JSON::Object& body, const std::string& field);
Poco::JSON::Object::Ptr requiredObject(const Poco::JSON::Object& body, const std::string& field);

}  // namespace fieldlink::json_input

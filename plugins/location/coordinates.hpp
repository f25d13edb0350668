#pragma once

// Reading a position out of JSON: plain logic, unit-tested without the plugin.

#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

namespace fieldlink::location {

struct Position {
  double latitude = 0;
  double longitude = 0;
  std::optional<double> accuracy;  // metres
};

// The position in `content`, or the field at fault and why.
struct PositionResult {
  std::optional<Position> position;
  std::string field;
  std::string reason;
};
PositionResult readPosition(const Poco::JSON::Object& content);

// `pattern` with {lat} and {lon} replaced (6 decimals).
std::string mapLink(const std::string& pattern, const Position& position);

}  // namespace fieldlink::location

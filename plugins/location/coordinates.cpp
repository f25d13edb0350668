#include "coordinates.hpp"

#include <cmath>

#include <Poco/NumberFormatter.h>

namespace fieldlink::location {
namespace {

// A JSON number (not a boolean, not a string), finite.
std::optional<double> number(const Poco::JSON::Object& content, const std::string& key) {
  const Poco::Dynamic::Var value = content.get(key);
  if (value.isEmpty() || value.isBoolean() || value.isString() || !value.isNumeric())
    return std::nullopt;
  const double d = value.convert<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

PositionResult fail(std::string field, std::string reason) {
  return {std::nullopt, std::move(field), std::move(reason)};
}

}  // namespace

PositionResult readPosition(const Poco::JSON::Object& content) {
  Position p;
  const auto latitude = number(content, "latitude");
  if (!latitude) return fail("latitude", "Must be a number.");
  if (*latitude < -90 || *latitude > 90) return fail("latitude", "Must be between -90 and 90.");
  const auto longitude = number(content, "longitude");
  if (!longitude) return fail("longitude", "Must be a number.");
  if (*longitude < -180 || *longitude > 180)
    return fail("longitude", "Must be between -180 and 180.");
  p.latitude = *latitude;
  p.longitude = *longitude;
  if (content.has("accuracy") && !content.isNull("accuracy")) {
    const auto accuracy = number(content, "accuracy");
    if (!accuracy || *accuracy < 0)
      return fail("accuracy", "Must be a number of metres, 0 or more.");
    p.accuracy = *accuracy;
  }
  return {p, "", ""};
}

std::string mapLink(const std::string& pattern, const Position& position) {
  const std::string lat = Poco::NumberFormatter::format(position.latitude, 6);
  const std::string lon = Poco::NumberFormatter::format(position.longitude, 6);
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.compare(i, 5, "{lat}") == 0) {
      out += lat;
      i += 5;
    } else if (pattern.compare(i, 5, "{lon}") == 0) {
      out += lon;
      i += 5;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

}  // namespace fieldlink::location

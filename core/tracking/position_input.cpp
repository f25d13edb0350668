#include "tracking/position_input.hpp"

#include <chrono>

#include "domain/errors.hpp"
#include "domain/input_rules.hpp"
#include "http/json_input.hpp"

namespace fieldlink::tracking {
namespace {

double requiredNumber(const Poco::JSON::Object& body, const std::string& field) {
  const auto value = json_input::optionalNumber(body, field);
  if (!value) throw InvalidInput(field, "This field is required.");
  return *value;
}

}  // namespace

TrackPoint readTrackPoint(const Poco::JSON::Object& body, TimePoint now) {
  TrackPoint p;
  p.position.latitude = requiredNumber(body, "latitude");
  rules::checkLatitude(p.position.latitude);
  p.position.longitude = requiredNumber(body, "longitude");
  rules::checkLongitude(p.position.longitude);
  p.speed_mps = json_input::optionalNumber(body, "speed_mps");
  if (p.speed_mps && *p.speed_mps < 0) throw InvalidInput("speed_mps", "Must not be negative.");
  p.heading = json_input::optionalNumber(body, "heading");
  if (p.heading && (*p.heading < 0 || *p.heading >= 360))
    throw InvalidInput("heading", "Must be in [0, 360).");
  p.accuracy = json_input::optionalNumber(body, "accuracy");
  if (p.accuracy && *p.accuracy < 0) throw InvalidInput("accuracy", "Must not be negative.");
  p.recorded_at = now;
  if (const auto text = json_input::optionalString(body, "recorded_at")) {
    const auto at = parseRfc3339(*text);
    if (!at) throw InvalidInput("recorded_at", "Must be an RFC 3339 time.");
    if (*at > now + std::chrono::minutes(1) || *at < now - std::chrono::hours(1))
      throw InvalidInput("recorded_at", "Must be within the last hour.");
    p.recorded_at = *at;
  }
  return p;
}

}  // namespace fieldlink::tracking

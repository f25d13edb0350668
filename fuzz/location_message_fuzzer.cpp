// The location message type's reading of a position: any bytes as the content a client
// sends. What it accepts must be a real place: finite, latitude within ±90, longitude within
// ±180, accuracy not negative; what it refuses must name a field.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "location/coordinates.hpp"

using namespace fieldlink;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Poco::JSON::Object::Ptr content;
  try {
    Poco::Dynamic::Var parsed =
        Poco::JSON::Parser().parse(std::string(reinterpret_cast<const char*>(data), size));
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return 0;
    content = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return 0;
  }
  const location::PositionResult result = location::readPosition(*content);
  if (!result.position) {
    if (result.field.empty() || result.reason.empty()) std::abort();
    return 0;
  }
  const location::Position& p = *result.position;
  if (!std::isfinite(p.latitude) || !std::isfinite(p.longitude)) std::abort();
  if (std::fabs(p.latitude) > 90 || std::fabs(p.longitude) > 180) std::abort();
  if (p.accuracy && (!std::isfinite(*p.accuracy) || *p.accuracy < 0)) std::abort();
  if (location::mapLink("https://maps.example/?q={lat},{lon}", p).empty()) std::abort();
  return 0;
}

#include "util/clock.hpp"

#include <fieldlink/sdk/time.hpp>

namespace fieldlink {

std::string formatRfc3339(TimePoint t) { return sdk::formatTime(t); }

std::optional<TimePoint> parseRfc3339(const std::string& text) {
  const auto parsed = sdk::parseTime(text);
  if (!parsed) return std::nullopt;
  return std::chrono::time_point_cast<std::chrono::milliseconds>(*parsed);
}

}  // namespace fieldlink

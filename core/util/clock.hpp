#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace fieldlink {

// Times are milliseconds since the Unix epoch, UTC: what the store keeps and what the
// API formats as RFC 3339.
using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::milliseconds>;

inline TimePoint nowMs() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
}
inline std::int64_t toEpochMs(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint fromEpochMs(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// "2026-11-24T10:15:30.123Z"
std::string formatRfc3339(TimePoint t);
// An RFC 3339 / ISO 8601 time with a zone; nothing when it is not one.
std::optional<TimePoint> parseRfc3339(const std::string& text);

}  // namespace fieldlink

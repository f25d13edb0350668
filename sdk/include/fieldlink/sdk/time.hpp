#pragma once

// Times as the API writes them: RFC 3339, UTC, milliseconds ("2026-11-24T10:15:30.123Z").
// Inline helpers, so plugins and the host read and write them the same way.

#include <chrono>
#include <optional>
#include <string>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

namespace fieldlink::sdk {

inline std::string formatTime(std::chrono::system_clock::time_point at) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), "%Y-%m-%dT%H:%M:%S.%iZ");
}

// Any ISO 8601 time with a zone (fractions optional); nothing when it is not one.
inline std::optional<std::chrono::system_clock::time_point> parseTime(const std::string& text) {
  Poco::DateTime parsed;
  int zone = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, parsed,
                                      zone))
    return std::nullopt;
  parsed.makeUTC(zone);
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(parsed.timestamp().epochMicroseconds())));
}

}  // namespace fieldlink::sdk

#pragma once

// Times as the API writes them: RFC 3339, UTC, milliseconds ("2026-11-24T10:15:30.123Z").
// Inline helpers, so plugins and the host read and write them the same way.

#include <chrono>
#include <optional>
#include <string>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/RegularExpression.h>
#include <Poco/Timestamp.h>

namespace fieldlink::sdk {

inline std::string formatTime(std::chrono::system_clock::time_point at) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), "%Y-%m-%dT%H:%M:%S.%iZ");
}

namespace detail {

// Poco's parser alone is lenient: it reads "yesterday" as a date in year 0.
inline bool looksLikeRfc3339(const std::string& text) {
  // PCRE rather than std::regex: GCC 12 warns inside <regex> in optimised builds.
  static const Poco::RegularExpression shape(
      R"(^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\z)");
  return shape.match(text);
}

}  // namespace detail

// An RFC 3339 time with a zone, between 1970 and 2199; nothing otherwise.
inline std::optional<std::chrono::system_clock::time_point> parseTime(const std::string& text) {
  if (!detail::looksLikeRfc3339(text)) return std::nullopt;
  Poco::DateTime parsed;
  int zone = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, parsed,
                                      zone))
    return std::nullopt;
  parsed.makeUTC(zone);
  // The system clock counts nanoseconds in 64 bits: beyond 2262 it would overflow.
  if (parsed.year() < 1970 || parsed.year() >= 2200) return std::nullopt;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(parsed.timestamp().epochMicroseconds())));
}

}  // namespace fieldlink::sdk

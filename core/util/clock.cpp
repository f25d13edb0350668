#include "util/clock.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

namespace fieldlink {

std::string formatRfc3339(TimePoint t) {
  const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(toEpochMs(t)) * 1000);
  return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%S.%iZ");
}

std::optional<TimePoint> parseRfc3339(const std::string& text) {
  Poco::DateTime parsed;
  int zone = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, parsed,
                                      zone))
    return std::nullopt;
  parsed.makeUTC(zone);
  return fromEpochMs(parsed.timestamp().epochMicroseconds() / 1000);
}

}  // namespace fieldlink

#include "util/clock.hpp"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

namespace fieldlink {

std::string formatRfc3339(TimePoint t) {
  const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(toEpochMs(t)) * 1000);
  return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%S.%iZ");
}

}  // namespace fieldlink

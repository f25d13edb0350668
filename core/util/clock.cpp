#include "util/clock.hpp"

#include <fieldlink/sdk/time.hpp>

namespace fieldlink {
namespace {

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian, day 0 = 1970-01-01).
CivilDate civilFromDays(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const unsigned month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2);
  return {year, month, day};
}

}  // namespace

// Written by hand rather than through Poco's formatter: every message view carries one, and
// Poco's took a twentieth of a history page's CPU. Same text as sdk::formatTime (a unit test
// compares them).
std::string formatRfc3339(TimePoint t) {
  const std::int64_t ms = toEpochMs(t);
  constexpr std::int64_t kDay = 86400000;
  const std::int64_t days = ms >= 0 ? ms / kDay : (ms - kDay + 1) / kDay;
  const std::int64_t of_day = ms - days * kDay;
  const CivilDate date = civilFromDays(days);
  if (date.year < 0 || date.year > 9999) return sdk::formatTime(t);
  const auto of_day_ms = static_cast<unsigned>(of_day);
  std::string text = "0000-00-00T00:00:00.000Z";
  // Digits written right to left into their places.
  auto put = [&text](std::size_t end, unsigned value, int digits) {
    for (int i = 1; i <= digits; ++i, value /= 10)
      text[end - static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(4, static_cast<unsigned>(date.year), 4);
  put(7, date.month, 2);
  put(10, date.day, 2);
  put(13, of_day_ms / 3600000, 2);
  put(16, of_day_ms / 60000 % 60, 2);
  put(19, of_day_ms / 1000 % 60, 2);
  put(23, of_day_ms % 1000, 3);
  return text;
}

std::optional<TimePoint> parseRfc3339(const std::string& text) {
  const auto parsed = sdk::parseTime(text);
  if (!parsed) return std::nullopt;
  return std::chrono::time_point_cast<std::chrono::milliseconds>(*parsed);
}

}  // namespace fieldlink

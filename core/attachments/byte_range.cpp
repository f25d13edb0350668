#include "attachments/byte_range.hpp"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

namespace fieldlink::attachments {
namespace {

bool parseNumber(const std::string& text, std::int64_t& value) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
  Poco::UInt64 parsed = 0;
  if (!Poco::NumberParser::tryParseUnsigned64(text, parsed) ||
      parsed > static_cast<Poco::UInt64>(INT64_MAX))
    return false;
  value = static_cast<std::int64_t>(parsed);
  return true;
}

}  // namespace

ByteRange parseRange(const std::string& header, std::int64_t size) {
  const ByteRange whole{ByteRange::Kind::Whole, 0, size};
  const std::string prefix = "bytes=";
  const std::string spec = Poco::trim(header);
  if (spec.compare(0, prefix.size(), prefix) != 0) return whole;
  const std::string range = Poco::trim(spec.substr(prefix.size()));
  const std::size_t dash = range.find('-');
  if (dash == std::string::npos || range.find(',') != std::string::npos) return whole;
  const std::string first_text = Poco::trim(range.substr(0, dash));
  const std::string last_text = Poco::trim(range.substr(dash + 1));

  std::int64_t first = 0, last = 0;
  if (first_text.empty()) {  // "-N": the last N bytes
    if (!parseNumber(last_text, last) || last == 0) return whole;
    if (size == 0) return {ByteRange::Kind::Unsatisfiable, 0, 0};
    const std::int64_t length = std::min(last, size);
    return {ByteRange::Kind::Part, size - length, length};
  }
  if (!parseNumber(first_text, first)) return whole;
  if (last_text.empty()) {
    last = size - 1;
  } else if (!parseNumber(last_text, last) || last < first) {
    return whole;
  }
  if (first >= size) return {ByteRange::Kind::Unsatisfiable, 0, 0};
  last = std::min(last, size - 1);
  return {ByteRange::Kind::Part, first, last - first + 1};
}

}  // namespace fieldlink::attachments

#include "text_normaliser.hpp"

#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>

namespace fieldlink::text {
namespace {

bool isDroppedControl(int cp) {
  if (cp == '\n' || cp == '\t') return false;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

bool isSpace(int cp) {
  return cp == ' ' || cp == '\n' || cp == '\t' || cp == 0xA0 || cp == 0x3000 ||
         (cp >= 0x2000 && cp <= 0x200B) || cp == 0xFEFF;
}

// Poco's decoder accepts a few sequences RFC 3629 forbids; refuse them explicitly.
bool isForbiddenCodePoint(int cp) { return (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF; }

}  // namespace

std::optional<NormalisedText> normaliseText(const std::string& raw) {
  Poco::UTF8Encoding utf8;
  Poco::TextIterator it(raw, utf8);
  Poco::TextIterator end(raw);
  std::u32string code_points;
  code_points.reserve(raw.size());
  bool previous_was_cr = false;
  for (; it != end; ++it) {
    const int cp = *it;
    if (cp < 0 || isForbiddenCodePoint(cp)) return std::nullopt;
    if (cp == '\r') {
      code_points.push_back('\n');
      previous_was_cr = true;
      continue;
    }
    if (cp == '\n' && previous_was_cr) {
      previous_was_cr = false;
      continue;
    }
    previous_was_cr = false;
    if (isDroppedControl(cp)) continue;
    code_points.push_back(static_cast<char32_t>(cp));
  }
  std::size_t first = 0;
  std::size_t last = code_points.size();
  while (first < last && isSpace(static_cast<int>(code_points[first]))) ++first;
  while (last > first && isSpace(static_cast<int>(code_points[last - 1]))) --last;

  NormalisedText out;
  out.code_points = last - first;
  unsigned char buffer[4];
  for (std::size_t i = first; i < last; ++i) {
    const int n = utf8.convert(static_cast<int>(code_points[i]), buffer, sizeof buffer);
    out.text.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
  }
  return out;
}

std::string firstCharacters(const std::string& text, std::size_t max_code_points) {
  Poco::UTF8Encoding utf8;
  Poco::TextIterator it(text, utf8);
  Poco::TextIterator end(text);
  std::string out;
  unsigned char buffer[4];
  for (std::size_t count = 0; it != end; ++it, ++count) {
    if (count == max_code_points) return out + "\u2026";
    const int n = utf8.convert(*it, buffer, sizeof buffer);
    if (n > 0) out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace fieldlink::text

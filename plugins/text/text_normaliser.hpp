#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace fieldlink::text {

struct NormalisedText {
  std::string text;         // valid UTF-8, trimmed, control characters removed
  std::size_t code_points;  // length as a user counts characters
};

// Returns nullopt when `raw` is not valid UTF-8. Keeps newlines and tabs (people write
// multi-line messages), turns CRLF and lone CR into LF, drops every other control
// character, and trims white space at both ends.
std::optional<NormalisedText> normaliseText(const std::string& raw);

// The first `max_code_points` characters of valid UTF-8 `text`, with an ellipsis when cut.
std::string firstCharacters(const std::string& text, std::size_t max_code_points);

}  // namespace fieldlink::text

// The text message type's validation: any bytes as the text a client sends. The normalised
// text must be valid UTF-8, trimmed, free of control characters but newline and tab,
// counted right, and normalising it again must change nothing. Cutting it for a preview
// must give valid UTF-8 too.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "text/text_normaliser.hpp"
#include "ws/frame_codec.hpp"

using namespace fieldlink;

namespace {

std::size_t codePoints(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\t'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  const auto normalised = text::normaliseText(raw);
  if (!normalised) {
    if (ws::isValidUtf8(raw)) std::abort();  // valid UTF-8 is never refused
    return 0;
  }
  const std::string& text = normalised->text;
  if (!ws::isValidUtf8(text)) std::abort();
  if (normalised->code_points != codePoints(text)) std::abort();
  if (!text.empty() && (isSpace(text.front()) || isSpace(text.back()))) std::abort();
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) std::abort();
  const auto again = text::normaliseText(text);
  if (!again || again->text != text) std::abort();
  for (std::size_t keep : {0, 1, 5, 80}) {
    const std::string preview = text::firstCharacters(text, keep);
    if (!ws::isValidUtf8(preview)) std::abort();
  }
  return 0;
}

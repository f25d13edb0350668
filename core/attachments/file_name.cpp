#include "attachments/file_name.hpp"

#include <Poco/String.h>
#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>

namespace fieldlink::attachments {
namespace {

bool isUnsafe(int ch) {
  if (ch < 0x20 || (ch >= 0x7f && ch <= 0x9f)) return true;  // C0, DEL, C1 controls
  // Bidirectional overrides and isolates make "invoice<RLO>fdp.exe" display as a PDF.
  if ((ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069)) return true;
  return ch == 0x200e || ch == 0x200f || ch == 0xfeff;
}

}  // namespace

std::string sanitiseFileName(const std::string& raw) {
  const std::size_t slash = raw.find_last_of("/\\");
  const std::string last = slash == std::string::npos ? raw : raw.substr(slash + 1);

  Poco::UTF8Encoding utf8;
  std::string clean;
  for (Poco::TextIterator it(last, utf8), end(last); it != end; ++it) {
    const int ch = *it;
    if (ch < 0 || isUnsafe(ch)) continue;  // ch < 0: not valid UTF-8
    unsigned char bytes[4];
    const int length = utf8.convert(ch, bytes, sizeof bytes);
    if (clean.size() + static_cast<std::size_t>(length) > kMaxFileNameBytes) break;
    clean.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
  }
  Poco::trimInPlace(clean);
  const std::size_t first = clean.find_first_not_of('.');
  return first == std::string::npos ? std::string() : clean.substr(first);
}

}  // namespace fieldlink::attachments

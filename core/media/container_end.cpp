#include "media/container_end.hpp"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <vector>

namespace fieldlink::media {
namespace {

constexpr std::size_t kOggHeaderBytes = 27;
constexpr std::size_t kOggMaxPageBytes = kOggHeaderBytes + 255 + 255 * 255;
constexpr unsigned char kOggEndOfStream = 0x04;

std::uint32_t littleEndian32(const unsigned char* p) {
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
         std::uint32_t(p[3]) << 24;
}

std::vector<unsigned char> readTail(std::ifstream& in, std::size_t size, std::size_t max) {
  const std::size_t length = std::min(size, max);
  std::vector<unsigned char> tail(length);
  in.seekg(static_cast<std::streamoff>(size - length));
  in.read(reinterpret_cast<char*>(tail.data()), static_cast<std::streamsize>(length));
  if (!in) tail.clear();
  return tail;
}

// RFC 3533: a logical stream's last page carries the end-of-stream flag, and a complete file
// ends with a complete page.
bool oggEndsCleanly(std::ifstream& in, std::size_t size) {
  const auto tail = readTail(in, size, kOggMaxPageBytes);
  for (std::size_t at = tail.size() >= kOggHeaderBytes ? tail.size() - kOggHeaderBytes + 1 : 0;
       at-- > 0;) {
    if (std::memcmp(&tail[at], "OggS", 4) != 0) continue;
    const std::size_t segments = tail[at + 26];
    const std::size_t table = at + kOggHeaderBytes;
    if (table + segments > tail.size()) continue;
    std::size_t end = table + segments;
    for (std::size_t i = 0; i < segments; ++i) end += tail[table + i];
    if (end == tail.size()) return (tail[at + 5] & kOggEndOfStream) != 0;
  }
  return false;
}

// The RIFF header states the file's length; recorders that cannot know it write 0 or ~0.
bool wavEndsCleanly(std::ifstream& in, std::size_t size) {
  unsigned char header[8];
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return false;
  const std::uint32_t riff_size = littleEndian32(header + 4);
  if (riff_size == 0 || riff_size == 0xffffffffu) return true;
  return std::uint64_t(riff_size) + 8 <= size;
}

}  // namespace

bool endsCleanly(const std::string& path, const std::string& container) {
  if (container != "ogg" && container != "wav") return true;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return false;
  const auto size = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  return container == "ogg" ? oggEndsCleanly(in, size) : wavEndsCleanly(in, size);
}

}  // namespace fieldlink::media

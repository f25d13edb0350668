#include "media/content_sniffer.hpp"

#include <magic.h>

#include <map>
#include <stdexcept>

namespace fieldlink::media {
namespace {

std::string registeredName(const std::string& libmagic_name) {
  static const std::map<std::string, std::string> aliases = {
      {"audio/x-wav", "audio/wav"},         {"audio/x-m4a", "audio/mp4"},
      {"audio/x-mp4a-latm", "audio/mp4"},   {"application/ogg", "audio/ogg"},
      {"audio/x-hx-aac-adts", "audio/aac"}, {"image/x-ms-bmp", "image/bmp"}};
  const auto it = aliases.find(libmagic_name);
  return it == aliases.end() ? libmagic_name : it->second;
}

}  // namespace

ContentSniffer::ContentSniffer() : magic_(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) {
  if (!magic_) throw std::runtime_error("libmagic: cannot allocate a handle");
  if (magic_load(magic_, nullptr) != 0) {
    const std::string why = magic_error(magic_) ? magic_error(magic_) : "unknown error";
    magic_close(magic_);
    throw std::runtime_error("libmagic: cannot load its database: " + why);
  }
}

ContentSniffer::~ContentSniffer() { magic_close(magic_); }

std::string ContentSniffer::contentType(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const char* type = magic_file(magic_, path.c_str());
  return type ? registeredName(type) : "application/octet-stream";
}

}  // namespace fieldlink::media

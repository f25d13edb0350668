#include "media/media_probe.hpp"

#include <algorithm>
#include <thread>

#include "media/av_probe.hpp"
#include "media/image_metadata.hpp"

namespace fieldlink::media {
namespace {

bool startsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

int slots(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

MediaProbe::MediaProbe(int concurrent_decodes)
    : decode_slots_(slots(concurrent_decodes), slots(concurrent_decodes)) {}

sdk::MediaInfo MediaProbe::probe(const std::string& path) const {
  sdk::MediaInfo info;
  info.content_type = sniffer_.contentType(path);
  if (startsWith(info.content_type, "image/")) {
    probeImage(path, info);
  } else if (startsWith(info.content_type, "audio/") || startsWith(info.content_type, "video/")) {
    decode_slots_.wait();
    try {
      probeAudioVideo(path, info);
    } catch (...) {
      decode_slots_.set();
      throw;
    }
    decode_slots_.set();
    // libmagic names a WebM or MP4 "video/..." from its container alone; a file with
    // sound only (a browser's voice recording) is audio.
    if (!info.has_video && startsWith(info.content_type, "video/"))
      info.content_type = "audio/" + info.content_type.substr(6);
  }
  return info;
}

}  // namespace fieldlink::media

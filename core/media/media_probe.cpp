#include "media/media_probe.hpp"

#include <algorithm>
#include <thread>

#include "media/av_probe.hpp"
#include "media/image_metadata.hpp"
#include "media/media_error.hpp"

namespace fieldlink::media {
namespace {

bool startsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

int slots(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// libmagic names a WebM or MP4 "video/..." from its container alone; a file with sound only
// (a browser's voice recording) is audio.
void nameSoundOnly(sdk::MediaInfo& info) {
  if (info.has_audio && !info.has_video && startsWith(info.content_type, "video/"))
    info.content_type = "audio/" + info.content_type.substr(6);
}

}  // namespace

MediaProbe::MediaProbe(int concurrent_decodes, metrics::Counter* decodes, ProbeBudget budget)
    : decode_slots_(slots(concurrent_decodes), slots(concurrent_decodes)),
      decodes_(decodes),
      budget_(budget) {}

void MediaProbe::refuseOverPixels(const sdk::MediaInfo& info, const char* what) const {
  if (budget_.max_pixels > 0 && info.width && info.height &&
      std::int64_t{*info.width} * *info.height > budget_.max_pixels)
    throw MediaTooCostly(std::string(what) + " more pixels than attachments.max_pixels allows.");
}

sdk::MediaInfo MediaProbe::probe(const std::string& path, const Screen& screen) const {
  sdk::MediaInfo info;
  info.content_type = sniffer_.contentType(path);
  if (screen) screen(info);
  if (startsWith(info.content_type, "image/")) {
    probeImage(path, info);
    // Nothing here decodes the pixels, but the browsers that show it will.
    refuseOverPixels(info, "The image has");
  } else if (startsWith(info.content_type, "audio/") || startsWith(info.content_type, "video/")) {
    decode_slots_.wait();
    try {
      // The clock starts once the file has its turn: waiting is not decoding.
      media::AvInput input(
          path,
          DecodeBudget{std::chrono::steady_clock::now() + budget_.decode_time, budget_.max_pixels});
      input.declared(info);
      nameSoundOnly(info);
      refuseOverPixels(info, "The video's frames have");
      if (screen && (info.has_audio || info.has_video)) screen(info);
      if (decodes_) decodes_->add();
      input.measure(info);
    } catch (...) {
      decode_slots_.set();
      throw;
    }
    decode_slots_.set();
    nameSoundOnly(info);
  }
  return info;
}

}  // namespace fieldlink::media

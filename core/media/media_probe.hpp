#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <Poco/Semaphore.h>

#include <fieldlink/sdk/media.hpp>

#include "media/content_sniffer.hpp"
#include "metrics/instruments.hpp"

namespace fieldlink::media {

// What checking one file may cost: the time decoding an audio or video file may take (from
// when it gets its turn), and the pixels of an image or a video frame (0: any).
struct ProbeBudget {
  std::chrono::milliseconds decode_time{std::chrono::seconds(20)};
  std::int64_t max_pixels = 40'000'000;
};

// The host's media probe: what the bytes of a file are, by the libraries made for it.
class MediaProbe {
 public:
  // At most `concurrent_decodes` audio/video files are decoded at once (0: one per core);
  // more uploads wait their turn rather than share the CPU between them all.
  // `decodes` (optional) counts the audio and video files decoded (not those refused from
  // their header).
  explicit MediaProbe(int concurrent_decodes = 0, metrics::Counter* decodes = nullptr,
                      ProbeBudget budget = ProbeBudget());

  // Told what is known of a file before anything decodes it: its sniffed type alone, then
  // for audio and video what the container's header declares (sdk::UploadScreen). Throws to
  // refuse the file there.
  using Screen = std::function<void(const sdk::MediaInfo& known)>;

  // Sniffs the type; for images, audio and video also reads what their libraries can tell,
  // asking `screen` (may be empty) before each costlier step. Throws MediaInvalid when a file
  // of a known kind cannot be read as that kind, and MediaTooCostly when checking it would
  // exceed the budget.
  sdk::MediaInfo probe(const std::string& path, const Screen& screen = {}) const;

 private:
  // MediaTooCostly when the picture (`what` names it) has more pixels than the budget.
  void refuseOverPixels(const sdk::MediaInfo& info, const char* what) const;

  ContentSniffer sniffer_;
  mutable Poco::Semaphore decode_slots_;
  metrics::Counter* decodes_;
  ProbeBudget budget_;
};

}  // namespace fieldlink::media

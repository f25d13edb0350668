#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <fieldlink/sdk/media.hpp>

namespace fieldlink::media {

// What checking one file may cost.
struct DecodeBudget {
  std::chrono::steady_clock::time_point deadline;  // libav is interrupted there
  std::int64_t max_pixels = 0;                     // of a video frame; 0: any
};

// Opens an audio or video file with libavformat, reads every packet and fills in the
// container, codecs, stream kinds, dimensions and the duration measured from the packets.
// Throws MediaInvalid when the file cannot be demuxed, is corrupt, or ends well before the
// duration its header declares (a truncated upload); MediaTooCostly when its frames are
// larger than the budget allows (before decoding) or the deadline passes (decoding stops).
void probeAudioVideo(const std::string& path, sdk::MediaInfo& info, const DecodeBudget& budget);

}  // namespace fieldlink::media

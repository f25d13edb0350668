#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <fieldlink/sdk/media.hpp>

namespace fieldlink::media {

// What checking one file may cost.
struct DecodeBudget {
  std::chrono::steady_clock::time_point deadline;  // libav is interrupted there
  std::int64_t max_pixels = 0;                     // of a video frame; 0: any
};

// An audio or video file opened with libavformat (the accepted containers, local files
// only, interrupted at the budget's deadline): its header read, nothing decoded yet. One
// thread at a time; libav's complaints are captured while it lives.
class AvInput {
 public:
  // Throws MediaInvalid when the file is not a container fieldlink reads.
  AvInput(const std::string& path, DecodeBudget budget);
  ~AvInput();
  AvInput(const AvInput&) = delete;
  AvInput& operator=(const AvInput&) = delete;

  // What the header declares: container, codecs, stream kinds, dimensions, and the duration
  // it states as duration_ms (unset when none). Nothing decoded, nothing measured; streams a
  // header does not describe are not there yet.
  void declared(sdk::MediaInfo& info);

  // Reads every packet and fills in the container, codecs, stream kinds, dimensions and the
  // duration measured from the packets. Throws MediaInvalid when the file is corrupt, or ends
  // well before the duration its header declares (a truncated upload); MediaTooCostly when
  // its frames are larger than the budget allows (before decoding) or the deadline passes
  // (decoding stops).
  void measure(sdk::MediaInfo& info);

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::string path_;
};

}  // namespace fieldlink::media

#pragma once

#include <string>

#include <Poco/Semaphore.h>

#include <fieldlink/sdk/media.hpp>

#include "media/content_sniffer.hpp"

namespace fieldlink::media {

// The host's media probe: what the bytes of a file are, by the libraries made for it.
class MediaProbe {
 public:
  // At most `concurrent_decodes` audio/video files are decoded at once (0: one per core);
  // more uploads wait their turn rather than share the CPU between them all.
  explicit MediaProbe(int concurrent_decodes = 0);

  // Sniffs the type; for images, audio and video also reads what their libraries can tell.
  // Throws MediaInvalid when a file of a known kind cannot be read as that kind.
  sdk::MediaInfo probe(const std::string& path) const;

 private:
  ContentSniffer sniffer_;
  mutable Poco::Semaphore decode_slots_;
};

}  // namespace fieldlink::media

#pragma once

#include <string>

#include <fieldlink/sdk/media.hpp>

#include "media/content_sniffer.hpp"

namespace fieldlink::media {

// The host's media probe: what the bytes of a file are, by the libraries made for it.
class MediaProbe {
 public:
  // Sniffs the type; for images, audio and video also reads what their libraries can tell.
  // Throws MediaInvalid when a file of a known kind cannot be read as that kind.
  sdk::MediaInfo probe(const std::string& path) const;

 private:
  ContentSniffer sniffer_;
};

}  // namespace fieldlink::media

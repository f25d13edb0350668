#pragma once

#include <string>

#include <fieldlink/sdk/media.hpp>

namespace fieldlink::media {

// Reads a HEIC/HEIF photo's size and whether any of its images carries GPS coordinates,
// with libheif (exiv2 0.27 does not find Exif in HEIF files). Throws MediaInvalid when
// libheif cannot read the file.
void probeHeif(const std::string& path, sdk::MediaInfo& info);

}  // namespace fieldlink::media

#pragma once

#include <string>

#include <fieldlink/sdk/media.hpp>

namespace fieldlink::media {

// Reads an image's dimensions and whether it carries GPS metadata, with exiv2. Throws
// MediaInvalid when exiv2 cannot read it as the image it was sniffed to be.
void probeImage(const std::string& path, sdk::MediaInfo& info);

// Removes every GPS field (EXIF GPSInfo and XMP exif:GPS*) from the image in place.
void stripLocation(const std::string& path);

}  // namespace fieldlink::media

#pragma once

#include <string>

#include <fieldlink/sdk/media.hpp>

namespace fieldlink::media {

// Reads an image's dimensions and whether it carries GPS metadata, with exiv2 (libheif for
// HEIC). `info.content_type` must be set. Throws MediaInvalid when the library cannot read
// it as the image it was sniffed to be.
void probeImage(const std::string& path, sdk::MediaInfo& info);

// Removes every GPS field (EXIF GPSInfo and XMP exif:GPS*) from the image in place. Throws
// MediaInvalid for a format whose metadata cannot be rewritten (HEIC).
void stripLocation(const std::string& path, const std::string& content_type);

}  // namespace fieldlink::media

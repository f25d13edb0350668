#include "media/image_metadata.hpp"

#include <exiv2/exiv2.hpp>

#include <mutex>

#include "media/heif_metadata.hpp"
#include "media/media_error.hpp"

namespace fieldlink::media {
namespace {

// exiv2's XMP toolkit keeps global state: one image at a time (uploads are rare enough).
std::mutex& exiv2Mutex() {
  static std::mutex mutex;
  static const bool initialised = [] {
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
    Exiv2::XmpParser::initialize();
    return true;
  }();
  (void)initialised;
  return mutex;
}

bool isGpsXmp(const Exiv2::Xmpdatum& datum) { return datum.key().rfind("Xmp.exif.GPS", 0) == 0; }

// Opens and reads the image, then hands it to `use`; exiv2's own errors become MediaInvalid.
template <class Use>
void withImage(const std::string& path, Use&& use) {
  try {
    auto image = Exiv2::ImageFactory::open(path);
    image->readMetadata();
    use(*image);
  } catch (const Exiv2::AnyError&) {
    throw MediaInvalid("The image cannot be read.");
  }
}

}  // namespace

void probeImage(const std::string& path, sdk::MediaInfo& info) {
  if (info.content_type == "image/heic") return probeHeif(path, info);
  std::lock_guard<std::mutex> lock(exiv2Mutex());
  withImage(path, [&](Exiv2::Image& image) {
    if (image.pixelWidth() > 0 && image.pixelHeight() > 0) {
      info.width = static_cast<int>(image.pixelWidth());
      info.height = static_cast<int>(image.pixelHeight());
    } else {
      throw MediaInvalid("The image's dimensions cannot be read.");  // every real one states them
    }
    for (const auto& datum : image.exifData())
      if (datum.groupName() == "GPSInfo") info.has_location = true;
    for (const auto& datum : image.xmpData())
      if (isGpsXmp(datum)) info.has_location = true;
  });
}

void stripLocation(const std::string& path, const std::string& content_type) {
  // Neither exiv2 0.27 nor libheif rewrites a HEIF file's metadata in place.
  if (content_type == "image/heic")
    throw MediaInvalid(
        "This HEIC photo carries its location, which cannot be removed from HEIC here: send "
        "it as JPEG, or without location.");
  std::lock_guard<std::mutex> lock(exiv2Mutex());
  withImage(path, [](Exiv2::Image& image) {
    Exiv2::ExifData& exif = image.exifData();
    for (auto it = exif.begin(); it != exif.end();)
      it = it->groupName() == "GPSInfo" ? exif.erase(it) : std::next(it);
    Exiv2::XmpData& xmp = image.xmpData();
    for (auto it = xmp.begin(); it != xmp.end();)
      it = isGpsXmp(*it) ? xmp.erase(it) : std::next(it);
    try {
      image.writeMetadata();
    } catch (const Exiv2::AnyError&) {
      // exiv2 reads HEIC but cannot rewrite it: refuse rather than keep the coordinates.
      throw MediaInvalid("The location data cannot be removed from this image; send it as JPEG.");
    }
  });
}

}  // namespace fieldlink::media

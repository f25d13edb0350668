#include "media/heif_metadata.hpp"

#include <libheif/heif.h>

#include <exiv2/exiv2.hpp>

#include <memory>
#include <vector>

#include "media/media_error.hpp"

namespace fieldlink::media {
namespace {

struct FreeContext {
  void operator()(heif_context* context) const { heif_context_free(context); }
};
struct ReleaseHandle {
  void operator()(heif_image_handle* handle) const { heif_image_handle_release(handle); }
};
using Handle = std::unique_ptr<heif_image_handle, ReleaseHandle>;

// HEIF stores Exif behind a 4-byte big-endian offset to the TIFF header.
bool exifHasGps(const std::vector<std::uint8_t>& block) {
  if (block.size() < 4) return false;
  const std::size_t offset = std::size_t(block[0]) << 24 | std::size_t(block[1]) << 16 |
                             std::size_t(block[2]) << 8 | std::size_t(block[3]);
  if (offset > block.size() - 4) return false;
  Exiv2::ExifData exif;
  try {
    Exiv2::ExifParser::decode(exif, block.data() + 4 + offset,
                              static_cast<std::uint32_t>(block.size() - 4 - offset));
  } catch (const Exiv2::AnyError&) {
    return true;  // unreadable Exif: it may hold anything, treat it as located
  }
  for (const auto& datum : exif)
    if (datum.groupName() == "GPSInfo") return true;
  return false;
}

bool blockHasLocation(const heif_image_handle& handle, heif_item_id id) {
  std::vector<std::uint8_t> block(heif_image_handle_get_metadata_size(&handle, id));
  if (heif_image_handle_get_metadata(&handle, id, block.data()).code != heif_error_Ok) return true;
  const std::string type = heif_image_handle_get_metadata_type(&handle, id);
  if (type == "Exif") return exifHasGps(block);
  const std::string text(block.begin(), block.end());
  return text.find("exif:GPS") != std::string::npos;  // XMP
}

bool hasLocation(const heif_image_handle& handle) {
  const int count = heif_image_handle_get_number_of_metadata_blocks(&handle, nullptr);
  std::vector<heif_item_id> ids(static_cast<std::size_t>(std::max(count, 0)));
  heif_image_handle_get_list_of_metadata_block_IDs(&handle, nullptr, ids.data(), count);
  for (const heif_item_id id : ids)
    if (blockHasLocation(handle, id)) return true;
  return false;
}

}  // namespace

void probeHeif(const std::string& path, sdk::MediaInfo& info) {
  std::unique_ptr<heif_context, FreeContext> context(heif_context_alloc());
  if (!context) throw std::bad_alloc();
  if (heif_context_read_from_file(context.get(), path.c_str(), nullptr).code != heif_error_Ok)
    throw MediaInvalid("The image cannot be read.");
  heif_image_handle* primary = nullptr;
  if (heif_context_get_primary_image_handle(context.get(), &primary).code != heif_error_Ok)
    throw MediaInvalid("The image cannot be read.");
  Handle primary_handle(primary);
  info.width = heif_image_handle_get_width(primary);
  info.height = heif_image_handle_get_height(primary);

  const int count = heif_context_get_number_of_top_level_images(context.get());
  std::vector<heif_item_id> ids(static_cast<std::size_t>(std::max(count, 0)));
  heif_context_get_list_of_top_level_image_IDs(context.get(), ids.data(), count);
  for (const heif_item_id id : ids) {
    heif_image_handle* image = nullptr;
    if (heif_context_get_image_handle(context.get(), id, &image).code != heif_error_Ok)
      throw MediaInvalid("The image cannot be read.");
    Handle handle(image);
    if (hasLocation(*image)) info.has_location = true;
  }
}

}  // namespace fieldlink::media

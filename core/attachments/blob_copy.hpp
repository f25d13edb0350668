#pragma once

#include <cstddef>
#include <string>

namespace fieldlink::attachments {

// Copies every blob under the attachment folder `from` (`<2 hex>/<sha256>`; `tmp/`, uploads
// still being received, is skipped) into `to`, keeping the layout. Each copy is checked
// against its name, so a damaged blob stops the copy instead of spreading; blobs `to`
// already holds are checked and kept. Returns how many blobs `to` received. Throws
// std::runtime_error naming the blob at fault.
std::size_t copyBlobs(const std::string& from, const std::string& to);

}  // namespace fieldlink::attachments

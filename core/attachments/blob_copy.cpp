#include "attachments/blob_copy.hpp"

#include <stdexcept>

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include "attachments/blob_store.hpp"

namespace fieldlink::attachments {
namespace {

bool isHex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::size_t copyBlobs(const std::string& from, const std::string& to) {
  std::size_t copied = 0;
  if (!Poco::File(from).exists()) return 0;
  Poco::File(to).createDirectories();
  for (Poco::DirectoryIterator shard(from), end; shard != end; ++shard) {
    const std::string prefix = shard.name();
    if (!shard->isDirectory() || prefix.size() != 2 || !isHex(prefix)) continue;  // tmp/
    const Poco::Path target_shard = Poco::Path(to).makeDirectory().pushDirectory(prefix);
    for (Poco::DirectoryIterator blob(shard->path()), blobs_end; blob != blobs_end; ++blob) {
      const std::string name = blob.name();
      if (name.size() != 64 || !isHex(name) || name.compare(0, 2, prefix) != 0) continue;
      const std::string target = Poco::Path(target_shard).setFileName(name).toString();
      const bool present = Poco::File(target).exists();
      const std::string written = present ? target : target + ".partial";
      if (!present) {
        Poco::File(target_shard).createDirectories();
        blob->copyTo(written);
      }
      if (BlobStore::sha256Of(written) != name) {
        if (!present) Poco::File(written).remove();
        throw std::runtime_error("attachment " + name + " does not match its checksum (" +
                                 (present ? target : blob->path()) + ")");
      }
      if (!present) {
        Poco::File(written).renameTo(target);
        ++copied;
      }
    }
  }
  return copied;
}

}  // namespace fieldlink::attachments

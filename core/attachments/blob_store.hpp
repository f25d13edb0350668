#pragma once

#include <mutex>
#include <string>

namespace fieldlink::attachments {

// Attachment bytes on disk, named by their sha256: `<root>/ab/abcdef...`. The same bytes
// are stored once however often they are uploaded. Uploads are received into `<root>/tmp`
// first, on the same file system, so adopting one is a rename.
class BlobStore {
 public:
  explicit BlobStore(std::string root);  // creates the folders; empties tmp/ of a past run

  const std::string& tempDir() const { return temp_dir_; }
  std::string pathOf(const std::string& sha256) const;
  bool contains(const std::string& sha256) const;

  // Moves a received file into the store under its hash; if those bytes are there already,
  // the received copy is deleted.
  void adopt(const std::string& received_path, const std::string& sha256);
  void remove(const std::string& sha256);

  static std::string sha256Of(const std::string& path);

 private:
  std::string root_;
  std::string temp_dir_;
};

}  // namespace fieldlink::attachments

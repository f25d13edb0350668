#include "attachments/blob_store.hpp"

#include <fstream>

#include <Poco/DigestEngine.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/SHA2Engine.h>

namespace fieldlink::attachments {

BlobStore::BlobStore(std::string root)
    : root_(std::move(root)), temp_dir_(Poco::Path(root_).append("tmp").toString()) {
  Poco::File temp(temp_dir_);
  // Whatever is in tmp/ was being received when the server stopped: never acknowledged.
  if (temp.exists()) temp.remove(true);
  temp.createDirectories();
}

std::string BlobStore::pathOf(const std::string& sha256) const {
  return Poco::Path(root_).append(sha256.substr(0, 2)).append(sha256).toString();
}

bool BlobStore::contains(const std::string& sha256) const {
  return Poco::File(pathOf(sha256)).exists();
}

void BlobStore::adopt(const std::string& received_path, const std::string& sha256) {
  Poco::File received(received_path);
  if (contains(sha256)) {
    received.remove();
    return;
  }
  Poco::File(Poco::Path(pathOf(sha256)).parent()).createDirectories();
  received.renameTo(pathOf(sha256));
}

void BlobStore::remove(const std::string& sha256) {
  Poco::File blob(pathOf(sha256));
  if (blob.exists()) blob.remove();
}

std::string BlobStore::sha256Of(const std::string& path) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  std::ifstream in(path, std::ios::binary);
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
    engine.update(buffer, static_cast<unsigned>(in.gcount()));
  if (in.bad()) throw std::runtime_error("cannot read " + path);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace fieldlink::attachments

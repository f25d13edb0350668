#include "web/web_assets.hpp"

#include <fstream>
#include <sstream>

#include <Poco/DigestEngine.h>
#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/SHA2Engine.h>

namespace fieldlink {
namespace {

// Only these kinds are served: anything else in the folder (notes, editor files) stays put.
const std::map<std::string, std::string>& contentTypes() {
  static const std::map<std::string, std::string> types = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"ico", "image/x-icon"},
      {"webmanifest", "application/manifest+json"},
  };
  return types;
}

}  // namespace

WebAssets::WebAssets(const std::string& dir) {
  if (dir.empty() || !Poco::File(dir).exists() || !Poco::File(dir).isDirectory()) return;
  for (Poco::DirectoryIterator it(dir), end; it != end; ++it) {
    if (!it->isFile()) continue;
    const Poco::Path path(it->path());
    const auto type = contentTypes().find(path.getExtension());
    if (type == contentTypes().end()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    Poco::SHA2Engine sha256;
    sha256.update(body.str());
    const std::string digest = Poco::DigestEngine::digestToHex(sha256.digest());
    assets_[path.getFileName()] =
        Asset{type->second, body.str(), "\"" + digest.substr(0, 32) + "\""};
  }
}

const WebAssets::Asset* WebAssets::find(const std::string& name) const {
  const auto it = assets_.find(name);
  return it == assets_.end() ? nullptr : &it->second;
}

}  // namespace fieldlink

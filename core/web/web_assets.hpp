#pragma once

#include <map>
#include <string>

namespace fieldlink {

// The browser client's files (web.dir, flat), read once at start and served from memory:
// they are small, and a deploy replacing them under a running server then never serves half
// a file or a mix of two versions (a restart picks the new ones up).
class WebAssets {
 public:
  struct Asset {
    std::string content_type;
    std::string body;
    std::string etag;  // a strong validator: "sha256 of the body, shortened"
  };

  // A missing folder means no browser client: the page's routes answer 404.
  explicit WebAssets(const std::string& dir);

  // "index.html", "app.js": a file of the folder by its name; null if there is none.
  const Asset* find(const std::string& name) const;
  bool empty() const { return assets_.empty(); }

 private:
  std::map<std::string, Asset> assets_;
};

}  // namespace fieldlink

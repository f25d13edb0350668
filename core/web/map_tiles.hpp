#pragma once

#include <string>

namespace fieldlink {

// Where the web page's tracking map takes its tiles from: a URL template such as
// "https://tile.openstreetmap.org/{z}/{x}/{y}.png" (web.map_tiles_url) and the credit the
// tile provider asks to show (web.map_attribution). Unset: the page draws positions alone.
class MapTiles {
 public:
  MapTiles() = default;
  // Throws Poco::InvalidArgumentException unless `url_template` is empty or an http(s) URL
  // with a host and each of {z}, {x} and {y}.
  MapTiles(const std::string& url_template, const std::string& attribution);

  bool configured() const { return !url_template_.empty(); }
  const std::string& urlTemplate() const { return url_template_; }
  const std::string& attribution() const { return attribution_; }
  // "https://tile.example.org:8443": what the page's Content-Security-Policy must allow.
  const std::string& origin() const { return origin_; }

 private:
  std::string url_template_;
  std::string attribution_;
  std::string origin_;
};

}  // namespace fieldlink

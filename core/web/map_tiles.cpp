#include "web/map_tiles.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace fieldlink {

MapTiles::MapTiles(const std::string& url_template, const std::string& attribution)
    : url_template_(url_template), attribution_(attribution) {
  if (url_template_.empty()) return;
  const auto refuse = [](const std::string& why) {
    throw Poco::InvalidArgumentException("web.map_tiles_url " + why);
  };
  for (const char* placeholder : {"{z}", "{x}", "{y}"})
    if (url_template_.find(placeholder) == std::string::npos)
      refuse(std::string("must contain ") + placeholder);
  // The origin is also written into a header: nothing there may end the policy or the line.
  for (const char c : url_template_)
    if (static_cast<unsigned char>(c) <= ' ' || c == ';' || c == ',' || c == '\'' || c == '"')
      refuse("must not contain spaces, quotes, ';' or ','");
  Poco::URI uri;
  try {
    uri = Poco::URI(url_template_);
  } catch (const Poco::SyntaxException&) {
    refuse("is not a URL");
  }
  if (uri.getScheme() != "https" && uri.getScheme() != "http") refuse("must be http or https");
  if (uri.getHost().empty() || uri.getHost().find('{') != std::string::npos)
    refuse("must name a fixed host");
  origin_ = uri.getScheme() + "://" + uri.getAuthority();
  const auto at = origin_.find('@');
  if (at != std::string::npos) refuse("must not carry a user name or password");
}

}  // namespace fieldlink

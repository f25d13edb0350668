#include "http/router.hpp"

#include <Poco/StringTokenizer.h>

#include "domain/errors.hpp"

namespace fieldlink {
namespace {

// "/a/b/" -> {"a", "b", ""}: the trailing slash is a segment of its own, so "/a/b" and
// "/a/b/" are different paths, as in the service fieldlink replaces.
std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> segments;
  Poco::StringTokenizer parts(path, "/");
  for (std::size_t i = 0; i < parts.count(); ++i)
    if (i > 0 || !parts[i].empty()) segments.push_back(parts[i]);
  if (!path.empty() && path.back() == '/') segments.emplace_back();
  return segments;
}

bool isCapture(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(std::string method, std::string pattern, Access access, Handler handler) {
  Compiled compiled{Route{std::move(method), pattern, access, std::move(handler)}, split(pattern)};
  routes_.push_back(std::move(compiled));
}

void Router::setFallback(Access access, Handler handler) {
  fallback_ = Route{"GET", "", access, std::move(handler)};
}

RouteMatch Router::match(const std::string& requested, const std::string& path) const {
  // HEAD is the GET without its body (the connection leaves the body out).
  const std::string method = requested == "HEAD" ? "GET" : requested;
  const auto segments = split(path);
  bool path_known = false;
  for (const auto& candidate : routes_) {
    if (candidate.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      const auto& want = candidate.segments[i];
      if (isCapture(want)) {
        if (segments[i].empty())
          matches = false;
        else
          params[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        matches = want == segments[i];
      }
    }
    if (!matches) continue;
    path_known = true;
    if (candidate.route.method == method) return RouteMatch{&candidate.route, std::move(params)};
  }
  if (path_known) throw MethodNotAllowed("Method \"" + requested + "\" not allowed.");
  if (fallback_ && method == "GET") return RouteMatch{&*fallback_, {}};
  throw NotFound("Not found.");
}

}  // namespace fieldlink

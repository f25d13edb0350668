#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/api_request.hpp"

namespace fieldlink {

enum class Access { Public, Authenticated };

using Handler = std::function<ApiResponse(ApiRequest&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/requests/{id}/assign/"
  Access access = Access::Authenticated;
  Handler handler;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
};

// Maps method and path to a handler. Patterns are literal segments and {name} captures.
class Router {
 public:
  void add(std::string method, std::string pattern, Access access, Handler handler);
  // What answers a GET (or HEAD) whose path no route knows; without one, NotFound.
  void setFallback(Access access, Handler handler);
  // NotFound for an unknown path, MethodNotAllowed when the path exists with other methods.
  RouteMatch match(const std::string& method, const std::string& path) const;

 private:
  struct Compiled {
    Route route;
    std::vector<std::string> segments;
  };
  std::vector<Compiled> routes_;
  std::optional<Route> fallback_;
};

}  // namespace fieldlink

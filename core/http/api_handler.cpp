#include "http/api_handler.hpp"

#include <optional>

#include <Poco/URI.h>

#include "domain/errors.hpp"
#include "http/client_address.hpp"
#include "http/content_encoding.hpp"
#include "http/error_response.hpp"
#include "logging/access_log.hpp"
#include "logging/request_context.hpp"
#include "util/json_text.hpp"

namespace fieldlink {
namespace {

struct Compression {
  std::size_t min_bytes = 0;  // 0: never
  bool accepted = false;      // the client's Accept-Encoding takes gzip
};

std::string bearerToken(const Poco::Net::HTTPServerRequest& request) {
  const std::string header = request.get("Authorization", "");
  const std::string prefix = "Bearer ";
  if (header.rfind(prefix, 0) != 0 || header.size() == prefix.size())
    throw Unauthorized("Authentication credentials were not provided.");
  return header.substr(prefix.size());
}

// The file is streamed by the connection as the client reads it.
std::int64_t sendFile(BufferedResponse& out, const FileBody& file) {
  out.sendFileBody(file);
  return file.length;
}

// A text or JSON body, gzipped when the client accepts it and it is worth it.
std::int64_t sendText(Poco::Net::HTTPServerResponse& out, const std::string& text,
                      const Compression& compression) {
  if (compression.min_bytes > 0 && text.size() >= compression.min_bytes) {
    out.set("Vary", out.has("Vary") ? out.get("Vary") + ", Accept-Encoding" : "Accept-Encoding");
    if (compression.accepted) {
      const std::string packed = gzipped(text);
      out.set("Content-Encoding", "gzip");
      out.setContentLength64(static_cast<Poco::Int64>(packed.size()));
      out.send() << packed;
      return static_cast<std::int64_t>(packed.size());
    }
  }
  out.setContentLength64(static_cast<Poco::Int64>(text.size()));
  out.send() << text;
  return static_cast<std::int64_t>(text.size());
}

// Returns the body bytes sent.
std::int64_t send(BufferedResponse& out, const ApiResponse& response,
                  const Compression& compression) {
  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
  out.set("Cache-Control", "no-store");
  // The API serves data, never pages: nothing it sends may run, embed or be framed, and an
  // attachment opened in a browser cannot script the origin even if it is HTML or SVG.
  out.set("X-Content-Type-Options", "nosniff");
  out.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
  out.set("X-Frame-Options", "DENY");
  out.set("Referrer-Policy", "no-referrer");
  for (const auto& [name, value] : response.headers) out.set(name, value);
  if (response.file) return sendFile(out, *response.file);
  if (response.text) return sendText(out, *response.text, compression);
  if (response.body.isEmpty()) {
    out.setContentLength(0);
    out.send();
    return 0;
  }
  out.setContentType("application/json; charset=utf-8");
  return sendText(out, json_text::of(response.body), compression);
}

}  // namespace

void ApiHandler::handle(ServedRequest& request, BufferedResponse& response) const {
  const auto started = std::chrono::steady_clock::now();
  logging::RequestIdScope request_id(logging::requestIdFrom(request.get("X-Request-Id", "")));
  response.set("X-Request-Id", logging::currentRequestId());
  ApiResponse result;
  std::optional<ApiRequest> api;
  try {
    api.emplace(request, services_.max_body_bytes);
    if (request.getMethod() == "OPTIONS" && request.has("Access-Control-Request-Method")) {
      const auto allowed = services_.cors.preflight(request.get("Origin", ""));
      if (!allowed) throw Forbidden("This origin may not call the API.", "origin_not_allowed");
      result = ApiResponse::noContent();
      result.headers = *allowed;
    } else {
      const RouteMatch match =
          router_.match(request.getMethod(), Poco::URI(request.getURI()).getPath());
      api->setPathParams(match.params);
      if (match.route->access == Access::Authenticated)
        api->setCaller(services_.accounts.authenticate(bearerToken(request)));
      result = match.route->handler(*api);
    }
  } catch (...) {
    result = errorResponse(std::current_exception());
  }
  if (!services_.strict_transport_security.empty())
    result.headers.emplace("Strict-Transport-Security", services_.strict_transport_security);
  if (request.has("Origin"))
    for (const auto& [name, value] : services_.cors.headersFor(request.get("Origin")))
      result.headers.emplace(name, value);
  logging::AccessRecord record;
  record.status = result.status;
  if (api) record.user_id = api->callerId();
  record.remote = clientAddressOf(request, services_.trusted_proxies).toString();
  try {
    const Compression compression{services_.gzip_min_bytes,
                                  acceptsGzip(request.get("Accept-Encoding", ""))};
    record.bytes = send(response, result, compression);
  } catch (const std::exception&) {
    // A file that went away between the handler and here: nothing sensible to send.
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
    response.setContentLength(0);
    response.setKeepAlive(false);
  }
  services_.metrics.http_responses.add(result.status);
  record.took = std::chrono::steady_clock::now() - started;
  logging::logAccess(request, record);
}

}  // namespace fieldlink

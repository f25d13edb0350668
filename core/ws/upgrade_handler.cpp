#include "ws/upgrade_handler.hpp"

#include <Poco/NumberParser.h>
#include <Poco/SHA1Engine.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include "domain/errors.hpp"
#include "logging/access_log.hpp"
#include "logging/request_context.hpp"
#include "util/base64.hpp"
#include "ws/permessage_deflate.hpp"

namespace fieldlink::ws {
namespace {

constexpr const char* kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr const char* kBearerProtocol = "fieldlink.bearer";

std::string acceptKey(const std::string& key) {
  Poco::SHA1Engine sha1;
  sha1.update(key + kGuid);
  return base64(sha1.digest());
}

bool headerHasToken(const Poco::Net::HTTPServerRequest& request, const std::string& name,
                    const std::string& token) {
  Poco::StringTokenizer parts(
      request.get(name, ""), ",",
      Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto& part : parts)
    if (Poco::icompare(part, token) == 0) return true;
  return false;
}

int refuseHttp(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               const std::string& code, const std::string& detail) {
  response.setStatusAndReason(status);
  response.setKeepAlive(false);
  const std::string body = "{\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}";
  response.setContentType("application/json; charset=utf-8");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
  return status;
}

using TokenChoice = UpgradeHandler::TokenChoice;

// ?token=, or the Sec-WebSocket-Protocol list: "fieldlink.bearer, <token>" (the protocol
// echoed back is fieldlink.bearer) or the token alone.
TokenChoice findToken(const Poco::Net::HTTPServerRequest& request) {
  for (const auto& [key, value] : Poco::URI(request.getURI()).getQueryParameters())
    if (key == "token") return {value, ""};
  Poco::StringTokenizer offered(
      request.get("Sec-WebSocket-Protocol", ""), ",",
      Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  bool bearer = false;
  std::string token;
  for (const auto& protocol : offered) {
    if (protocol == kBearerProtocol)
      bearer = true;
    else if (std::count(protocol.begin(), protocol.end(), '.') == 2)
      token = protocol;
  }
  if (token.empty()) return {};
  return {token, bearer ? kBearerProtocol : token};
}

}  // namespace

bool isWebSocketPath(const std::string& path) { return path.rfind("/ws/", 0) == 0; }

std::shared_ptr<Connection> UpgradeHandler::handle(Poco::Net::HTTPServerRequest& request,
                                                   Poco::Net::HTTPServerResponse& response) {
  const auto started = std::chrono::steady_clock::now();
  logging::RequestIdScope request_id(logging::requestIdFrom(request.get("X-Request-Id", "")));
  response.set("X-Request-Id", logging::currentRequestId());
  logging::AccessRecord record;
  std::shared_ptr<Connection> connection;
  record.status = upgrade(request, response, record.user_id, connection);
  record.took = std::chrono::steady_clock::now() - started;
  logging::logAccess(request, record);
  return connection;
}

int UpgradeHandler::upgrade(Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response,
                            std::optional<std::int64_t>& user_id,
                            std::shared_ptr<Connection>& connection) {
  using Status = Poco::Net::HTTPResponse::HTTPStatus;
  const std::string path = Poco::URI(request.getURI()).getPath();
  std::optional<ConversationId> scope;
  std::optional<std::string> link_token;  // /ws/public/tracking/{token}/
  if (path != "/ws/") {
    Poco::StringTokenizer parts(path, "/", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    Poco::Int64 id = 0;
    if (public_.feed && parts.count() == 4 && parts[1] == "public" && parts[2] == "tracking" &&
        path.back() == '/')
      link_token = parts[3];
    else if (parts.count() != 3 || parts[1] != "chat" || path.back() != '/' ||
             !Poco::NumberParser::tryParse64(parts[2], id) || id <= 0)
      return refuseHttp(response, Status::HTTP_NOT_FOUND, "not_found", "Not found.");
    else
      scope = ConversationId(id);
  }
  const std::string key = request.get("Sec-WebSocket-Key", "");
  if (request.getMethod() != "GET" || !headerHasToken(request, "Upgrade", "websocket") ||
      !headerHasToken(request, "Connection", "upgrade") || key.empty())
    return refuseHttp(response, Status::HTTP_BAD_REQUEST, "websocket_expected",
                      "Expected a WebSocket upgrade request.");
  if (request.get("Sec-WebSocket-Version", "") != "13") {
    response.set("Sec-WebSocket-Version", "13");
    return refuseHttp(response, Status::HTTP_UPGRADE_REQUIRED, "websocket_version",
                      "Only WebSocket version 13 is supported.");
  }
  // A link's watcher has no account: no token is looked for, none is echoed.
  const TokenChoice token = link_token ? TokenChoice{} : findToken(request);
  connection = link_token ? publicWatcher(*link_token) : admitUser(token, scope, user_id);

  // Compression is agreed before the 101 goes out: the client may compress its very next frame.
  std::string extension;
  if (!connection->closing() && hub_.settings().deflate_min_bytes > 0)
    extension = acceptDeflateOffer(request.get("Sec-WebSocket-Extensions", ""));
  if (!extension.empty()) connection->enableDeflate();

  response.setStatusAndReason(Status::HTTP_SWITCHING_PROTOCOLS);
  response.set("Upgrade", "websocket");
  response.set("Connection", "Upgrade");
  response.set("Sec-WebSocket-Accept", acceptKey(key));
  if (!token.protocol.empty()) response.set("Sec-WebSocket-Protocol", token.protocol);
  if (!extension.empty()) response.set("Sec-WebSocket-Extensions", extension);
  // A refused upgrade is still a 101: the refusal is the WebSocket close code that follows.
  return Status::HTTP_SWITCHING_PROTOCOLS;
}

std::shared_ptr<Connection> UpgradeHandler::admitUser(const TokenChoice& token,
                                                      std::optional<ConversationId> scope,
                                                      std::optional<std::int64_t>& user_id) {
  // Who is asking, decided before answering: a connection that will be served is registered
  // first, so nothing published between the 101 and the start of serving is lost.
  try {
    if (token.token.empty()) throw Unauthorized("No token.");
    User user = accounts_.authenticate(token.token);
    user_id = user.id.value;
    // The user's conversations and who is in each: for presence and to check membership
    // without asking the database on every frame.
    std::map<std::int64_t, std::vector<std::int64_t>> conversations;
    for (const auto& conversation :
         store_.read([&](StoreSession& s) { return s.conversationPeopleOf(user.id); })) {
      auto& people = conversations[conversation.id.value];
      for (const UserId person : conversation.people) people.push_back(person.value);
    }
    if (scope && !conversations.count(scope->value))
      return hub_.refusal(close_code::kForbidden, "not a participant");
    std::uint16_t refusal = 0;
    if (auto connection = hub_.admit(Identity{std::move(user), scope}, conversations, refusal))
      return connection;
    return hub_.refusal(refusal, "too many connections for this user");
  } catch (const ApiError&) {
    return hub_.refusal(close_code::kUnauthorized, "not authenticated");
  }
}

std::shared_ptr<Connection> UpgradeHandler::publicWatcher(const std::string& token) {
  // No account: the token is the key, so every look counts against the client's address.
  try {
    if (public_.abuse) public_.abuse->publicTracking(public_.client_address);
  } catch (const TooManyRequests&) {
    return hub_.refusal(close_code::kTooManyConnections, "too many requests");
  }
  return public_.feed->admit(token);
}

}  // namespace fieldlink::ws

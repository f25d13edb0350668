#include "tracking/tracking_links.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "auth/random_id.hpp"
#include "domain/errors.hpp"

namespace fieldlink {
namespace {

std::string hashOf(const std::string& token) {
  Poco::SHA2Engine sha256(Poco::SHA2Engine::SHA_256);
  sha256.update(token);
  return Poco::DigestEngine::digestToHex(sha256.digest());
}

// Tokens are what randomId() makes: 32 lower-case hex digits. Anything else is no token, and
// is not worth a look in the store.
bool looksLikeAToken(const std::string& token) {
  if (token.size() != 32) return false;
  for (char c : token)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string firstNameOf(const std::string& display_name) {
  const auto start = display_name.find_first_not_of(' ');
  if (start == std::string::npos) return "";
  return display_name.substr(start, display_name.find(' ', start) - start);
}

}  // namespace

ServiceRequest TrackingLinks::requireSharer(const User& caller, RequestId id) {
  const ServiceRequest request = requests_.get(caller, id);  // NotFound for outsiders
  if (caller.role == Role::Technician)
    throw Forbidden("The request's client or a dispatcher shares its tracking.");
  return request;
}

TrackingLinks::Created TrackingLinks::create(const User& caller, RequestId id) {
  const ServiceRequest request = requireSharer(caller, id);
  if (isFinal(request.status))
    throw Conflict("Tracking ended with the request (" + toString(request.status) + ").",
                   "tracking_stopped");
  return store_.write([&](StoreSession& s) { return insert(s, request.id, caller.id); });
}

TrackingLinks::Created TrackingLinks::issue(StoreSession& session, const ServiceRequest& request) {
  return insert(session, request.id, request.client_id);
}

TrackingLinks::Created TrackingLinks::insert(StoreSession& session, RequestId request, UserId by) {
  TrackingLinkRecord link;
  const std::string token = randomId();
  link.token_hash = hashOf(token);
  link.request_id = request;
  link.created_by = by;
  link.created_at = nowMs();
  link.expires_at = link.created_at + settings_.ttl;
  session.insertTrackingLink(link);
  return {token, settings_.public_url + "/t/" + token, link.expires_at};
}

void TrackingLinks::revoke(const User& caller, RequestId id) {
  const ServiceRequest request = requireSharer(caller, id);
  store_.write([&](StoreSession& s) { return s.revokeTrackingLinks(request.id); });
  if (revoked_) revoked_(request.id);
}

TrackingLinks::Opened TrackingLinks::openLink(const std::string& token) {
  const NotFound unknown("This tracking link is unknown, expired or revoked.");
  if (!looksLikeAToken(token)) throw unknown;
  struct Found {
    ServiceRequest request;
    std::string technician_name;
    TimePoint expires_at;
  };
  const auto found = store_.read([&](StoreSession& s) -> std::optional<Found> {
    const auto link = s.findTrackingLink(hashOf(token));
    if (!link || link->revoked || link->expires_at <= nowMs()) return std::nullopt;
    auto request = s.findRequest(link->request_id);
    if (!request || isFinal(request->status)) return std::nullopt;
    std::string name;
    if (request->technician_id)
      if (const auto technician = s.findUser(*request->technician_id))
        name = firstNameOf(technician->display_name);
    return Found{std::move(*request), std::move(name), link->expires_at};
  });
  if (!found) throw unknown;
  return {found->request.id, found->request.conversation_id, found->expires_at,
          tracker_.publicView(found->request, found->technician_name)};
}

}  // namespace fieldlink

#include "calls/ice_servers.hpp"

#include <Poco/Exception.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA1Engine.h>
#include <Poco/StringTokenizer.h>

#include "util/base64.hpp"

namespace fieldlink {
namespace {

std::vector<std::string> urlList(const std::string& text, const std::string& key,
                                 const std::vector<std::string>& schemes) {
  std::vector<std::string> out;
  const Poco::StringTokenizer parts(
      text, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto& url : parts) {
    bool known = false;
    for (const auto& scheme : schemes) known = known || url.rfind(scheme + ":", 0) == 0;
    if (!known || url.size() <= url.find(':') + 1)
      throw Poco::InvalidArgumentException(key + ": '" + url + "' is not a " + schemes.front() +
                                           ": URL");
    out.push_back(url);
  }
  return out;
}

Poco::JSON::Array::Ptr array(const std::vector<std::string>& urls) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& url : urls) out->add(url);
  return out;
}

}  // namespace

IceServers::IceServers(const std::string& stun_urls, const std::string& turn_urls,
                       std::string turn_secret, std::chrono::seconds credential_ttl)
    : stun_(urlList(stun_urls, "calls.stun_urls", {"stun", "stuns"})),
      turn_(urlList(turn_urls, "calls.turn_urls", {"turn", "turns"})),
      secret_(std::move(turn_secret)),
      ttl_(credential_ttl) {
  if (!turn_.empty() && secret_.size() < 16)
    throw Poco::InvalidArgumentException(
        "calls.turn_secret: the TURN server's shared secret, 16 characters or more");
}

std::string IceServers::turnPassword(const std::string& secret, const std::string& username) {
  Poco::HMACEngine<Poco::SHA1Engine> hmac(secret);
  hmac.update(username);
  return base64(hmac.digest());
}

Poco::JSON::Object::Ptr IceServers::forUser(std::int64_t user_id,
                                            std::chrono::system_clock::time_point now) const {
  Poco::JSON::Array::Ptr servers = new Poco::JSON::Array;
  if (!stun_.empty()) {
    Poco::JSON::Object::Ptr stun = new Poco::JSON::Object;
    stun->set("urls", array(stun_));
    servers->add(stun);
  }
  if (!turn_.empty()) {
    const auto expiry =
        std::chrono::duration_cast<std::chrono::seconds>((now + ttl_).time_since_epoch()).count();
    const std::string username = std::to_string(expiry) + ":" + std::to_string(user_id);
    Poco::JSON::Object::Ptr turn = new Poco::JSON::Object;
    turn->set("urls", array(turn_));
    turn->set("username", username);
    turn->set("credential", turnPassword(secret_, username));
    servers->add(turn);
  }
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("ice_servers", servers);
  out->set("ttl", static_cast<std::int64_t>(ttl_.count()));
  return out;
}

}  // namespace fieldlink

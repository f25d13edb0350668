#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

namespace fieldlink {

// The STUN and TURN servers browsers use to connect a video call (calls.* settings). TURN
// credentials are made per user and expire, the way TURN servers with a shared secret check
// them (coturn's use-auth-secret): the username is "<expiry unix time>:<user id>", the
// password base64(HMAC-SHA1(secret, username)). Nothing is stored; the TURN server verifies.
class IceServers {
 public:
  IceServers() = default;
  // Throws Poco::InvalidArgumentException on a URL of the wrong scheme, or TURN URLs without
  // a secret of 16 characters or more.
  IceServers(const std::string& stun_urls, const std::string& turn_urls, std::string turn_secret,
             std::chrono::seconds credential_ttl);

  // {ice_servers: [{urls}, {urls, username, credential}], ttl}: what RTCPeerConnection takes.
  Poco::JSON::Object::Ptr forUser(std::int64_t user_id,
                                  std::chrono::system_clock::time_point now) const;

  static std::string turnPassword(const std::string& secret, const std::string& username);

 private:
  std::vector<std::string> stun_;
  std::vector<std::string> turn_;
  std::string secret_;
  std::chrono::seconds ttl_{3600};
};

}  // namespace fieldlink

#include "webhook_signing.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace fieldlink::webhook {
namespace {

// Poco's HMACEngine wants the block and digest sizes as constants on the engine type.
class Sha256Engine : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

}  // namespace

std::string signature(const std::string& secret, const std::string& timestamp,
                      const std::string& body) {
  Poco::HMACEngine<Sha256Engine> hmac(secret);
  hmac.update(timestamp + "." + body);
  return Poco::DigestEngine::digestToHex(hmac.digest());
}

std::chrono::milliseconds backoff(int attempt, std::chrono::milliseconds first,
                                  std::chrono::milliseconds cap) {
  std::chrono::milliseconds wait = first;
  for (int i = 2; i < attempt && wait < cap; ++i) wait *= 2;
  return std::min(wait, cap);
}

}  // namespace fieldlink::webhook

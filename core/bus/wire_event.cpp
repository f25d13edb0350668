#include "bus/wire_event.hpp"
#include "util/json_text.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace fieldlink {
namespace {

constexpr int kWireVersion = 1;
constexpr std::size_t kSignatureHexSize = 64;  // SHA-256

std::string signatureOf(const std::string& json, const std::string& secret) {
  Poco::DigestEngine::Digest mac(EVP_MAX_MD_SIZE);
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(json.data()), json.size(), mac.data(), &mac_size);
  mac.resize(mac_size);
  return Poco::DigestEngine::digestToHex(mac);
}

}  // namespace

std::string encodeWireEvent(const std::string& node, const sdk::Event& event,
                            const Routing& routing, const std::string& secret) {
  Poco::JSON::Object wire;
  wire.set("v", kWireVersion);
  wire.set("node", node);
  wire.set("type", event.type);
  wire.set("conversation_id", static_cast<Poco::Int64>(event.conversation_id));
  if (event.user_id) wire.set("user_id", static_cast<Poco::Int64>(*event.user_id));
  if (event.data) wire.set("data", event.data);
  wire.set("at_ms", static_cast<Poco::Int64>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 event.at.time_since_epoch())
                                                 .count()));
  Poco::JSON::Array::Ptr audience = new Poco::JSON::Array;
  for (const auto user : routing.audience) audience->add(static_cast<Poco::Int64>(user));
  wire.set("audience", audience);
  const std::string json = json_text::of(wire);
  return signatureOf(json, secret) + "." + json;
}

std::optional<WireEvent> decodeWireEvent(const std::string& text, const std::string& secret) {
  if (text.size() <= kSignatureHexSize || text[kSignatureHexSize] != '.') return std::nullopt;
  const std::string json = text.substr(kSignatureHexSize + 1);
  const std::string expected = signatureOf(json, secret);
  if (CRYPTO_memcmp(expected.data(), text.data(), kSignatureHexSize) != 0) return std::nullopt;
  try {
    const auto parsed = Poco::JSON::Parser().parse(json);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return std::nullopt;
    const auto wire = parsed.extract<Poco::JSON::Object::Ptr>();
    if (wire->optValue<int>("v", 0) != kWireVersion) return std::nullopt;
    WireEvent out;
    out.node = wire->getValue<std::string>("node");
    out.event.type = wire->getValue<std::string>("type");
    out.event.conversation_id = wire->getValue<Poco::Int64>("conversation_id");
    if (wire->has("user_id")) out.event.user_id = wire->getValue<Poco::Int64>("user_id");
    out.event.data = wire->has("data") ? wire->getObject("data")
                                       : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    if (!out.event.data) return std::nullopt;
    out.event.at =
        sdk::Clock::time_point(std::chrono::milliseconds(wire->getValue<Poco::Int64>("at_ms")));
    const auto audience = wire->getArray("audience");
    if (!audience) return std::nullopt;
    for (std::size_t i = 0; i < audience->size(); ++i)
      out.routing.audience.push_back(audience->getElement<Poco::Int64>(i));
    out.routing.remote = true;
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace fieldlink

// Events from Redis as a node reads them: anyone who reaches Redis can publish anything on
// the channel. Any text must be refused (null) or, if taken, be one a node holding the secret
// signed: what it decodes to re-encodes and decodes to the same event. The seeds are signed
// events (with the secret below), so mutations are near misses of real ones.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bus/wire_event.hpp"

using namespace fieldlink;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string kSecret = "fuzz-bus-secret-0123456789";
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto wire = decodeWireEvent(text, kSecret);
  if (!wire) return 0;
  if (!wire->routing.remote || !wire->event.data) std::abort();
  // Taken under the secret, refused under any other.
  if (decodeWireEvent(text, "another-secret-0123456789")) std::abort();
  const std::string again = encodeWireEvent(wire->node, wire->event, wire->routing, kSecret);
  const auto twice = decodeWireEvent(again, kSecret);
  if (!twice || twice->node != wire->node || twice->event.type != wire->event.type ||
      twice->event.conversation_id != wire->event.conversation_id ||
      twice->event.user_id != wire->event.user_id ||
      twice->routing.audience != wire->routing.audience)
    std::abort();
  return 0;
}

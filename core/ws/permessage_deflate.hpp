#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fieldlink::ws {

// permessage-deflate (RFC 7692), without context takeover in either direction: each message
// is compressed on its own, so a connection keeps no zlib state (a window and hash tables
// per connection would cost ~300 KB each) and one stream per thread serves everyone.

// The Sec-WebSocket-Extensions answer to the client's offers: the first permessage-deflate
// offer this server can honour, as "permessage-deflate; server_no_context_takeover;
// client_no_context_takeover", or empty to decline them all. Offers asking for a server
// window under 15 bits, or with parameters it does not know, are declined.
std::string acceptDeflateOffer(const std::string& offered_extensions);

// One message's payload compressed for a frame with RSV1 set.
std::string deflateMessage(std::string_view payload);

// One compressed message's payload back, at most `limit` bytes of it.
enum class InflateStatus { Ok, TooBig, Corrupt };
InflateStatus inflateMessage(std::string_view compressed, std::size_t limit, std::string& out);

}  // namespace fieldlink::ws

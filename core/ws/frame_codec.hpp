#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldlink::ws {

enum class Opcode : std::uint8_t {
  Continuation = 0x0,
  Text = 0x1,
  Binary = 0x2,
  Close = 0x8,
  Ping = 0x9,
  Pong = 0xA,
};

// RFC 6455 close codes, and fieldlink's own (4xxx) from shared/API.md.
namespace close_code {
constexpr std::uint16_t kNormal = 1000;
constexpr std::uint16_t kGoingAway = 1001;
constexpr std::uint16_t kProtocolError = 1002;
constexpr std::uint16_t kUnsupportedData = 1003;
constexpr std::uint16_t kInvalidPayload = 1007;
constexpr std::uint16_t kPolicyViolation = 1008;  // rate limit, too slow a sender
constexpr std::uint16_t kTooBig = 1009;
constexpr std::uint16_t kTryAgainLater = 1013;  // too slow a reader: reconnect and resume
constexpr std::uint16_t kUnauthorized = 4401;
constexpr std::uint16_t kForbidden = 4403;
constexpr std::uint16_t kNotFound = 4404;  // a tracking link that does not open (any more)
constexpr std::uint16_t kTooManyConnections = 4429;
}  // namespace close_code

// One complete message (continuation frames joined) or control frame.
struct Frame {
  Opcode opcode = Opcode::Text;
  std::string payload;
  bool compressed = false;  // permessage-deflate (RSV1): payload still to be inflated
};

// Incremental decoder of client-to-server frames. Feed bytes as they arrive; take complete
// frames out. It enforces what a server must: masked frames, no reserved bits, control
// frames short and unfragmented, continuation in order, a size limit on each message, and
// valid UTF-8 in text. On a violation it stops and reports the close code to send.
class FrameDecoder {
 public:
  // A server decodes masked client frames; a client (tests, the load generator) decodes
  // the server's unmasked ones.
  enum class Peer { Client, Server };
  explicit FrameDecoder(std::size_t max_message_bytes, Peer sender = Peer::Client)
      : max_message_bytes_(max_message_bytes), sender_(sender) {}

  // Ignored after a protocol error: nothing more the peer sends is kept.
  void feed(const char* data, std::size_t size) {
    if (error_ == 0) buffer_.append(data, size);
  }
  // The next complete frame, or nullopt when more bytes are needed or after an error.
  std::optional<Frame> next();
  // Non-zero once the peer broke the protocol: the close code to answer with.
  std::uint16_t error() const { return error_; }
  const std::string& errorReason() const { return error_reason_; }
  std::size_t buffered() const { return buffer_.size() - consumed_; }
  // Whether part of a message (or frame) has arrived and the rest has not.
  bool midMessage() const { return buffered() > 0 || fragmented_opcode_.has_value(); }
  // Once permessage-deflate is agreed: RSV1 marks a compressed message (on its first frame
  // only), whose size limit then counts compressed bytes and whose UTF-8 is checked by
  // whoever inflates it.
  void acceptCompressed() { accept_compressed_ = true; }

 private:
  std::optional<Frame> fail(std::uint16_t code, std::string reason);

  std::size_t max_message_bytes_;
  Peer sender_;
  std::string buffer_;
  std::size_t consumed_ = 0;
  std::string fragments_;
  std::optional<Opcode> fragmented_opcode_;
  bool fragmented_compressed_ = false;
  bool accept_compressed_ = false;
  std::uint16_t error_ = 0;
  std::string error_reason_;
};

// A server-to-client frame (unmasked, FIN set).
std::string encodeFrame(Opcode opcode, std::string_view payload, bool compressed = false);
// A client-to-server frame, masked with `mask` (for tests and the load generator).
std::string encodeMaskedFrame(Opcode opcode, std::string_view payload, std::uint32_t mask,
                              bool fin = true, bool compressed = false);
std::string closePayload(std::uint16_t code, std::string_view reason);
bool isValidUtf8(std::string_view text);

}  // namespace fieldlink::ws

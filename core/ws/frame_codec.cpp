#include "ws/frame_codec.hpp"

#include <Poco/UTF8Encoding.h>

namespace fieldlink::ws {
namespace {

bool isControl(std::uint8_t opcode) { return opcode & 0x8; }

bool isKnownOpcode(std::uint8_t opcode) {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

void appendLength(std::string& out, std::size_t length, std::uint8_t mask_bit) {
  if (length < 126) {
    out.push_back(static_cast<char>(mask_bit | length));
  } else if (length <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(length >> 8));
    out.push_back(static_cast<char>(length & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(length) >> shift) & 0xFF));
  }
}

}  // namespace

bool isValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    int length = 0;
    if ((*p & 0xE0) == 0xC0)
      length = 2;
    else if ((*p & 0xF0) == 0xE0)
      length = 3;
    else if ((*p & 0xF8) == 0xF0)
      length = 4;
    else
      return false;
    if (end - p < length) return false;
    // Rejects overlong forms, surrogates and code points above U+10FFFF.
    if (!Poco::UTF8Encoding::isLegal(p, length)) return false;
    p += length;
  }
  return true;
}

std::optional<Frame> FrameDecoder::fail(std::uint16_t code, std::string reason) {
  error_ = code;
  error_reason_ = std::move(reason);
  std::string().swap(buffer_);  // and its memory
  std::string().swap(fragments_);
  consumed_ = 0;
  return std::nullopt;
}

std::optional<Frame> FrameDecoder::next() {
  while (error_ == 0) {
    const auto* data = reinterpret_cast<const unsigned char*>(buffer_.data()) + consumed_;
    const std::size_t available = buffer_.size() - consumed_;
    if (available < 2) break;
    const bool fin = data[0] & 0x80;
    const std::uint8_t opcode = data[0] & 0x0F;
    const bool rsv1 = data[0] & 0x40;
    if ((data[0] & 0x30) || (rsv1 && !(accept_compressed_ && (opcode == 0x1 || opcode == 0x2))))
      return fail(close_code::kProtocolError, "reserved bits set");
    if (!isKnownOpcode(opcode)) return fail(close_code::kProtocolError, "unknown opcode");
    const bool masked = data[1] & 0x80;
    if (masked != (sender_ == Peer::Client))
      return fail(close_code::kProtocolError,
                  masked ? "server frames must not be masked" : "client frames must be masked");
    std::uint64_t length = data[1] & 0x7F;
    std::size_t header = 2;
    if (length == 126) {
      if (available < 4) break;
      length = (std::uint64_t{data[2]} << 8) | data[3];
      header = 4;
    } else if (length == 127) {
      if (available < 10) break;
      length = 0;
      for (int i = 0; i < 8; ++i) length = (length << 8) | data[2 + i];
      header = 10;
      // RFC 6455 5.2: the most significant bit of a 64-bit length must be 0.
      if (length >> 63) return fail(close_code::kProtocolError, "invalid payload length");
    }
    if (isControl(opcode) && (length > 125 || !fin))
      return fail(close_code::kProtocolError, "invalid control frame");
    // Checked before waiting for the payload: a huge length never makes us buffer it.
    // Written as a subtraction: `length + fragments_.size()` wraps for lengths near 2^64
    // (found by fuzz_ws_frames). fragments_ never exceeds the limit, so this cannot underflow.
    if (!isControl(opcode) && length > max_message_bytes_ - fragments_.size())
      return fail(close_code::kTooBig, "message too big");
    const std::size_t mask_bytes = masked ? 4 : 0;
    if (available < header + mask_bytes + length) break;

    const unsigned char* payload = data + header + mask_bytes;
    std::string body(reinterpret_cast<const char*>(payload), static_cast<std::size_t>(length));
    if (masked) {
      const unsigned char* mask = data + header;
      for (std::size_t i = 0; i < length; ++i)
        body[i] = static_cast<char>(payload[i] ^ mask[i & 3]);
    }
    consumed_ += header + mask_bytes + static_cast<std::size_t>(length);
    if (consumed_ == buffer_.size()) {
      buffer_.clear();
      consumed_ = 0;
      // An idle connection should not keep what one large message made it hold.
      if (buffer_.capacity() > 16 * 1024) std::string().swap(buffer_);
    } else if (consumed_ > 65536) {
      buffer_.erase(0, consumed_);
      consumed_ = 0;
    }

    if (isControl(opcode)) return Frame{static_cast<Opcode>(opcode), std::move(body)};
    if (opcode == 0x0) {
      if (!fragmented_opcode_) return fail(close_code::kProtocolError, "unexpected continuation");
      fragments_ += body;
    } else {
      if (fragmented_opcode_) return fail(close_code::kProtocolError, "expected continuation");
      fragmented_opcode_ = static_cast<Opcode>(opcode);
      fragmented_compressed_ = rsv1;
      fragments_ = std::move(body);
    }
    if (!fin) continue;
    Frame frame{*fragmented_opcode_, std::move(fragments_), fragmented_compressed_};
    fragments_.clear();
    fragmented_opcode_.reset();
    if (frame.opcode == Opcode::Text && !frame.compressed && !isValidUtf8(frame.payload))
      return fail(close_code::kInvalidPayload, "text is not valid UTF-8");
    return frame;
  }
  return std::nullopt;
}

std::string encodeFrame(Opcode opcode, std::string_view payload, bool compressed) {
  std::string out;
  out.reserve(payload.size() + 10);
  out.push_back(
      static_cast<char>(0x80 | (compressed ? 0x40 : 0) | static_cast<std::uint8_t>(opcode)));
  appendLength(out, payload.size(), 0);
  out.append(payload);
  return out;
}

std::string encodeMaskedFrame(Opcode opcode, std::string_view payload, std::uint32_t mask, bool fin,
                              bool compressed) {
  std::string out;
  out.reserve(payload.size() + 14);
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | (compressed ? 0x40 : 0) |
                                  static_cast<std::uint8_t>(opcode)));
  appendLength(out, payload.size(), 0x80);
  const unsigned char key[4] = {
      static_cast<unsigned char>(mask >> 24), static_cast<unsigned char>(mask >> 16),
      static_cast<unsigned char>(mask >> 8), static_cast<unsigned char>(mask)};
  out.append(reinterpret_cast<const char*>(key), 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    out.push_back(static_cast<char>(payload[i] ^ key[i & 3]));
  return out;
}

std::string closePayload(std::uint16_t code, std::string_view reason) {
  std::string out;
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xFF));
  out.append(reason.substr(0, 120));
  return out;
}

}  // namespace fieldlink::ws

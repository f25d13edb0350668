// The WebSocket frame decoder against arbitrary bytes from a client, fed in arbitrary chunks,
// with or without permessage-deflate agreed. It must never crash, never hand out a frame
// after reporting an error, and every text message it hands out must be valid UTF-8 within
// the size limit, or, compressed, inflate to at most the limit.
#include <cstdint>
#include <cstdlib>

#include "ws/frame_codec.hpp"
#include "ws/permessage_deflate.hpp"

using namespace fieldlink::ws;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kLimit = 4096;
  if (size == 0) return 0;
  // The first byte picks the chunk size, so the decoder sees frames split anywhere, and
  // whether compression was agreed.
  const std::size_t chunk = 1 + data[0] % 64;
  const bool compression = data[0] & 0x80;
  ++data;
  --size;
  FrameDecoder decoder(kLimit);
  if (compression) decoder.acceptCompressed();
  for (std::size_t offset = 0; offset < size; offset += chunk) {
    decoder.feed(reinterpret_cast<const char*>(data) + offset, std::min(chunk, size - offset));
    while (auto frame = decoder.next()) {
      if (decoder.error() != 0) std::abort();  // a frame after an error
      if (frame->payload.size() > kLimit) std::abort();
      if (frame->compressed) {
        if (!compression) std::abort();
        std::string text;
        if (inflateMessage(frame->payload, kLimit, text) == InflateStatus::Ok &&
            text.size() > kLimit)
          std::abort();
        continue;
      }
      if (frame->opcode == Opcode::Text && !isValidUtf8(frame->payload)) std::abort();
    }
    if (decoder.error() != 0) {
      if (decoder.next()) std::abort();
      return 0;
    }
  }
  return 0;
}

// The WebSocket frame decoder against arbitrary bytes from a client, fed in arbitrary chunks.
// It must never crash, never hand out a frame after reporting an error, and every text
// message it hands out must be valid UTF-8 within the size limit.
#include <cstdint>
#include <cstdlib>

#include "ws/frame_codec.hpp"

using namespace fieldlink::ws;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kLimit = 4096;
  if (size == 0) return 0;
  // The first byte picks the chunk size, so the decoder sees frames split anywhere.
  const std::size_t chunk = 1 + data[0] % 64;
  ++data;
  --size;
  FrameDecoder decoder(kLimit);
  for (std::size_t offset = 0; offset < size; offset += chunk) {
    decoder.feed(reinterpret_cast<const char*>(data) + offset, std::min(chunk, size - offset));
    while (auto frame = decoder.next()) {
      if (decoder.error() != 0) std::abort();  // a frame after an error
      if (frame->payload.size() > kLimit) std::abort();
      if (frame->opcode == Opcode::Text && !isValidUtf8(frame->payload)) std::abort();
    }
    if (decoder.error() != 0) {
      if (decoder.next()) std::abort();
      return 0;
    }
  }
  return 0;
}

#include "ws/frame_codec.hpp"

#include <gtest/gtest.h>

#include <random>

namespace fieldlink::ws {
namespace {

TEST(FrameDecoder, DecodesMaskedTextSplitAtEveryByte) {
  const std::string wire = encodeMaskedFrame(Opcode::Text, "héllo", 0xA1B2C3D4);
  FrameDecoder decoder(1024);
  for (std::size_t i = 0; i + 1 < wire.size(); ++i) {
    decoder.feed(&wire[i], 1);
    EXPECT_FALSE(decoder.next());
  }
  decoder.feed(&wire.back(), 1);
  const auto frame = decoder.next();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->opcode, Opcode::Text);
  EXPECT_EQ(frame->payload, "héllo");
}

TEST(FrameDecoder, HandlesAllThreeLengthEncodings) {
  for (std::size_t size : {0u, 125u, 126u, 65535u, 65536u, 100000u}) {
    const std::string payload(size, 'a');
    const std::string wire = encodeMaskedFrame(Opcode::Text, payload, 7);
    FrameDecoder decoder(1 << 20);
    decoder.feed(wire.data(), wire.size());
    const auto frame = decoder.next();
    ASSERT_TRUE(frame) << size;
    EXPECT_EQ(frame->payload.size(), size);
  }
}

TEST(FrameDecoder, JoinsContinuationsAndPassesControlFramesBetweenThem) {
  std::string wire = encodeMaskedFrame(Opcode::Text, "one ", 1, false);
  wire += encodeMaskedFrame(Opcode::Ping, "p", 2);
  wire += encodeMaskedFrame(Opcode::Continuation, "two", 3, true);
  FrameDecoder decoder(1024);
  decoder.feed(wire.data(), wire.size());
  auto ping = decoder.next();
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->opcode, Opcode::Ping);
  auto text = decoder.next();
  ASSERT_TRUE(text);
  EXPECT_EQ(text->payload, "one two");
}

TEST(FrameDecoder, RefusesWhatAServerMustRefuse) {
  struct Case {
    std::string wire;
    std::uint16_t code;
  };
  std::string huge_header = "\x81\xff";  // masked, 64-bit length
  huge_header += std::string("\x7f\xff\xff\xff\xff\xff\xff\xff", 8);
  const std::vector<Case> cases = {
      {encodeFrame(Opcode::Text, "unmasked"), close_code::kProtocolError},
      {std::string("\xC1\x80\0\0\0\0", 6), close_code::kProtocolError},  // RSV1
      {std::string("\x83\x80\0\0\0\0", 6), close_code::kProtocolError},  // opcode 3
      {encodeMaskedFrame(Opcode::Ping, std::string(126, 'p'), 1), close_code::kProtocolError},
      {encodeMaskedFrame(Opcode::Ping, "p", 1, false), close_code::kProtocolError},
      {encodeMaskedFrame(Opcode::Continuation, "x", 1), close_code::kProtocolError},
      {encodeMaskedFrame(Opcode::Text, std::string(2000, 'x'), 1), close_code::kTooBig},
      {huge_header, close_code::kTooBig},  // refused from the header alone
      {encodeMaskedFrame(Opcode::Text, "\xc0\xaf", 1), close_code::kInvalidPayload},
      {encodeMaskedFrame(Opcode::Text, "\xed\xa0\x80", 1), close_code::kInvalidPayload},
  };
  for (const auto& c : cases) {
    FrameDecoder decoder(1024);
    decoder.feed(c.wire.data(), c.wire.size());
    EXPECT_FALSE(decoder.next());
    EXPECT_EQ(decoder.error(), c.code) << ::testing::PrintToString(c.wire.substr(0, 12));
  }
}

TEST(FrameDecoder, FragmentsCountTowardTheLimit) {
  std::string wire = encodeMaskedFrame(Opcode::Text, std::string(600, 'a'), 1, false);
  wire += encodeMaskedFrame(Opcode::Continuation, std::string(600, 'b'), 1, true);
  FrameDecoder decoder(1000);
  decoder.feed(wire.data(), wire.size());
  EXPECT_FALSE(decoder.next());
  EXPECT_EQ(decoder.error(), close_code::kTooBig);
}

// Found by fuzz_ws_frames: with a fragment buffered, a continuation announcing 2^64 - 1 bytes
// made `length + buffered` wrap to a small number and the decoder read past its buffer.
TEST(FrameDecoder, ContinuationWithALengthNear2To64IsRefused) {
  std::string wire = encodeMaskedFrame(Opcode::Text, "a", 1, false);
  wire += "\x80\xff";  // FIN, continuation; masked, 64-bit length
  wire += std::string(8, '\xff');
  wire += std::string(4, '\0');  // mask
  wire += "tail";
  FrameDecoder decoder(4096);
  decoder.feed(wire.data(), wire.size());
  EXPECT_FALSE(decoder.next());
  EXPECT_EQ(decoder.error(), close_code::kProtocolError);  // the top bit must be 0

  wire = encodeMaskedFrame(Opcode::Text, "a", 1, false);
  wire += "\x80\xff";
  wire += std::string("\x7f\xff\xff\xff\xff\xff\xff\xff", 8);  // 2^63 - 1
  wire += std::string(4, '\0');
  FrameDecoder second(4096);
  second.feed(wire.data(), wire.size());
  EXPECT_FALSE(second.next());
  EXPECT_EQ(second.error(), close_code::kTooBig);
}

TEST(FrameDecoder, KnowsWhenAMessageIsHalfThere) {
  FrameDecoder decoder(4096);
  EXPECT_FALSE(decoder.midMessage());
  const std::string first = encodeMaskedFrame(Opcode::Text, "half", 1, false);
  decoder.feed(first.data(), 3);
  EXPECT_FALSE(decoder.next());
  EXPECT_TRUE(decoder.midMessage());
  decoder.feed(first.data() + 3, first.size() - 3);
  EXPECT_FALSE(decoder.next());  // a fragment: the message goes on
  EXPECT_TRUE(decoder.midMessage());
  const std::string last = encodeMaskedFrame(Opcode::Continuation, " and half", 1, true);
  decoder.feed(last.data(), last.size());
  ASSERT_TRUE(decoder.next());
  EXPECT_FALSE(decoder.midMessage());
}

TEST(FrameDecoder, RandomBytesNeverCrashOrLoop) {
  std::mt19937 random(42);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(random() % 64, '\0');
    for (auto& b : bytes) b = static_cast<char>(random());
    FrameDecoder decoder(4096);
    decoder.feed(bytes.data(), bytes.size());
    int frames = 0;
    while (decoder.next()) ++frames;
    EXPECT_LE(frames, 32);
  }
}

TEST(FrameEncoder, ServerFramesRoundTripThroughAClientDecoder) {
  const std::string wire = encodeFrame(Opcode::Text, std::string(70000, 'z'));
  FrameDecoder decoder(1 << 20, FrameDecoder::Peer::Server);
  decoder.feed(wire.data(), wire.size());
  const auto frame = decoder.next();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->payload.size(), 70000u);
}

TEST(Utf8, AcceptsValidAndRejectsInvalid) {
  EXPECT_TRUE(isValidUtf8("plain ascii"));
  EXPECT_TRUE(isValidUtf8("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x94\xa7"));
  EXPECT_FALSE(isValidUtf8("\x80"));
  EXPECT_FALSE(isValidUtf8("\xe2\x9c"));
  EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));
}

}  // namespace
}  // namespace fieldlink::ws

#include "ws/permessage_deflate.hpp"

#include <gtest/gtest.h>

#include "ws/frame_codec.hpp"

namespace fieldlink::ws {
namespace {

constexpr const char* kAgreed =
    "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

TEST(PermessageDeflate, AcceptsWhatBrowsersOfferAndDeclinesWhatItCannotHonour) {
  EXPECT_EQ(acceptDeflateOffer("permessage-deflate; client_max_window_bits"), kAgreed);
  EXPECT_EQ(acceptDeflateOffer("permessage-deflate"), kAgreed);
  EXPECT_EQ(acceptDeflateOffer("Permessage-Deflate; Client_No_Context_Takeover"), kAgreed);
  EXPECT_EQ(acceptDeflateOffer("permessage-deflate; server_no_context_takeover; "
                               "client_no_context_takeover; client_max_window_bits=10"),
            kAgreed);
  EXPECT_EQ(acceptDeflateOffer("permessage-deflate; server_max_window_bits=15"), kAgreed);
  // A smaller server window than zlib's 15 bits is declined, and so falls to the next offer.
  EXPECT_EQ(acceptDeflateOffer("permessage-deflate; server_max_window_bits=10"), "");
  EXPECT_EQ(acceptDeflateOffer("permessage-deflate; server_max_window_bits=10, permessage-deflate"),
            kAgreed);
  for (const char* refused : {"", "x-webkit-deflate-frame", "permessage-deflate; mystery=1",
                              "permessage-deflate; client_max_window_bits=20",
                              "permessage-deflate; client_max_window_bits=x",
                              "permessage-deflate; server_no_context_takeover=1",
                              "permessage-deflate; server_max_window_bits"})
    EXPECT_EQ(acceptDeflateOffer(refused), "") << refused;
  EXPECT_EQ(acceptDeflateOffer("permessage-deflate; client_max_window_bits=\"12\""), kAgreed);
}

TEST(PermessageDeflate, InflatesTheExampleOfRfc7692) {
  const std::string hello("\xf2\x48\xcd\xc9\xc9\x07\x00", 7);  // section 7.2.3.1
  std::string out;
  ASSERT_EQ(inflateMessage(hello, 1024, out), InflateStatus::Ok);
  EXPECT_EQ(out, "Hello");
}

TEST(PermessageDeflate, RoundTripsAndShrinksChatJson) {
  std::string json = "{\"type\":\"message\",\"message\":{\"content\":{\"text\":\"";
  for (int i = 0; i < 40; ++i) json += "The boiler pressure is low again. ";
  json += "\"}}}";
  const std::string packed = deflateMessage(json);
  EXPECT_LT(packed.size() * 4, json.size());
  std::string out;
  ASSERT_EQ(inflateMessage(packed, 1 << 20, out), InflateStatus::Ok);
  EXPECT_EQ(out, json);
  // Each message stands alone: the same input compresses the same way every time.
  EXPECT_EQ(deflateMessage(json), packed);
  ASSERT_EQ(inflateMessage(deflateMessage(""), 16, out), InflateStatus::Ok);
  EXPECT_EQ(out, "");
}

TEST(PermessageDeflate, StopsABombAtTheLimitAndRefusesGarbage) {
  const std::string bomb = deflateMessage(std::string(8 << 20, '\0'));
  EXPECT_LT(bomb.size(), 16u * 1024);
  std::string out;
  EXPECT_EQ(inflateMessage(bomb, 64 * 1024, out), InflateStatus::TooBig);
  EXPECT_LE(out.size(), 64u * 1024);
  EXPECT_EQ(inflateMessage(std::string("\xff\xff\xff\xff garbage", 12), 1024, out),
            InflateStatus::Corrupt);
}

TEST(FrameDecoder, TakesCompressedMessagesOnlyOnceAgreedAndOnlyOnTheirFirstFrame) {
  const std::string compressed =
      encodeMaskedFrame(Opcode::Text, deflateMessage("bonjour"), 5, true, /*compressed=*/true);
  FrameDecoder before(1024);
  before.feed(compressed.data(), compressed.size());
  EXPECT_FALSE(before.next());
  EXPECT_EQ(before.error(), close_code::kProtocolError);

  FrameDecoder agreed(1024);
  agreed.acceptCompressed();
  agreed.feed(compressed.data(), compressed.size());
  const auto frame = agreed.next();
  ASSERT_TRUE(frame);
  EXPECT_TRUE(frame->compressed);  // not UTF-8 checked: the inflater does it
  std::string text;
  ASSERT_EQ(inflateMessage(frame->payload, 1024, text), InflateStatus::Ok);
  EXPECT_EQ(text, "bonjour");

  for (const std::string& wrong :
       {encodeMaskedFrame(Opcode::Ping, "p", 5, true, true),
        encodeMaskedFrame(Opcode::Text, "a", 5, false) +
            encodeMaskedFrame(Opcode::Continuation, "b", 5, true, true)}) {
    FrameDecoder decoder(1024);
    decoder.acceptCompressed();
    decoder.feed(wrong.data(), wrong.size());
    EXPECT_FALSE(decoder.next());
    EXPECT_EQ(decoder.error(), close_code::kProtocolError);
  }
}

}  // namespace
}  // namespace fieldlink::ws

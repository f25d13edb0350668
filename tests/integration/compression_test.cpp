// REST answers are gzipped for clients that accept it, when they are large enough to gain;
// WebSocket frames are compressed with permessage-deflate for clients that agree to it.
#include <gtest/gtest.h>

#include <sstream>

#include <Poco/InflatingStream.h>
#include <Poco/StreamCopier.h>

#include "support/scene.hpp"
#include "support/ws_client.hpp"
#include "ws/permessage_deflate.hpp"

namespace fieldlink::testing {
namespace {

std::string inflated(const std::string& packed) {
  std::istringstream in(packed);
  Poco::InflatingInputStream inflate(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::string out;
  Poco::StreamCopier::copyToString(inflate, out);
  return out;
}

HttpResult get(const Scene& s, const std::string& path, const std::string& accept_encoding) {
  std::map<std::string, std::string> headers{{"Authorization", "Bearer " + s.client}};
  if (!accept_encoding.empty()) headers["Accept-Encoding"] = accept_encoding;
  return s.api.http().request("GET", path, "", headers);
}

TEST(Compression, LargeAnswersAreGzippedForClientsThatAcceptIt) {
  Scene s;
  for (int i = 0; i < 30; ++i)
    ASSERT_EQ(
        s.api.sendText(s.client, s.conversation_id, "Message number " + std::to_string(i)).status,
        201);
  const std::string history = "/api/chat/messages/conversation_messages/?conversation_id=" +
                              std::to_string(s.conversation_id);
  const auto plain = get(s, history, "");
  const auto packed = get(s, history, "br, gzip;q=0.8");
  ASSERT_EQ(packed.status, 200);
  EXPECT_FALSE(plain.headers.count("Content-Encoding"));
  EXPECT_EQ(packed.headers.at("Content-Encoding"), "gzip");
  EXPECT_NE(packed.headers.at("Vary").find("Accept-Encoding"), std::string::npos);
  EXPECT_LT(packed.body.size(), plain.body.size() / 3);
  EXPECT_EQ(inflated(packed.body), plain.body);

  EXPECT_FALSE(get(s, history, "gzip;q=0").headers.count("Content-Encoding"));
  EXPECT_FALSE(get(s, "/api/users/me/", "gzip").headers.count("Content-Encoding"));  // small
}

TEST(Compression, CanBeTurnedOff) {
  ServerProcess::Options options;
  options.env["FIELDLINK_HTTP_GZIP_MIN_BYTES"] = "0";
  Scene s(options);
  for (int i = 0; i < 30; ++i) s.api.sendText(s.client, s.conversation_id, "Message");
  EXPECT_FALSE(get(s,
                   "/api/chat/messages/conversation_messages/?conversation_id=" +
                       std::to_string(s.conversation_id),
                   "gzip")
                   .headers.count("Content-Encoding"));
}

const std::map<std::string, std::string> kDeflateOffer = {
    {"Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"}};

std::string longText() {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "Le compteur fuit sous l'évier, photo jointe. ";
  text.pop_back();  // the text plugin trims
  return text;
}

TEST(WebSocketCompression, AgreedConnectionsGetCompressedFramesOthersPlainOnes) {
  Scene s;
  WsClient client(s.server.port(), chatPath(s.conversation_id, s.client), kDeflateOffer);
  WsClient technician(s.server.port(), chatPath(s.conversation_id, s.technician), kDeflateOffer);
  WsClient plain(s.server.port(), chatPath(s.conversation_id, s.technician));
  ASSERT_TRUE(client.deflateAgreed());
  EXPECT_EQ(client.responseHeaders().at("sec-websocket-extensions"),
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
  EXPECT_FALSE(plain.deflateAgreed());
  EXPECT_EQ(plain.responseHeaders().count("sec-websocket-extensions"), 0u);

  // The client sends compressed; the server inflates, stores and acknowledges it.
  client.sendCompressedText(messageFrame(s.conversation_id, longText(), "z-1"));
  const auto ack = client.nextOfType("ack");
  ASSERT_TRUE(ack) << s.server.log();
  const auto compressed = technician.nextOfType("message");
  const auto uncompressed = plain.nextOfType("message");
  ASSERT_TRUE(compressed);
  ASSERT_TRUE(uncompressed);
  for (const auto& frame : {compressed, uncompressed})
    EXPECT_EQ(frame->getObject("message")->getObject("content")->getValue<std::string>("text"),
              longText());
  EXPECT_GE(technician.compressedFramesReceived(), 1);
  EXPECT_EQ(plain.compressedFramesReceived(), 0);

  // Frames under ws.deflate_min_bytes go as they are, even to agreed connections.
  const int before = client.compressedFramesReceived();
  client.sendText(R"({"type":"ping"})");
  ASSERT_TRUE(client.nextOfType("pong"));
  EXPECT_EQ(client.compressedFramesReceived(), before);
  // Uncompressed frames from an agreed client are fine too.
  client.sendText(messageFrame(s.conversation_id, "ok", "z-2"));
  EXPECT_TRUE(client.nextOfType("ack"));
  EXPECT_EQ(s.api.history(s.client, s.conversation_id)
                .back()
                ->getObject("content")
                ->getValue<std::string>("text"),
            "ok");

  // A resume replays history through the same compression.
  WsClient later(s.server.port(), chatPath(s.conversation_id, s.technician), kDeflateOffer);
  later.sendJson(R"({"type":"resume","after_id":0})");
  bool long_one_replayed = false;
  for (auto frame = later.next(); frame; frame = later.next()) {
    const auto type = frame->getValue<std::string>("type");
    if (type == "resumed") break;
    if (type == "message")
      long_one_replayed |= frame->getObject("message")->getObject("content")->optValue<std::string>(
                               "text", "") == longText();
  }
  EXPECT_TRUE(long_one_replayed);
  EXPECT_GE(later.compressedFramesReceived(), 1);
}

TEST(WebSocketCompression, BadCompressedFramesCloseAndChangeNothing) {
  Scene s;
  const auto history_before = s.api.history(s.client, s.conversation_id).size();
  {  // compressed without having agreed: RSV1 is a protocol error
    WsClient unagreed(s.server.port(), chatPath(s.conversation_id, s.client));
    unagreed.sendCompressedText(messageFrame(s.conversation_id, "sneaky", "b-1"));
    EXPECT_EQ(unagreed.awaitClose(), 1002);
  }
  {  // a bomb: a few KB that inflate past ws.max_frame_bytes
    WsClient bomb(s.server.port(), chatPath(s.conversation_id, s.client), kDeflateOffer);
    bomb.sendCompressedText(messageFrame(s.conversation_id, std::string(4 << 20, 'a'), "b-2"));
    EXPECT_EQ(bomb.awaitClose(), 1009);
  }
  {  // not DEFLATE at all
    WsClient garbage(s.server.port(), chatPath(s.conversation_id, s.client), kDeflateOffer);
    garbage.sendRaw(ws::encodeMaskedFrame(ws::Opcode::Text, "\xff\xfe not deflate", 9, true,
                                          /*compressed=*/true));
    EXPECT_EQ(garbage.awaitClose(), 1002);
  }
  {  // DEFLATE of something that is not UTF-8
    WsClient latin1(s.server.port(), chatPath(s.conversation_id, s.client), kDeflateOffer);
    latin1.sendRaw(ws::encodeMaskedFrame(ws::Opcode::Text, ws::deflateMessage("caf\xe9"), 9, true,
                                         /*compressed=*/true));
    EXPECT_EQ(latin1.awaitClose(), 1007);
  }
  EXPECT_EQ(s.api.history(s.client, s.conversation_id).size(), history_before);
}

TEST(WebSocketCompression, NotOfferedWhenTurnedOff) {
  ServerProcess::Options options;
  options.env["FIELDLINK_WS_DEFLATE_MIN_BYTES"] = "0";
  Scene s(options);
  WsClient client(s.server.port(), chatPath(s.conversation_id, s.client), kDeflateOffer);
  EXPECT_FALSE(client.deflateAgreed());
  client.sendCompressedText(messageFrame(s.conversation_id, longText(), "off-1"));
  EXPECT_EQ(client.awaitClose(), 1002);
}

}  // namespace
}  // namespace fieldlink::testing

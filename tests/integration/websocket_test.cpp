// The WebSocket half of shared/API.md against a running fieldlinkd.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include "support/scene.hpp"
#include "support/ws_client.hpp"
#include "util/json_text.hpp"

namespace fieldlink::testing {
namespace {

std::string textOf(const Poco::JSON::Object::Ptr& frame) {
  return frame->getObject("message")->getObject("content")->getValue<std::string>("text");
}

std::int64_t idOf(const Poco::JSON::Object::Ptr& frame) {
  return frame->getObject("message")->getValue<std::int64_t>("id");
}

ServerProcess::Options fastOptions() {
  ServerProcess::Options options;
  options.env["FIELDLINK_WS_MESSAGES_PER_SECOND"] = "100000";
  options.env["FIELDLINK_WS_MESSAGE_BURST"] = "100000";
  return options;
}

TEST(WebSocketHandshake, RefusesMissingBadAndExpiredTokensWith4401) {
  Scene scene;
  const std::string secret = ServerProcess::baseEnvironment().at("FIELDLINK_AUTH_JWT_SECRET");
  Poco::JWT::Token expired;
  expired.setSubject(std::to_string(scene.client_id));
  expired.payload().set("token_type", std::string("access"));
  expired.payload().set("exp", static_cast<Poco::Int64>(Poco::Timestamp().epochTime() - 10));
  const std::string expired_token =
      Poco::JWT::Signer(secret).sign(expired, Poco::JWT::Signer::ALGO_HS256);
  for (const std::string& target :
       {std::string("/ws/"), std::string("/ws/?token=garbage"), "/ws/?token=" + expired_token,
        chatPath(scene.conversation_id, expired_token)}) {
    WsClient ws(scene.server.port(), target);
    EXPECT_EQ(ws.status(), 101) << target;
    EXPECT_EQ(ws.awaitClose(), 4401) << target;
  }
}

TEST(WebSocketHandshake, RefusesNonParticipantsWith4403) {
  Scene scene;
  WsClient outsider(scene.server.port(), chatPath(scene.conversation_id, scene.outsider_client));
  EXPECT_EQ(outsider.awaitClose(), 4403);
  WsClient nowhere(scene.server.port(), chatPath(999999, scene.client));
  EXPECT_EQ(nowhere.awaitClose(), 4403);
}

TEST(WebSocketHandshake, NonUpgradeRequestsGetHttpErrors) {
  Scene scene;
  EXPECT_EQ(scene.api.http().get("/ws/?token=" + scene.client).status, 400);
  WsClient old_version(scene.server.port(), "/ws/?token=" + scene.client,
                       {{"Sec-WebSocket-Version", "8"}});
  EXPECT_EQ(old_version.status(), 426);
  EXPECT_EQ(old_version.responseHeaders().at("sec-websocket-version"), "13");
  EXPECT_EQ(scene.api.http().get("/ws/chat/abc/").status, 404);
}

TEST(WebSocketHandshake, AcceptsTheTokenAsASubprotocol) {
  Scene scene;
  WsClient ws(scene.server.port(), "/ws/",
              {{"Sec-WebSocket-Protocol", "fieldlink.bearer, " + scene.client}});
  ASSERT_EQ(ws.status(), 101);
  EXPECT_EQ(ws.responseHeaders().at("sec-websocket-protocol"), "fieldlink.bearer");
  ws.sendJson(R"({"type":"ping"})");
  EXPECT_TRUE(ws.nextOfType("pong"));
}

TEST(WebSocketMessages, AckToSenderMessageToTheOthersAndStored) {
  Scene scene;
  WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  WsClient technician(scene.server.port(), "/ws/?token=" + scene.technician);
  technician.nextOfType("presence");  // the client is online
  client.sendJson(messageFrame(scene.conversation_id, "  water everywhere ", "c-1"));
  const auto ack = client.nextOfType("ack");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->getValue<std::string>("client_id"), "c-1");
  EXPECT_EQ(textOf(ack), "water everywhere");
  const auto delivered = technician.nextOfType("message");
  ASSERT_TRUE(delivered);
  EXPECT_EQ(idOf(delivered), idOf(ack));
  // One view of the message, whether rendered for the ack, the receivers or a history page.
  const std::string view = json_text::of(*ack->getObject("message"));
  EXPECT_EQ(json_text::of(*delivered->getObject("message")), view);
  EXPECT_NE(view.find("\"sender_id\":"), std::string::npos) << view;
  // The sending connection got the ack, not the message again.
  EXPECT_FALSE(client.nextOfType("message", 300ms));
  const auto history =
      scene.api.http().get("/api/chat/messages/conversation_messages/?conversation_id=" +
                               std::to_string(scene.conversation_id),
                           scene.technician);
  EXPECT_NE(history.body.find("water everywhere"), std::string::npos);
  const auto page = scene.api.http()
                        .get("/api/chat/messages/conversation_messages/?conversation_id=" +
                                 std::to_string(scene.conversation_id),
                             scene.technician)
                        .object();
  const auto results = page->getArray("results");
  ASSERT_TRUE(results);
  std::string stored;
  for (std::size_t i = 0; i < results->size(); ++i)
    if (results->getObject(i)->getValue<std::int64_t>("id") == idOf(ack))
      stored = json_text::of(*results->getObject(i));
  EXPECT_EQ(stored, view);
}

TEST(WebSocketMessages, FiveHundredRapidMessagesArriveOnceInOrder) {
  Scene scene(fastOptions());
  WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  WsClient technician(scene.server.port(), chatPath(scene.conversation_id, scene.technician));
  constexpr int kCount = 500;
  std::string burst;
  for (int i = 0; i < kCount; ++i)
    burst += ws::encodeMaskedFrame(
        ws::Opcode::Text,
        messageFrame(scene.conversation_id, std::to_string(i), "r-" + std::to_string(i)),
        0x12345678);
  client.sendRaw(burst);
  const auto acks = client.collect("ack", kCount, 30s);
  const auto received = technician.collect("message", kCount, 30s);
  ASSERT_EQ(acks.size(), static_cast<std::size_t>(kCount));
  ASSERT_EQ(received.size(), static_cast<std::size_t>(kCount));
  std::int64_t previous = 0;
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(textOf(received[i]), std::to_string(i));
    EXPECT_GT(idOf(received[i]), previous);
    previous = idOf(received[i]);
  }
  EXPECT_FALSE(technician.nextOfType("message", 300ms));  // nothing twice
}

TEST(WebSocketMessages, EveryDeviceOfEveryParticipantReceives) {
  Scene scene;
  WsClient phone(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  WsClient laptop(scene.server.port(), "/ws/?token=" + scene.client);
  WsClient tech_all(scene.server.port(), "/ws/?token=" + scene.technician);
  WsClient tech_chat(scene.server.port(), chatPath(scene.conversation_id, scene.technician));
  phone.sendJson(messageFrame(scene.conversation_id, "from the phone", "p-1"));
  const auto ack = phone.nextOfType("ack");
  ASSERT_TRUE(ack);
  // One rendering of the message for the ack and every receiver.
  const auto view = json_text::of(*ack->getObject("message"));
  for (auto* device : {&laptop, &tech_all, &tech_chat}) {
    const auto frame = device->nextOfType("message");
    ASSERT_TRUE(frame);
    EXPECT_EQ(textOf(frame), "from the phone");
    EXPECT_EQ(json_text::of(*frame->getObject("message")), view);
  }
}

TEST(WebSocketMessages, RestMessagesAndStatusChangesFanOut) {
  Scene scene;
  WsClient technician(scene.server.port(), chatPath(scene.conversation_id, scene.technician));
  WsClient client(scene.server.port(), "/ws/?token=" + scene.client);
  ASSERT_EQ(scene.api.sendText(scene.client, scene.conversation_id, "sent over REST").status, 201);
  auto frame = technician.nextOfType("message");
  ASSERT_TRUE(frame);
  EXPECT_EQ(textOf(frame), "sent over REST");
  frame = client.nextOfType("message");  // REST has no origin connection: every device hears
  ASSERT_TRUE(frame);
  scene.api.http().post("/api/requests/" + std::to_string(scene.request_id) + "/status/",
                        R"({"status":"en_route"})", scene.technician);
  frame = client.nextOfType("message");
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->getObject("message")->getValue<std::string>("message_type"), "system");
}

TEST(WebSocketMessages, ReconnectThenResumeDeliversExactlyTheMissedMessages) {
  Scene scene;
  std::int64_t last_seen = 0;
  {
    WsClient technician(scene.server.port(), chatPath(scene.conversation_id, scene.technician));
    scene.api.sendText(scene.client, scene.conversation_id, "seen");
    const auto frame = technician.nextOfType("message");
    ASSERT_TRUE(frame);
    last_seen = idOf(frame);
  }
  for (const char* text : {"missed 1", "missed 2", "missed 3"})
    scene.api.sendText(scene.client, scene.conversation_id, text);
  WsClient technician(scene.server.port(), chatPath(scene.conversation_id, scene.technician));
  technician.sendJson("{\"type\":\"resume\",\"after_id\":" + std::to_string(last_seen) + "}");
  const auto replayed = technician.collect("message", 3);
  ASSERT_EQ(replayed.size(), 3u);
  EXPECT_EQ(textOf(replayed[0]), "missed 1");
  EXPECT_EQ(textOf(replayed[2]), "missed 3");
  const auto resumed = technician.nextOfType("resumed");
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->getValue<std::int64_t>("last_id"), idOf(replayed[2]));
  EXPECT_FALSE(resumed->getValue<bool>("has_more"));
  // Live traffic goes on after the replay.
  scene.api.sendText(scene.client, scene.conversation_id, "live again");
  const auto live = technician.nextOfType("message");
  ASSERT_TRUE(live);
  EXPECT_EQ(textOf(live), "live again");
}

TEST(WebSocketMessages, ResendAfterALostAckNeverDuplicates) {
  Scene scene;
  WsClient technician(scene.server.port(), chatPath(scene.conversation_id, scene.technician));
  {
    WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client));
    client.sendJson(messageFrame(scene.conversation_id, "only once", "lost-ack-1"));
    // The connection drops before the ack is read.
  }
  WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  client.sendJson(messageFrame(scene.conversation_id, "only once", "lost-ack-1"));
  const auto ack = client.nextOfType("ack");
  ASSERT_TRUE(ack);
  const auto received = technician.collect("message", 5, 1500ms);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(idOf(received[0]), idOf(ack));
}

TEST(WebSocketRefusals, OversizeFrameClosesWith1009) {
  ServerProcess::Options options;
  options.env["FIELDLINK_WS_MAX_FRAME_BYTES"] = "4096";
  Scene scene(options);
  WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  client.sendText(messageFrame(scene.conversation_id, std::string(5000, 'x'), "big"));
  EXPECT_EQ(client.awaitClose(), 1009);
}

TEST(WebSocketRefusals, MalformedFramesGetErrorsAndTheConnectionStaysUsable) {
  Scene scene;
  WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  client.sendText("{not json");
  auto error = client.nextOfType("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->getValue<std::string>("code"), "parse_error");
  client.sendText(R"({"type":"teleport"})");
  EXPECT_EQ(client.nextOfType("error")->getValue<std::string>("code"), "unknown_frame_type");
  client.sendText(
      R"({"type":"message","message_type":"text","content":{"text":""},"client_id":"e-1"})");
  error = client.nextOfType("error");
  EXPECT_EQ(error->getValue<std::string>("client_id"), "e-1");
  EXPECT_TRUE(error->getObject("fields")->has("content.text"));
  client.sendText(R"({"type":"message","message_type":"hologram","content":{}})");
  EXPECT_EQ(client.nextOfType("error")->getValue<std::string>("code"), "unknown_message_type");
  client.sendText(R"({"type":"read","message_id":"7"})");
  EXPECT_EQ(client.nextOfType("error")->getValue<std::string>("code"), "invalid");
  client.sendText(R"({"type":"ping"})");
  EXPECT_TRUE(client.nextOfType("pong"));
  EXPECT_FALSE(client.closed());
}

TEST(WebSocketRefusals, ProtocolViolationsClose) {
  Scene scene;
  {
    WsClient unmasked(scene.server.port(), chatPath(scene.conversation_id, scene.client));
    unmasked.sendRaw(ws::encodeFrame(ws::Opcode::Text, R"({"type":"ping"})"));
    EXPECT_EQ(unmasked.awaitClose(), 1002);
  }
  {
    WsClient bad_utf8(scene.server.port(), chatPath(scene.conversation_id, scene.client));
    bad_utf8.sendRaw(ws::encodeMaskedFrame(ws::Opcode::Text, "\xff\xfe", 7));
    EXPECT_EQ(bad_utf8.awaitClose(), 1007);
  }
  {
    WsClient binary(scene.server.port(), chatPath(scene.conversation_id, scene.client));
    binary.sendRaw(ws::encodeMaskedFrame(ws::Opcode::Binary, "abc", 7));
    EXPECT_EQ(binary.awaitClose(), 1003);
  }
  {
    // A fragment, then a continuation announcing 2^64 - 1 bytes: the length check used to
    // wrap and the decoder read past its buffer (found by fuzz_ws_frames).
    WsClient huge_length(scene.server.port(), chatPath(scene.conversation_id, scene.client));
    std::string wire = ws::encodeMaskedFrame(ws::Opcode::Text, "{", 7, false);
    wire += "\x80\xff" + std::string(8, '\xff') + std::string(4, '\0') + "tail";
    huge_length.sendRaw(wire);
    EXPECT_EQ(huge_length.awaitClose(), 1002);
  }
  WsClient after(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  after.sendText(R"({"type":"ping"})");
  EXPECT_TRUE(after.nextOfType("pong"));
}

// `count` message frames in one piece, with client ids prefix-0, prefix-1...
std::string burstOfMessages(std::int64_t conversation, int count, const std::string& prefix) {
  std::string burst;
  for (int i = 0; i < count; ++i)
    burst += ws::encodeMaskedFrame(ws::Opcode::Text,
                                   messageFrame(conversation, prefix + " " + std::to_string(i),
                                                prefix + "-" + std::to_string(i)),
                                   1);
  return burst;
}

// A sender over its rate is slowed, not cut: every message it sent gets its ack, in order.
TEST(WebSocketRefusals, ASenderOverTheRateLimitIsSlowedAndEveryMessageIsAcked) {
  ServerProcess::Options options;
  options.env["FIELDLINK_WS_MESSAGES_PER_SECOND"] = "20";
  options.env["FIELDLINK_WS_MESSAGE_BURST"] = "40";
  Scene scene(options);
  const auto before = scene.api.history(scene.client, scene.conversation_id).size();
  WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  client.sendRaw(burstOfMessages(scene.conversation_id, 64, "b"));
  const auto acks = client.collect("ack", 64, 10s);
  ASSERT_EQ(acks.size(), 64u);
  for (int i = 0; i < 64; ++i)
    EXPECT_EQ(acks[i]->getValue<std::string>("client_id"), "b-" + std::to_string(i));
  EXPECT_FALSE(client.closed());
  EXPECT_EQ(scene.api.history(scene.client, scene.conversation_id).size(), before + 64);
}

// Far more at once than the rate allows: closed 1008 once the backlog passes its bound, but
// only after the acks of the messages that were accepted.
TEST(WebSocketRefusals, ABacklogPastItsBoundIsClosed1008AfterTheAcks) {
  ServerProcess::Options options;
  options.env["FIELDLINK_WS_MESSAGES_PER_SECOND"] = "5";
  options.env["FIELDLINK_WS_MESSAGE_BURST"] = "5";
  options.env["FIELDLINK_WS_MAX_BACKLOG_BYTES"] = "2048";
  Scene scene(options);
  const auto before = scene.api.history(scene.client, scene.conversation_id).size();
  WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  client.sendRaw(burstOfMessages(scene.conversation_id, 100, "f"));
  const auto acks = client.collect("ack", 100, 5s);
  // At least the burst; not all: the rest went with the connection. Every stored one was acked.
  EXPECT_GE(acks.size(), 5u);
  EXPECT_LT(acks.size(), 100u);
  EXPECT_EQ(client.awaitClose(), 1008);
  EXPECT_EQ(scene.api.history(scene.client, scene.conversation_id).size(), before + acks.size());
}

TEST(WebSocketRefusals, FramesForSomeoneElsesConversationAreNotFound) {
  Scene scene;
  WsClient outsider(scene.server.port(), "/ws/?token=" + scene.outsider_client);
  outsider.sendJson(messageFrame(scene.conversation_id, "let me in", "x-1"));
  auto error = outsider.nextOfType("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->getValue<std::string>("code"), "not_found");
  outsider.sendJson("{\"type\":\"resume\",\"conversation_id\":" +
                    std::to_string(scene.conversation_id) + ",\"after_id\":0}");
  EXPECT_EQ(outsider.nextOfType("error")->getValue<std::string>("code"), "not_found");
  outsider.sendJson("{\"type\":\"typing\",\"conversation_id\":" +
                    std::to_string(scene.conversation_id) + ",\"is_typing\":true}");
  EXPECT_EQ(outsider.nextOfType("error")->getValue<std::string>("code"), "not_found");
  EXPECT_FALSE(outsider.nextOfType("message", 300ms));
}

TEST(WebSocketRefusals, ConnectionsPerUserAreLimited) {
  ServerProcess::Options options;
  options.env["FIELDLINK_WS_MAX_CONNECTIONS_PER_USER"] = "2";
  Scene scene(options);
  WsClient first(scene.server.port(), "/ws/?token=" + scene.client);
  WsClient second(scene.server.port(), "/ws/?token=" + scene.client);
  first.sendJson(R"({"type":"ping"})");
  ASSERT_TRUE(first.nextOfType("pong"));
  WsClient third(scene.server.port(), "/ws/?token=" + scene.client);
  EXPECT_EQ(third.awaitClose(), 4429);
}

TEST(WebSocketRealTime, TypingIsRelayedThrottledAndExpires) {
  ServerProcess::Options options;
  options.env["FIELDLINK_WS_TYPING_TIMEOUT_MS"] = "400";
  Scene scene(options);
  WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  WsClient technician(scene.server.port(), chatPath(scene.conversation_id, scene.technician));
  client.sendJson(R"({"type":"typing","is_typing":true})");
  client.sendJson(R"({"type":"typing","is_typing":true})");  // within the throttle: not relayed
  auto typing = technician.nextOfType("typing");
  ASSERT_TRUE(typing);
  EXPECT_EQ(typing->getValue<std::int64_t>("user_id"), scene.client_id);
  EXPECT_TRUE(typing->getValue<bool>("is_typing"));
  // No explicit stop: it ends by itself after the timeout.
  typing = technician.nextOfType("typing", 3s);
  ASSERT_TRUE(typing);
  EXPECT_FALSE(typing->getValue<bool>("is_typing"));
  EXPECT_FALSE(client.nextOfType("typing", 300ms));  // the typist is not told about themself
}

TEST(WebSocketRealTime, ReadReceiptsMoveTheMarkerAndAreRelayed) {
  Scene scene;
  const auto sent = scene.api.sendText(scene.client, scene.conversation_id, "read me").object();
  const auto id = sent->getValue<std::int64_t>("id");
  WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  WsClient technician(scene.server.port(), chatPath(scene.conversation_id, scene.technician));
  technician.sendJson("{\"type\":\"read\",\"message_id\":" + std::to_string(id) + "}");
  const auto read = client.nextOfType("read");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->getValue<std::int64_t>("user_id"), scene.technician_id);
  EXPECT_EQ(read->getValue<std::int64_t>("message_id"), id);
  const auto list = scene.api.http().get("/api/chat/conversations/", scene.technician).array();
  EXPECT_EQ(list->getObject(0)->getValue<int>("unread_count"), 0);
}

TEST(WebSocketRealTime, PresenceFollowsConnections) {
  Scene scene;
  WsClient technician(scene.server.port(), chatPath(scene.conversation_id, scene.technician));
  {
    WsClient client(scene.server.port(), "/ws/?token=" + scene.client);
    auto presence = technician.nextOfType("presence");
    ASSERT_TRUE(presence);
    EXPECT_EQ(presence->getValue<std::int64_t>("user_id"), scene.client_id);
    EXPECT_TRUE(presence->getValue<bool>("online"));
    // The newcomer is told who is online already.
    presence = client.nextOfType("presence");
    ASSERT_TRUE(presence);
    EXPECT_EQ(presence->getValue<std::int64_t>("user_id"), scene.technician_id);
  }
  const auto offline = technician.nextOfType("presence");
  ASSERT_TRUE(offline);
  EXPECT_FALSE(offline->getValue<bool>("online"));
}

TEST(WebSocketRealTime, ATechnicianTakenOffTheJobIsDisconnected) {
  Scene scene;
  WsClient technician(scene.server.port(), chatPath(scene.conversation_id, scene.technician));
  const auto ted = scene.api.http().get("/api/users/me/", scene.outsider_technician).object();
  scene.api.assign(scene.dispatcher, scene.request_id, ted->getValue<std::int64_t>("id"));
  EXPECT_EQ(technician.awaitClose(), 4403);
}

}  // namespace
}  // namespace fieldlink::testing

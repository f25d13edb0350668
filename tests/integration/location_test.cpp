// Location messages over REST and WebSocket against a running fieldlinkd.
#include <gtest/gtest.h>

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>

#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

ServerProcess::Options withLocation() {
  ServerProcess::Options options;
  options.plugins_enabled = "text,location";
  return options;
}

std::string locationBody(std::int64_t conversation, const std::string& fields) {
  return "{\"conversation_id\":" + std::to_string(conversation) + "," + fields + "}";
}

TEST(Location, SendLocationStoresTheNormalisedPositionWithAMapLink) {
  Scene s(withLocation());
  const auto sent = s.api.http().post(
      "/api/chat/messages/send_location/",
      locationBody(s.conversation_id,
                   R"("latitude":48.8584,"longitude":2.2945,"accuracy":15,"client_id":"loc-1")"),
      s.technician);
  ASSERT_EQ(sent.status, 201) << sent.body;
  const auto message = sent.object();
  EXPECT_EQ(message->getValue<std::string>("message_type"), "location");
  const auto content = message->getObject("content");
  EXPECT_DOUBLE_EQ(content->getValue<double>("latitude"), 48.8584);
  EXPECT_DOUBLE_EQ(content->getValue<double>("accuracy"), 15);
  EXPECT_NE(content->getValue<std::string>("map_url").find("mlat=48.858400"), std::string::npos);
  // The same client_id again: the first message.
  const auto again = s.api.http().post(
      "/api/chat/messages/send_location/",
      locationBody(s.conversation_id, R"("latitude":1,"longitude":1,"client_id":"loc-1")"),
      s.technician);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.object()->getValue<std::int64_t>("id"), message->getValue<std::int64_t>("id"));
}

TEST(Location, InvalidCoordinatesAreRefusedAndNothingIsStored) {
  Scene s(withLocation());
  auto stored = [&] {
    return s.api.http()
        .get("/api/chat/messages/conversation_messages/?conversation_id=" +
                 std::to_string(s.conversation_id),
             s.client)
        .object()
        ->getArray("results")
        ->size();
  };
  const auto before = stored();
  for (const char* fields : {R"("latitude":91,"longitude":0)", R"("latitude":0,"longitude":-181)",
                             R"("latitude":"48.8","longitude":2)", R"("longitude":2)",
                             R"("latitude":1,"longitude":1,"accuracy":-3)"}) {
    const auto refused = s.api.http().post("/api/chat/messages/send_location/",
                                           locationBody(s.conversation_id, fields), s.client);
    EXPECT_EQ(refused.status, 400) << fields << ": " << refused.body;
    EXPECT_FALSE(refused.object()->getObject("fields")->getNames().empty()) << refused.body;
  }
  EXPECT_EQ(stored(), before);
  // Outsiders learn nothing, valid position or not.
  EXPECT_EQ(
      s.api.http()
          .post("/api/chat/messages/send_location/",
                locationBody(s.conversation_id, R"("latitude":1,"longitude":1)"), s.outsider_client)
          .status,
      404);
}

TEST(Location, ALocationSentOverTheWebSocketReachesTheOtherSide) {
  Scene s(withLocation());
  WsClient technician(s.server.port(),
                      "/ws/chat/" + std::to_string(s.conversation_id) + "/?token=" + s.technician);
  WsClient client(s.server.port(), "/ws/?token=" + s.client);
  technician.sendJson(
      R"({"type":"message","message_type":"location","content":{"latitude":45.5,"longitude":-73.6,"label":"Front door"},"client_id":"w-1"})");
  ASSERT_TRUE(technician.nextOfType("ack"));
  const auto frame = client.nextOfType("message");
  ASSERT_TRUE(frame);
  const auto content = frame->getObject("message")->getObject("content");
  EXPECT_EQ(content->getValue<std::string>("label"), "Front door");
  EXPECT_DOUBLE_EQ(content->getValue<double>("longitude"), -73.6);
}

std::string inMinutes(int minutes) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp() + Poco::Timespan(minutes * 60, 0),
                                         "%Y-%m-%dT%H:%M:%S.%iZ");
}

TEST(Location, ALiveLocationIsUpdatedInPlaceUntilItStops) {
  Scene s(withLocation());
  WsClient client(s.server.port(), "/ws/?token=" + s.client);
  WsClient technician(s.server.port(), "/ws/?token=" + s.technician);
  const auto shared = s.api.http().post(
      "/api/chat/messages/send_location/",
      locationBody(s.conversation_id,
                   R"("latitude":48.80,"longitude":2.30,"live_until":")" + inMinutes(30) + "\""),
      s.technician);
  ASSERT_EQ(shared.status, 201) << shared.body;
  const auto id = shared.object()->getValue<std::int64_t>("id");
  const auto until = shared.object()->getObject("content")->getValue<std::string>("live_until");
  ASSERT_TRUE(client.nextOfType("message"));

  // Over REST, then over the WebSocket: the same message moves, no new one appears.
  const auto moved = s.api.http().post(
      "/api/chat/messages/send_location/",
      "{\"message_id\":" + std::to_string(id) + R"(,"latitude":48.81,"longitude":2.31})",
      s.technician);
  ASSERT_EQ(moved.status, 200) << moved.body;
  auto update = client.nextOfType("message.updated");
  ASSERT_TRUE(update);
  EXPECT_DOUBLE_EQ(update->getObject("message")->getObject("content")->getValue<double>("latitude"),
                   48.81);
  EXPECT_EQ(update->getObject("message")->getObject("content")->getValue<std::string>("live_until"),
            until);
  technician.sendJson("{\"type\":\"update\",\"message_id\":" + std::to_string(id) +
                      R"(,"content":{"latitude":48.82,"longitude":2.32}})");
  update = client.nextOfType("message.updated");
  ASSERT_TRUE(update);
  EXPECT_EQ(update->getObject("message")->getValue<std::int64_t>("id"), id);
  const auto history = s.api.http()
                           .get("/api/chat/messages/conversation_messages/?conversation_id=" +
                                    std::to_string(s.conversation_id),
                                s.client)
                           .object()
                           ->getArray("results");
  const auto latest = history->getObject(history->size() - 1);
  EXPECT_EQ(latest->getValue<std::int64_t>("id"), id);
  EXPECT_DOUBLE_EQ(latest->getObject("content")->getValue<double>("latitude"), 48.82);

  // Only the sender moves it; bad coordinates are refused as on creation.
  const std::string update_path = "/api/chat/messages/send_location/";
  const std::string move =
      "{\"message_id\":" + std::to_string(id) + R"(,"latitude":1,"longitude":1})";
  EXPECT_EQ(s.api.http().post(update_path, move, s.client).status, 403);
  EXPECT_EQ(s.api.http().post(update_path, move, s.outsider_client).status, 404);
  EXPECT_EQ(s.api.http()
                .post(update_path,
                      "{\"message_id\":" + std::to_string(id) + R"(,"latitude":100,"longitude":1})",
                      s.technician)
                .status,
            400);

  // Stopping ends it: later positions are refused.
  EXPECT_EQ(s.api.http()
                .post(update_path, "{\"message_id\":" + std::to_string(id) + R"(,"stop":true})",
                      s.technician)
                .status,
            200);
  const auto late = s.api.http().post(update_path, move, s.technician);
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.code(), "live_ended");
}

TEST(Location, LiveUntilMustBeSoonAndOnlyLiveLocationsMove) {
  Scene s(withLocation());
  for (const std::string& until : {inMinutes(-1), inMinutes(60 * 24), std::string("soon")}) {
    const auto refused = s.api.http().post(
        "/api/chat/messages/send_location/",
        locationBody(s.conversation_id,
                     R"("latitude":1,"longitude":1,"live_until":")" + until + "\""),
        s.technician);
    EXPECT_EQ(refused.status, 400) << until << ": " << refused.body;
  }
  const auto still = s.api.http().post(
      "/api/chat/messages/send_location/",
      locationBody(s.conversation_id, R"("latitude":1,"longitude":1)"), s.technician);
  const auto id = still.object()->getValue<std::int64_t>("id");
  const auto refused = s.api.http().post(
      "/api/chat/messages/send_location/",
      "{\"message_id\":" + std::to_string(id) + R"(,"latitude":2,"longitude":2})", s.technician);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.code(), "not_live");
}

}  // namespace
}  // namespace fieldlink::testing

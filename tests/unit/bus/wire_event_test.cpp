#include "bus/wire_event.hpp"

#include <gtest/gtest.h>

#include "bus/redis_bridge.hpp"

namespace fieldlink {
namespace {

const std::string kSecret = "bus-secret-0123456789";

sdk::Event typingEvent() {
  sdk::Event e;
  e.type = "typing";
  e.conversation_id = 7;
  e.user_id = 3;
  e.data = new Poco::JSON::Object;
  e.data->set("is_typing", true);
  e.at = sdk::Clock::time_point(std::chrono::milliseconds(1764000000123));
  return e;
}

TEST(WireEvent, AnEventCrossesWithItsAudienceButNoConnectionIds) {
  const std::string text =
      encodeWireEvent("node-a", typingEvent(), Routing{{3, 4}, 99, 0}, kSecret);
  const auto wire = decodeWireEvent(text, kSecret);
  ASSERT_TRUE(wire);
  EXPECT_EQ(wire->node, "node-a");
  EXPECT_EQ(wire->event.type, "typing");
  EXPECT_EQ(wire->event.conversation_id, 7);
  EXPECT_EQ(wire->event.user_id, 3);
  EXPECT_TRUE(wire->event.data->getValue<bool>("is_typing"));
  EXPECT_EQ(wire->event.at, typingEvent().at);
  EXPECT_EQ(wire->routing.audience, (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(wire->routing.origin_connection, 0u);  // another node's connection ids mean nothing
  EXPECT_TRUE(wire->routing.remote);
}

TEST(WireEvent, AnythingElseOnTheChannelIsIgnored) {
  for (const char* text : {"", "null", "[]", "{}", "{\"v\":2,\"node\":\"x\"}", "not json",
                           "{\"v\":1,\"node\":\"x\",\"type\":\"typing\"}"})
    EXPECT_FALSE(decodeWireEvent(text, kSecret)) << text;
}

TEST(WireEvent, OnlyEventsSignedWithTheSharedSecretAreTaken) {
  const std::string signed_text =
      encodeWireEvent("node-a", typingEvent(), Routing{{3, 4}, 0, 0}, kSecret);
  const std::string json = signed_text.substr(signed_text.find('.') + 1);
  EXPECT_FALSE(decodeWireEvent(json, kSecret)) << "unsigned";
  EXPECT_FALSE(decodeWireEvent(signed_text, "another-secret-0123456789")) << "other secret";
  std::string forged = signed_text;
  forged.replace(forged.find("[3,4]"), 5, "[3,9]");  // another audience, same signature
  EXPECT_FALSE(decodeWireEvent(forged, kSecret));
  std::string bad_signature = signed_text;
  bad_signature[0] = bad_signature[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(decodeWireEvent(bad_signature, kSecret));
  EXPECT_TRUE(decodeWireEvent(signed_text, kSecret));
}

TEST(WireEvent, OnlyThisNodesOwnEventsForConnectionsCross) {
  const sdk::Event e = typingEvent();
  EXPECT_TRUE(RedisBridge::crossesNodes(e, Routing{{3}, 0, 0}));
  Routing remote{{3}, 0, 0};
  remote.remote = true;
  EXPECT_FALSE(RedisBridge::crossesNodes(e, remote));               // back where it came from
  EXPECT_FALSE(RedisBridge::crossesNodes(e, Routing{{3}, 0, 42}));  // for one connection here
  sdk::Event arriving = e;
  arriving.type = "tracking.arriving_soon";  // notifications are made where it happened
  EXPECT_FALSE(RedisBridge::crossesNodes(arriving, Routing{{3}, 0, 0}));
}

}  // namespace
}  // namespace fieldlink

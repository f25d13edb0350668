// Video call signalling through the video plugin, over real WebSockets against a running
// fieldlinkd: every state of a call, two devices of the callee, the call log in the history,
// and callers who may not call.
#include <memory>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "support/media_fixtures.hpp"
#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

ServerProcess::Options callOptions() {
  ServerProcess::Options options;
  options.plugins_enabled = "text,video";
  options.env["FIELDLINK_PLUGINS_VIDEO_RING_TIMEOUT_S"] = "2";
  options.env["FIELDLINK_PLUGINS_VIDEO_RECONNECT_GRACE_S"] = "1";
  return options;
}

struct CallScene : Scene {
  CallScene() : Scene(callOptions()) {}
  std::unique_ptr<WsClient> connect(const std::string& token) const {
    auto ws = std::make_unique<WsClient>(server.port(), "/ws/?token=" + token);
    EXPECT_EQ(ws->status(), 101);
    return ws;
  }
  std::string frame(const std::string& type, const std::string& call_id,
                    const std::string& rest = "") const {
    return "{\"type\":\"" + type + "\",\"conversation_id\":" + std::to_string(conversation_id) +
           ",\"call_id\":\"" + call_id + "\"" + (rest.empty() ? "" : "," + rest) + "}";
  }
  // The call log once it has `entries` entries (they are stored just after the frames that
  // end a call go out), or as it is after 5 s.
  std::vector<std::string> callLog(std::size_t entries) const {
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    std::vector<std::string> log = callLogNow();
    while (log.size() < entries && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(50ms);
      log = callLogNow();
    }
    return log;
  }
  // Each video message's "event" (and duration), oldest first.
  std::vector<std::string> callLogNow() const {
    std::vector<std::string> out;
    for (const auto& m : api.history(client, conversation_id)) {
      if (m->getValue<std::string>("message_type") != "video") continue;
      const auto call = m->getObject("content")->getObject("call");
      std::string line = call->getValue<std::string>("event");
      if (call->has("reason")) line += " (" + call->getValue<std::string>("reason") + ")";
      if (call->has("duration_ms")) line += " with duration";
      out.push_back(line);
    }
    return out;
  }
};

constexpr const char* kOffer = R"("sdp":{"type":"offer","sdp":"v=0 offer"})";
constexpr const char* kAnswer = R"("sdp":{"type":"answer","sdp":"v=0 answer"})";
constexpr const char* kCandidate =
    R"("candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0"})";

// What a TURN server with this shared secret expects as the password for `username`, as
// openssl computes it: a reference independent of the server's code.
std::string turnPassword(const std::string& username, const std::string& secret) {
  std::string output;
  const int status = runShell(
      "printf %s '" + username + "' | openssl dgst -sha1 -hmac '" + secret + "' -binary | base64",
      output);
  EXPECT_EQ(status, 0) << output;
  return output.substr(0, output.find('\n'));
}

std::string errorCode(WsClient& ws) {
  const auto error = ws.nextOfType("error");
  return error ? error->getValue<std::string>("code") : "no error frame";
}

TEST(VideoCalls, ACallRingsBothDevicesTheFirstToAcceptTakesItAndTheHistoryTellsTheStory) {
  CallScene s;
  auto caller = s.connect(s.client);
  auto phone = s.connect(s.technician);
  auto laptop = s.connect(s.technician);

  caller->sendJson(s.frame("call.invite", "call-1", kOffer));
  const auto ringing = caller->nextOfType("call.ringing");
  ASSERT_TRUE(ringing);
  EXPECT_EQ(ringing->getValue<std::int64_t>("callee_id"), s.technician_id);
  for (auto* device : {phone.get(), laptop.get()}) {
    const auto invite = device->nextOfType("call.invite");
    ASSERT_TRUE(invite);
    EXPECT_EQ(invite->getValue<std::int64_t>("caller_id"), s.client_id);
    EXPECT_EQ(invite->getObject("sdp")->getValue<std::string>("sdp"), "v=0 offer");
  }
  // The caller's candidates reach the ringing devices.
  caller->sendJson(s.frame("call.ice", "call-1", kCandidate));
  ASSERT_TRUE(phone->nextOfType("call.ice"));
  ASSERT_TRUE(laptop->nextOfType("call.ice"));

  phone->sendJson(s.frame("call.accept", "call-1", kAnswer));
  const auto accepted = caller->nextOfType("call.accepted");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->getObject("sdp")->getValue<std::string>("type"), "answer");
  ASSERT_TRUE(laptop->nextOfType("call.taken"));
  laptop->sendJson(s.frame("call.accept", "call-1", kAnswer));
  EXPECT_EQ(errorCode(*laptop), "invalid_call_state");

  phone->sendJson(s.frame("call.ice", "call-1", kCandidate));
  const auto candidate = caller->nextOfType("call.ice");
  ASSERT_TRUE(candidate);
  EXPECT_EQ(candidate->getObject("candidate")->getValue<std::string>("sdpMid"), "0");

  caller->sendJson(s.frame("call.hangup", "call-1"));
  const auto ended = phone->nextOfType("call.ended");
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->getValue<std::string>("reason"), "hangup");
  EXPECT_GE(ended->getValue<std::int64_t>("duration_ms"), 0);
  // The log entries are ordinary messages: live on every connection, and in the history.
  // (The "started" one may have reached the laptop while an earlier wait skipped past it.)
  std::string last_event;
  while (last_event != "ended") {
    const auto message = laptop->nextOfType("message");
    ASSERT_TRUE(message) << "the laptop never got the call's end in its chat";
    last_event = message->getObject("message")
                     ->getObject("content")
                     ->getObject("call")
                     ->getValue<std::string>("event");
  }
  EXPECT_EQ(s.callLog(2), (std::vector<std::string>{"started", "ended with duration"}));
}

TEST(VideoCalls, DeclinedMissedAndCancelledCallsAreToldToBothSidesAndLogged) {
  CallScene s;
  auto caller = s.connect(s.client);
  auto callee = s.connect(s.technician);

  caller->sendJson(s.frame("call.invite", "declined", kOffer));
  ASSERT_TRUE(callee->nextOfType("call.invite"));
  callee->sendJson(s.frame("call.decline", "declined"));
  auto ended = caller->nextOfType("call.ended");
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->getValue<std::string>("reason"), "declined");

  // Nobody answers within plugins.video.ring_timeout_s (2 s here).
  caller->sendJson(s.frame("call.invite", "unanswered", kOffer));
  ASSERT_TRUE(callee->nextOfType("call.invite"));
  ended = caller->nextOfType("call.ended", 10s);
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->getValue<std::string>("reason"), "missed");
  EXPECT_EQ(callee->nextOfType("call.ended")->getValue<std::string>("reason"), "missed");

  caller->sendJson(s.frame("call.invite", "given-up", kOffer));
  ASSERT_TRUE(callee->nextOfType("call.invite"));
  caller->sendJson(s.frame("call.hangup", "given-up"));
  EXPECT_EQ(callee->nextOfType("call.ended")->getValue<std::string>("reason"), "cancelled");

  EXPECT_EQ(s.callLog(3), (std::vector<std::string>{"declined", "missed", "missed (cancelled)"}));
}

TEST(VideoCalls, SomeoneAlreadyInACallIsBusy) {
  CallScene s;
  // Another client's job, assigned to the same technician.
  const auto request = s.api.createRequest(s.outsider_client, "Radiator cold");
  const std::int64_t other_conversation =
      s.api.assign(s.dispatcher, request->getValue<std::int64_t>("id"), s.technician_id)
          ->getValue<std::int64_t>("conversation_id");
  auto alice = s.connect(s.client);
  auto mallory = s.connect(s.outsider_client);
  auto tom = s.connect(s.technician);

  alice->sendJson(s.frame("call.invite", "first", kOffer));
  ASSERT_TRUE(tom->nextOfType("call.invite"));
  mallory->sendJson("{\"type\":\"call.invite\",\"conversation_id\":" +
                    std::to_string(other_conversation) + ",\"call_id\":\"second\"," + kOffer + "}");
  const auto busy = mallory->nextOfType("call.ended");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->getValue<std::string>("reason"), "busy");
  // Tom was not rung a second time; the first call still rings.
  tom->sendJson(s.frame("call.accept", "first", kAnswer));
  ASSERT_TRUE(alice->nextOfType("call.accepted"));
  // The log entry follows the frame: it arrives live, then the history has it.
  ASSERT_TRUE(mallory->nextOfType("message"));
  const auto mallorys = s.api.history(s.outsider_client, other_conversation);
  ASSERT_FALSE(mallorys.empty());
  const auto last = mallorys.back()->getObject("content")->getObject("call");
  EXPECT_EQ(last->getValue<std::string>("event"), "missed");
  EXPECT_EQ(last->getValue<std::string>("reason"), "busy");
}

TEST(VideoCalls, APartyWhoDisconnectsMidCallEndsItAfterTheGracePeriod) {
  CallScene s;
  auto caller = s.connect(s.client);
  auto callee = s.connect(s.technician);
  caller->sendJson(s.frame("call.invite", "dropped", kOffer));
  ASSERT_TRUE(callee->nextOfType("call.invite"));
  callee->sendJson(s.frame("call.accept", "dropped", kAnswer));
  ASSERT_TRUE(caller->nextOfType("call.accepted"));
  callee.reset();  // the technician's phone loses its connection and does not come back
  const auto ended = caller->nextOfType("call.ended", 10s);
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->getValue<std::string>("reason"), "disconnected");
  EXPECT_EQ(s.callLog(2),
            (std::vector<std::string>{"started", "ended (disconnected) with duration"}));

  // Back within the grace period, a new connection rejoins and the call goes on.
  callee = s.connect(s.technician);
  caller->sendJson(s.frame("call.invite", "resumed", kOffer));
  ASSERT_TRUE(callee->nextOfType("call.invite"));
  callee->sendJson(s.frame("call.accept", "resumed", kAnswer));
  ASSERT_TRUE(caller->nextOfType("call.accepted"));
  callee.reset();
  auto again = s.connect(s.technician);
  again->sendJson(s.frame("call.rejoin", "resumed"));
  ASSERT_TRUE(again->nextOfType("call.rejoined"));
  again->sendJson(s.frame("call.ice", "resumed", kCandidate));
  ASSERT_TRUE(caller->nextOfType("call.ice"));
  EXPECT_FALSE(caller->nextOfType("call.ended", 2500ms));  // past the grace: still on
}

TEST(VideoCalls, OutsidersMalformedFramesAndForgedLogEntriesAreRefused) {
  CallScene s;
  auto caller = s.connect(s.client);
  auto callee = s.connect(s.technician);
  auto outsider = s.connect(s.outsider_technician);

  outsider->sendJson(s.frame("call.invite", "intruder", kOffer));
  EXPECT_EQ(errorCode(*outsider), "not_found");
  caller->sendJson(s.frame("call.invite", "real", kOffer));
  ASSERT_TRUE(callee->nextOfType("call.invite"));
  outsider->sendJson(s.frame("call.accept", "real", kAnswer));
  EXPECT_EQ(errorCode(*outsider), "not_found");  // the same answer as for no call at all
  callee->sendJson(s.frame("call.accept", "no-such-call", kAnswer));
  EXPECT_EQ(errorCode(*callee), "not_found");
  caller->sendJson(s.frame("call.decline", "real"));  // only the callee declines
  EXPECT_EQ(errorCode(*caller), "invalid_call_state");

  caller->sendJson(s.frame("call.invite", "no sdp"));
  EXPECT_EQ(errorCode(*caller), "invalid");
  for (const std::string& bad_id :
       {std::string(65, 'x'), std::string("caf\u00e9"), std::string()}) {
    caller->sendJson(s.frame("call.invite", bad_id, kOffer));
    EXPECT_EQ(errorCode(*caller), "invalid") << bad_id;
  }
  caller->sendJson(s.frame("call.invite", "no-sdp"));
  EXPECT_EQ(errorCode(*caller), "invalid");
  caller->sendJson(s.frame("call.invite", "bad-sdp", R"("sdp":"v=0")"));
  EXPECT_EQ(errorCode(*caller), "invalid");

  // The call log is the server's: a client cannot write an entry.
  const auto forged = s.api.http().post(
      "/api/chat/messages/",
      "{\"conversation_id\":" + std::to_string(s.conversation_id) +
          R"(,"message_type":"video","content":{"call":{"id":"x","event":"ended","duration_ms":1}}})",
      s.client);
  EXPECT_EQ(forged.status, 400) << forged.body;
  // None of this disturbed the real call.
  callee->sendJson(s.frame("call.accept", "real", kAnswer));
  ASSERT_TRUE(caller->nextOfType("call.accepted"));
}

TEST(VideoCalls, IceServersComeFromConfigWithTimeLimitedTurnCredentials) {
  ServerProcess::Options options = callOptions();
  options.env["FIELDLINK_CALLS_STUN_URLS"] = "stun:stun.example.org:3478";
  options.env["FIELDLINK_CALLS_TURN_URLS"] = "turn:turn.example.org:3478";
  options.env["FIELDLINK_CALLS_TURN_SECRET"] = "north-wind-secret-0123";
  options.env["FIELDLINK_CALLS_TURN_CREDENTIAL_TTL"] = "600";
  Scene s(options);
  const auto answer = s.api.http().get("/api/chat/calls/ice_servers/", s.client);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.headers.at("Cache-Control"), "no-store");
  const auto servers = answer.object()->getArray("ice_servers");
  ASSERT_EQ(servers->size(), 2u);
  const auto turn = servers->getObject(1);
  const std::string username = turn->getValue<std::string>("username");
  EXPECT_EQ(username.substr(username.find(':') + 1), std::to_string(s.client_id));
  const auto expiry = std::stoll(username.substr(0, username.find(':')));
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_GT(expiry, now);
  EXPECT_LE(expiry, now + 600);
  EXPECT_EQ(turn->getValue<std::string>("credential"),
            turnPassword(username, "north-wind-secret-0123"));
  EXPECT_EQ(s.api.http().get("/api/chat/calls/ice_servers/").status, 401);
  // A TURN credential relays anything: someone with nobody to call gets none.
  const auto outsider = s.api.http().get("/api/chat/calls/ice_servers/", s.outsider_client);
  EXPECT_EQ(outsider.status, 404);
  EXPECT_EQ(outsider.body.find("turn.example.org"), std::string::npos);
}

}  // namespace
}  // namespace fieldlink::testing

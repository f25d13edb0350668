#include "call_book.hpp"

#include <gtest/gtest.h>

namespace fieldlink::video {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kConversation = 7;
constexpr std::int64_t kClient = 1;
constexpr std::int64_t kTechnician = 2;
constexpr std::int64_t kDispatcher = 3;

sdk::FrameSender from(std::int64_t user, std::uint64_t connection,
                      std::int64_t conversation = kConversation) {
  sdk::FrameSender s;
  s.user_id = user;
  s.role = user == kClient ? "client" : user == kTechnician ? "technician" : "dispatcher";
  s.connection_id = connection;
  s.conversation_id = conversation;
  return s;
}

Poco::Dynamic::Var sdp(const std::string& type) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("type", type);
  o->set("sdp", "v=0");
  return o;
}

// "call.invite→2/0" style lines: type, target user, only connection (0: all), and except.
std::vector<std::string> frames(const Effects& e) {
  std::vector<std::string> out;
  for (const auto& f : e.frames) {
    std::string line = f.frame->getValue<std::string>("type") + "→" + std::to_string(f.to.user_id) +
                       "/" + std::to_string(f.to.only_connection);
    if (f.to.except_connection) line += "-" + std::to_string(f.to.except_connection);
    if (f.frame->has("reason")) line += " " + f.frame->getValue<std::string>("reason");
    out.push_back(line);
  }
  return out;
}

// "event by sender" lines, with the duration when there is one.
std::vector<std::string> log(const Effects& e) {
  std::vector<std::string> out;
  for (const auto& entry : e.log) {
    const auto call = entry.content->getObject("call");
    std::string line =
        call->getValue<std::string>("event") + " by " + std::to_string(entry.sender_id);
    if (call->has("duration_ms"))
      line += " " + std::to_string(call->getValue<std::int64_t>("duration_ms")) + "ms";
    if (call->has("reason")) line += " (" + call->getValue<std::string>("reason") + ")";
    out.push_back(line);
  }
  return out;
}

std::string refusal(const std::function<void()>& step) {
  try {
    step();
  } catch (const sdk::FrameRefused& e) {
    return e.code();
  }
  return "accepted";
}

class CallBookTest : public ::testing::Test {
 protected:
  CallBook book{CallBook::Settings{30s, 10s}};
  const TimePoint t0 = TimePoint(std::chrono::hours(500000));
  // The client calls from connection 11; the technician has two devices, 21 and 22.
  Effects ring() { return book.invite(from(kClient, 11), "c1", kTechnician, sdp("offer"), t0); }
};

TEST_F(CallBookTest, AnInviteRingsEveryDeviceOfTheCalleeAndTellsTheCallerItRings) {
  const Effects e = ring();
  EXPECT_EQ(frames(e), (std::vector<std::string>{"call.ringing→1/11", "call.invite→2/0"}));
  EXPECT_EQ(e.frames[1].frame->getValue<std::int64_t>("caller_id"), kClient);
  EXPECT_TRUE(e.frames[1].frame->has("sdp"));
  EXPECT_TRUE(e.log.empty());
  EXPECT_EQ(book.size(), 1u);
}

TEST_F(CallBookTest, TheFirstDeviceToAcceptTakesTheCallAndTheOthersAreTold) {
  ring();
  const Effects e = book.accept(from(kTechnician, 21), "c1", sdp("answer"), t0 + 3s);
  EXPECT_EQ(frames(e), (std::vector<std::string>{"call.accepted→1/11", "call.taken→2/0-21"}));
  EXPECT_EQ(log(e), (std::vector<std::string>{"started by 1"}));
  EXPECT_EQ(refusal([&] { book.accept(from(kTechnician, 22), "c1", sdp("answer"), t0 + 4s); }),
            "invalid_call_state");
}

TEST_F(CallBookTest, CandidatesGoBetweenTheTwoDevicesInTheCall) {
  ring();
  // Before the answer the caller's candidates reach every ringing device.
  EXPECT_EQ(frames(book.ice(from(kClient, 11), "c1", Poco::Dynamic::Var())),
            (std::vector<std::string>{"call.ice→2/0"}));
  EXPECT_EQ(refusal([&] { book.ice(from(kTechnician, 21), "c1", Poco::Dynamic::Var()); }),
            "invalid_call_state");
  book.accept(from(kTechnician, 21), "c1", sdp("answer"), t0);
  EXPECT_EQ(frames(book.ice(from(kClient, 11), "c1", Poco::Dynamic::Var())),
            (std::vector<std::string>{"call.ice→2/21"}));
  EXPECT_EQ(frames(book.ice(from(kTechnician, 21), "c1", Poco::Dynamic::Var())),
            (std::vector<std::string>{"call.ice→1/11"}));
  EXPECT_EQ(refusal([&] { book.ice(from(kTechnician, 22), "c1", Poco::Dynamic::Var()); }),
            "invalid_call_state");
  EXPECT_EQ(refusal([&] { book.ice(from(kClient, 12), "c1", Poco::Dynamic::Var()); }),
            "invalid_call_state");
}

TEST_F(CallBookTest, ADeclineEndsTheRingingEverywhereAndIsLogged) {
  ring();
  const Effects e = book.decline(from(kTechnician, 22), "c1");
  EXPECT_EQ(frames(e),
            (std::vector<std::string>{"call.ended→1/11 declined", "call.ended→2/0-22 declined"}));
  EXPECT_EQ(log(e), (std::vector<std::string>{"declined by 2"}));
  EXPECT_EQ(book.size(), 0u);
  EXPECT_EQ(refusal([&] { book.decline(from(kTechnician, 22), "c1"); }), "not_found");
}

TEST_F(CallBookTest, ARingNobodyAnswersBecomesAMissedCall) {
  ring();
  EXPECT_TRUE(book.tick(t0 + 29s).frames.empty());
  const Effects e = book.tick(t0 + 30s);
  EXPECT_EQ(frames(e),
            (std::vector<std::string>{"call.ended→1/11 missed", "call.ended→2/0 missed"}));
  EXPECT_EQ(log(e), (std::vector<std::string>{"missed by 1"}));
  EXPECT_EQ(book.size(), 0u);
}

TEST_F(CallBookTest, ACallerWhoGivesUpLeavesAMissedCall) {
  ring();
  const Effects e = book.hangup(from(kClient, 11), "c1", false, t0 + 5s);
  EXPECT_EQ(frames(e), (std::vector<std::string>{"call.ended→2/0-11 cancelled"}));
  EXPECT_EQ(log(e), (std::vector<std::string>{"missed by 1 (cancelled)"}));
}

TEST_F(CallBookTest, AHangUpEndsTheCallForTheOtherSideWithItsDuration) {
  ring();
  book.accept(from(kTechnician, 21), "c1", sdp("answer"), t0 + 2s);
  const Effects e = book.hangup(from(kTechnician, 21), "c1", false, t0 + 92s);
  EXPECT_EQ(frames(e), (std::vector<std::string>{"call.ended→1/11 hangup"}));
  EXPECT_EQ(e.frames[0].frame->getValue<std::int64_t>("duration_ms"), 90000);
  EXPECT_EQ(log(e), (std::vector<std::string>{"ended by 1 90000ms"}));
}

TEST_F(CallBookTest, AFailedConnectionIsLoggedAsSuch) {
  ring();
  book.accept(from(kTechnician, 21), "c1", sdp("answer"), t0);
  EXPECT_EQ(log(book.hangup(from(kClient, 11), "c1", true, t0 + 4s)),
            (std::vector<std::string>{"ended by 1 4000ms (failed)"}));
}

TEST_F(CallBookTest, SomeoneAlreadyInACallIsBusy) {
  ring();
  // The dispatcher calls the technician, who is being rung: busy, nobody else rings.
  const Effects e = book.invite(from(kDispatcher, 31), "c2", kTechnician, sdp("offer"), t0 + 1s);
  EXPECT_EQ(frames(e), (std::vector<std::string>{"call.ended→3/31 busy"}));
  EXPECT_EQ(log(e), (std::vector<std::string>{"missed by 3 (busy)"}));
  EXPECT_EQ(book.size(), 1u);
  EXPECT_EQ(refusal([&] { ring(); }), "conflict");  // the same call id again
}

TEST_F(CallBookTest, APartyWhoseConnectionClosesHasAGracePeriodToRejoin) {
  ring();
  book.accept(from(kTechnician, 21), "c1", sdp("answer"), t0);
  EXPECT_TRUE(book.disconnected(kTechnician, 21, t0 + 10s).frames.empty());
  EXPECT_TRUE(book.tick(t0 + 15s).frames.empty());
  EXPECT_EQ(frames(book.rejoin(from(kTechnician, 23), "c1")),
            (std::vector<std::string>{"call.rejoined→2/23"}));
  EXPECT_TRUE(book.tick(t0 + 60s).frames.empty());  // rejoined: no end
  EXPECT_EQ(frames(book.ice(from(kTechnician, 23), "c1", Poco::Dynamic::Var())),
            (std::vector<std::string>{"call.ice→1/11"}));

  book.disconnected(kClient, 11, t0 + 100s);
  const Effects e = book.tick(t0 + 110s);
  EXPECT_EQ(frames(e), (std::vector<std::string>{"call.ended→1/11 disconnected",
                                                 "call.ended→2/23 disconnected"}));
  EXPECT_EQ(log(e), (std::vector<std::string>{"ended by 1 110000ms (disconnected)"}));
}

TEST_F(CallBookTest, TheCallerLeavingWhileItRingsCancelsIt) {
  ring();
  EXPECT_TRUE(
      book.disconnected(kTechnician, 21, t0).frames.empty());  // a ringing device: no matter
  const Effects e = book.disconnected(kClient, 11, t0 + 1s);
  EXPECT_EQ(frames(e), (std::vector<std::string>{"call.ended→2/0-11 cancelled"}));
  EXPECT_EQ(book.size(), 0u);
}

TEST_F(CallBookTest, OutsidersAndOtherConversationsFindNoCall) {
  ring();
  EXPECT_EQ(refusal([&] { book.accept(from(kDispatcher, 31), "c1", sdp("answer"), t0); }),
            "not_found");
  EXPECT_EQ(refusal([&] { book.hangup(from(kDispatcher, 31), "c1", false, t0); }), "not_found");
  EXPECT_EQ(refusal([&] { book.accept(from(kTechnician, 21, 99), "c1", sdp("answer"), t0); }),
            "not_found");
  EXPECT_EQ(refusal([&] { book.hangup(from(kTechnician, 21), "nope", false, t0); }), "not_found");
  EXPECT_EQ(refusal([&] { book.rejoin(from(kTechnician, 21), "c1"); }), "invalid_call_state");
}

}  // namespace
}  // namespace fieldlink::video

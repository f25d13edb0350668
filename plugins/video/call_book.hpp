#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <fieldlink/sdk/frames.hpp>

namespace fieldlink::video {

using TimePoint = std::chrono::system_clock::time_point;

// What a call step asks of the host: frames to send, and call log entries to store (video
// messages with content {"call": {...}}).
struct Effects {
  struct Frame {
    sdk::FrameTarget to;
    Poco::JSON::Object::Ptr frame;
  };
  struct LogEntry {
    std::int64_t conversation_id;
    std::int64_t sender_id;
    Poco::JSON::Object::Ptr content;
  };
  std::vector<Frame> frames;
  std::vector<LogEntry> log;
};

// Every call in progress and its state machine: ringing → accepted → ended, or declined,
// missed (no answer in time, or the caller gave up), busy (either side already in a call),
// failed (a side's browser could not connect). Pure: the plugin feeds it frames, connection
// closes and the time, and carries out the effects. Not thread-safe: the plugin locks.
//
// Frames it refuses throw sdk::FrameRefused: `not_found` for a call the sender is not a
// party to (whether or not it exists), `invalid_call_state` for a step the call's state does
// not allow, `invalid` for a malformed frame.
class CallBook {
 public:
  struct Settings {
    std::chrono::milliseconds ring_timeout{30000};
    std::chrono::milliseconds reconnect_grace{10000};
  };
  explicit CallBook(Settings settings) : settings_(settings) {}

  // `callee_id` is a participant of the conversation other than the caller (the plugin
  // decides who). Rings every connection of the callee that follows the conversation.
  Effects invite(const sdk::FrameSender& from, const std::string& call_id, std::int64_t callee_id,
                 const Poco::Dynamic::Var& sdp, TimePoint now);
  // The first of the callee's connections to accept takes the call.
  Effects accept(const sdk::FrameSender& from, const std::string& call_id,
                 const Poco::Dynamic::Var& sdp, TimePoint now);
  Effects ice(const sdk::FrameSender& from, const std::string& call_id,
              const Poco::Dynamic::Var& candidate);
  Effects decline(const sdk::FrameSender& from, const std::string& call_id);
  // `failed`: the sender's browser could not connect (call.hangup with reason "failed").
  Effects hangup(const sdk::FrameSender& from, const std::string& call_id, bool failed,
                 TimePoint now);
  // A party's new connection takes over the call (after theirs closed, within the grace
  // period, or before the server noticed it close).
  Effects rejoin(const sdk::FrameSender& from, const std::string& call_id);
  Effects disconnected(std::int64_t user_id, std::uint64_t connection_id, TimePoint now);
  // Ends calls rung for too long and calls whose party did not come back in time.
  Effects tick(TimePoint now);

  std::size_t size() const { return calls_.size(); }

 private:
  enum class State { Ringing, Accepted };
  struct Call {
    std::string id;
    std::int64_t conversation_id = 0;
    std::int64_t caller_id = 0;
    std::uint64_t caller_connection = 0;
    std::int64_t callee_id = 0;
    std::uint64_t callee_connection = 0;  // the device that accepted
    State state = State::Ringing;
    TimePoint rang_at;
    TimePoint accepted_at;
    std::optional<TimePoint> caller_gone_until;  // grace periods after a connection closed
    std::optional<TimePoint> callee_gone_until;
  };

  Call& partyCall(const sdk::FrameSender& from, const std::string& call_id);
  bool inCall(std::int64_t user_id) const;
  // Ends the call: tells `notify` sides (except `skip_connection`) and logs it.
  void end(Effects& out, const Call& call, const std::string& reason, TimePoint now,
           std::uint64_t skip_connection = 0);
  static void send(Effects& out, const Call& call, std::int64_t user, std::uint64_t only,
                   std::uint64_t except, Poco::JSON::Object::Ptr frame);
  static Poco::JSON::Object::Ptr frame(const std::string& type, const Call& call);
  static void log(Effects& out, const Call& call, std::int64_t sender, const std::string& event,
                  std::optional<std::int64_t> duration_ms, const std::string& reason);

  Settings settings_;
  std::map<std::string, Call> calls_;
};

}  // namespace fieldlink::video

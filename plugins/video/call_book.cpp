#include "call_book.hpp"

namespace fieldlink::video {
namespace {

sdk::FrameRefused notFound() { return sdk::FrameRefused("not_found", "Call not found."); }

sdk::FrameRefused wrongState(const std::string& why) {
  return sdk::FrameRefused("invalid_call_state", why);
}

std::int64_t millisecondsBetween(TimePoint from, TimePoint to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

}  // namespace

Poco::JSON::Object::Ptr CallBook::frame(const std::string& type, const Call& call) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("type", type);
  out->set("call_id", call.id);
  out->set("conversation_id", call.conversation_id);
  return out;
}

void CallBook::send(Effects& out, const Call& call, std::int64_t user, std::uint64_t only,
                    std::uint64_t except, Poco::JSON::Object::Ptr frame) {
  if (only != 0 && only == except) return;
  if (only != 0) except = 0;  // one connection named: nothing to leave out
  sdk::FrameTarget to;
  to.conversation_id = call.conversation_id;
  to.user_id = user;
  to.only_connection = only;
  to.except_connection = except;
  out.frames.push_back({to, std::move(frame)});
}

void CallBook::log(Effects& out, const Call& call, std::int64_t sender, const std::string& event,
                   std::optional<std::int64_t> duration_ms, const std::string& reason) {
  Poco::JSON::Object::Ptr about = new Poco::JSON::Object;
  about->set("id", call.id);
  about->set("event", event);
  about->set("caller_id", call.caller_id);
  about->set("callee_id", call.callee_id);
  if (duration_ms) about->set("duration_ms", *duration_ms);
  if (!reason.empty()) about->set("reason", reason);
  Poco::JSON::Object::Ptr content = new Poco::JSON::Object;
  content->set("call", about);
  out.log.push_back({call.conversation_id, sender, content});
}

bool CallBook::inCall(std::int64_t user_id) const {
  for (const auto& [id, call] : calls_)
    if (call.caller_id == user_id || call.callee_id == user_id) return true;
  return false;
}

CallBook::Call& CallBook::partyCall(const sdk::FrameSender& from, const std::string& call_id) {
  const auto found = calls_.find(call_id);
  // A call of another conversation, or of other people, is answered as if it did not exist.
  if (found == calls_.end() || found->second.conversation_id != from.conversation_id ||
      (from.user_id != found->second.caller_id && from.user_id != found->second.callee_id))
    throw notFound();
  return found->second;
}

void CallBook::end(Effects& out, const Call& call, const std::string& reason, TimePoint now,
                   std::uint64_t skip_connection) {
  auto ended = frame("call.ended", call);
  ended->set("reason", reason);
  const bool accepted = call.state == State::Accepted;
  if (accepted) ended->set("duration_ms", millisecondsBetween(call.accepted_at, now));
  send(out, call, call.caller_id, call.caller_connection, skip_connection, ended);
  // Ringing: every device of the callee rang. Accepted: the others were told it was taken.
  send(out, call, call.callee_id, accepted ? call.callee_connection : 0, skip_connection, ended);
  if (accepted)
    log(out, call, call.caller_id, "ended", millisecondsBetween(call.accepted_at, now),
        reason == "hangup" ? "" : reason);
  else if (reason == "declined")
    log(out, call, call.callee_id, "declined", std::nullopt, "");
  else
    log(out, call, call.caller_id, "missed", std::nullopt, reason == "missed" ? "" : reason);
  calls_.erase(call.id);
}

Effects CallBook::invite(const sdk::FrameSender& from, const std::string& call_id,
                         std::int64_t callee_id, const Poco::Dynamic::Var& sdp, TimePoint now) {
  if (calls_.count(call_id))
    throw sdk::FrameRefused("conflict", "A call with this call_id is in progress.");
  Call call;
  call.id = call_id;
  call.conversation_id = from.conversation_id;
  call.caller_id = from.user_id;
  call.caller_connection = from.connection_id;
  call.callee_id = callee_id;
  call.rang_at = now;
  Effects out;
  if (inCall(call.caller_id) || inCall(callee_id)) {
    // Not stored: nobody rings, the caller hears "busy", the callee finds a missed call.
    auto busy = frame("call.ended", call);
    busy->set("reason", "busy");
    send(out, call, call.caller_id, call.caller_connection, 0, busy);
    log(out, call, call.caller_id, "missed", std::nullopt, "busy");
    return out;
  }
  auto ringing = frame("call.ringing", call);
  ringing->set("callee_id", callee_id);
  send(out, call, call.caller_id, call.caller_connection, 0, ringing);
  auto invitation = frame("call.invite", call);
  invitation->set("caller_id", call.caller_id);
  invitation->set("sdp", sdp);
  send(out, call, callee_id, 0, 0, invitation);
  calls_.emplace(call_id, call);
  return out;
}

Effects CallBook::accept(const sdk::FrameSender& from, const std::string& call_id,
                         const Poco::Dynamic::Var& sdp, TimePoint now) {
  Call& call = partyCall(from, call_id);
  if (from.user_id != call.callee_id) throw wrongState("Only the callee accepts a call.");
  if (call.state != State::Ringing) throw wrongState("This call was already answered.");
  call.state = State::Accepted;
  call.callee_connection = from.connection_id;
  call.accepted_at = now;
  Effects out;
  auto accepted = frame("call.accepted", call);
  accepted->set("sdp", sdp);
  send(out, call, call.caller_id, call.caller_connection, 0, accepted);
  send(out, call, call.callee_id, 0, from.connection_id, frame("call.taken", call));
  log(out, call, call.caller_id, "started", std::nullopt, "");
  return out;
}

Effects CallBook::ice(const sdk::FrameSender& from, const std::string& call_id,
                      const Poco::Dynamic::Var& candidate) {
  Call& call = partyCall(from, call_id);
  auto relayed = frame("call.ice", call);
  relayed->set("candidate", candidate);
  Effects out;
  if (from.user_id == call.caller_id) {
    if (from.connection_id != call.caller_connection)
      throw wrongState("Candidates come from the device that placed the call.");
    const bool accepted = call.state == State::Accepted;
    send(out, call, call.callee_id, accepted ? call.callee_connection : 0, 0, relayed);
  } else {
    if (call.state != State::Accepted || from.connection_id != call.callee_connection)
      throw wrongState("Candidates come from the device that accepted the call.");
    send(out, call, call.caller_id, call.caller_connection, 0, relayed);
  }
  return out;
}

Effects CallBook::decline(const sdk::FrameSender& from, const std::string& call_id) {
  Call& call = partyCall(from, call_id);
  if (from.user_id != call.callee_id) throw wrongState("Only the callee declines a call.");
  if (call.state != State::Ringing) throw wrongState("This call was already answered.");
  Effects out;
  end(out, call, "declined", call.rang_at, from.connection_id);
  return out;
}

Effects CallBook::hangup(const sdk::FrameSender& from, const std::string& call_id, bool failed,
                         TimePoint now) {
  Call& call = partyCall(from, call_id);
  Effects out;
  if (call.state == State::Ringing) {
    // The caller gave up (a missed call for the callee), or the callee refused.
    end(out, call, from.user_id == call.caller_id ? "cancelled" : "declined", now,
        from.connection_id);
    return out;
  }
  end(out, call, failed ? "failed" : "hangup", now, from.connection_id);
  return out;
}

Effects CallBook::rejoin(const sdk::FrameSender& from, const std::string& call_id) {
  Call& call = partyCall(from, call_id);
  const bool caller = from.user_id == call.caller_id;
  auto& gone = caller ? call.caller_gone_until : call.callee_gone_until;
  // Whether or not the server has noticed the old connection close (a phone changing
  // networks leaves it open a while): the new one takes over, and the old one's close later
  // changes nothing.
  if (call.state != State::Accepted) throw wrongState("Only a call in progress can be rejoined.");
  gone.reset();
  (caller ? call.caller_connection : call.callee_connection) = from.connection_id;
  Effects out;
  send(out, call, from.user_id, from.connection_id, 0, frame("call.rejoined", call));
  return out;
}

Effects CallBook::disconnected(std::int64_t user_id, std::uint64_t connection_id, TimePoint now) {
  Effects out;
  std::vector<std::string> cancelled;
  for (auto& [id, call] : calls_) {
    const bool callers = call.caller_id == user_id && call.caller_connection == connection_id;
    const bool callees = call.callee_id == user_id && call.callee_connection == connection_id;
    if (call.state == State::Ringing && callers) cancelled.push_back(id);
    if (call.state != State::Accepted) continue;
    if (callers) call.caller_gone_until = now + settings_.reconnect_grace;
    if (callees) call.callee_gone_until = now + settings_.reconnect_grace;
  }
  for (const auto& id : cancelled) end(out, calls_.at(id), "cancelled", now, connection_id);
  return out;
}

Effects CallBook::tick(TimePoint now) {
  Effects out;
  std::vector<std::pair<std::string, std::string>> ending;  // call id, reason
  for (const auto& [id, call] : calls_) {
    if (call.state == State::Ringing && now - call.rang_at >= settings_.ring_timeout)
      ending.emplace_back(id, "missed");
    const auto gone = [now](const std::optional<TimePoint>& until) {
      return until && *until <= now;
    };
    if (call.state == State::Accepted &&
        (gone(call.caller_gone_until) || gone(call.callee_gone_until)))
      ending.emplace_back(id, "disconnected");
  }
  for (const auto& [id, reason] : ending) end(out, calls_.at(id), reason, now);
  return out;
}

}  // namespace fieldlink::video

#include "ws/connection.hpp"

#include <sys/uio.h>

#include <algorithm>
#include <limits>

#include "bus/names.hpp"
#include "net/reactor.hpp"
#include "ws/permessage_deflate.hpp"

namespace fieldlink::ws {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMaxReadPerTurn = 256 * 1024;  // then let other connections have a go
constexpr std::size_t kMaxIov = 64;
// After our close frame is written, how long the peer has to answer it.
constexpr auto kCloseGrace = std::chrono::seconds(2);
// From the moment a close is queued, whether or not it can be written: a peer that never
// reads cannot keep a closing connection, and what it holds, alive.
constexpr auto kCloseDeadline = std::chrono::seconds(5);

}  // namespace

Connection::Connection(std::uint64_t id, Identity identity, const WsSettings& settings,
                       ConnectionHandler* handler)
    : id_(id),
      identity_(std::move(identity)),
      settings_(settings),
      handler_(handler),
      decoder_(settings.max_frame_bytes),
      last_heard_(SteadyClock::now()),
      last_pinged_(last_heard_),
      tokens_(settings.message_burst),
      tokens_at_(last_heard_) {}

void Connection::bindTransport(std::unique_ptr<net::Transport> transport,
                               std::string handshake_answer, const std::string& early_bytes) {
  transport_ = std::move(transport);
  fd_ = transport_->fd();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Events may have been queued since the connection was admitted; nothing was written.
    queued_bytes_ += handshake_answer.size();
    outbox_.insert(outbox_.begin(), std::move(handshake_answer));
  }
  decoder_.feed(early_bytes.data(), early_bytes.size());
}

void Connection::enqueueLocked(std::string bytes, bool& schedule) {
  if (close_queued_) return;  // nothing may follow a close frame
  if (queued_bytes_ + bytes.size() > settings_.max_queue_bytes) {
    // Too slow a reader: drop what it has not started to receive and tell it to come back.
    if (outbox_.size() > 1) outbox_.resize(front_written_ > 0 ? 1 : 0);
    queued_bytes_ = outbox_.empty() ? 0 : outbox_.front().size() - front_written_;
    if (outbox_.empty()) front_written_ = 0;
    queueCloseLocked(close_code::kTryAgainLater, "too slow: reconnect and resume", schedule);
    return;
  }
  queued_bytes_ += bytes.size();
  outbox_.push_back(std::move(bytes));
  if (!flush_scheduled_) {
    flush_scheduled_ = true;
    schedule = true;
  }
}

void Connection::queueCloseLocked(std::uint16_t code, const std::string& reason, bool& schedule) {
  if (close_queued_) return;
  std::string frame = encodeFrame(Opcode::Close, closePayload(code, reason));
  queued_bytes_ += frame.size();
  outbox_.push_back(std::move(frame));
  close_queued_ = true;
  shut_after_flush_ = true;
  if (!flush_scheduled_) {
    flush_scheduled_ = true;
    schedule = true;
  }
}

void Connection::enqueue(std::string bytes) {
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    enqueueLocked(std::move(bytes), schedule);
  }
  requestFlushIf(schedule);
}

void Connection::close(std::uint16_t code, const std::string& reason) {
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queueCloseLocked(code, reason, schedule);
  }
  requestFlushIf(schedule);
}

std::string Connection::textFrame(const std::string& payload) const {
  if (wantsDeflated(payload.size()))
    return encodeFrame(Opcode::Text, deflateMessage(payload), /*compressed=*/true);
  return encodeFrame(Opcode::Text, payload);
}

void Connection::deliverMessage(ConversationId conversation, std::int64_t message_id,
                                const EncodedMessage& message) {
  const std::string& encoded =
      !message.deflated.empty() && deflate_ ? message.deflated : message.plain;
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto resuming = resuming_.find(conversation.value);
    if (resuming != resuming_.end()) {
      // Between two pages of a resume the next page reads it from the store, in order.
      if (!resuming->second.awaiting_next_page)
        resuming->second.held.emplace_back(message_id, encoded);
      return;
    }
    enqueueLiveLocked(conversation, message_id, encoded, schedule);
  }
  requestFlushIf(schedule);
}

void Connection::enqueueLiveLocked(ConversationId conversation, std::int64_t message_id,
                                   std::string frame, bool& schedule) {
  first_live_id_.try_emplace(conversation.value, message_id);
  std::int64_t& last = last_delivered_[conversation.value];
  last = std::max(last, message_id);
  enqueueLocked(std::move(frame), schedule);
}

void Connection::requestFlushIf(bool schedule) {
  if (!schedule) return;
  if (auto* reactor = this->reactor()) reactor->scheduleServe(shared_from_this());
}

void Connection::beginWork() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++work_in_flight_;
}

void Connection::endWork() {
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (--work_in_flight_ == 0 && close_when_settled_) {
      auto [code, reason] = *std::exchange(close_when_settled_, std::nullopt);
      queueCloseLocked(code, reason, schedule);
    }
  }
  requestFlushIf(schedule);
}

void Connection::closeWhenSettled(std::uint16_t code, const std::string& reason) {
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (work_in_flight_ > 0)
      close_when_settled_.emplace(code, reason);
    else
      queueCloseLocked(code, reason, schedule);
  }
  requestFlushIf(schedule);
}

void Connection::beginResume(ConversationId conversation) {
  std::lock_guard<std::mutex> lock(mutex_);
  resuming_[conversation.value].awaiting_next_page = false;
}

void Connection::abortResume(ConversationId conversation) {
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = resuming_.find(conversation.value);
    if (it == resuming_.end()) return;
    auto held = std::move(it->second.held);
    resuming_.erase(it);
    for (auto& [id, frame] : held) enqueueLiveLocked(conversation, id, std::move(frame), schedule);
  }
  requestFlushIf(schedule);
}

void Connection::finishResume(ConversationId conversation,
                              const std::vector<std::pair<std::int64_t, std::string>>& replay,
                              bool has_more) {
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = resuming_.find(conversation.value);
    if (it == resuming_.end() || it->second.awaiting_next_page) return;
    // From the first live message on, everything was delivered live already.
    const auto live = first_live_id_.find(conversation.value);
    const std::int64_t live_from =
        live == first_live_id_.end() ? std::numeric_limits<std::int64_t>::max() : live->second;
    std::int64_t& last = last_delivered_[conversation.value];
    std::int64_t replayed_up_to = 0;
    bool caught_up_with_live = false;
    bool page_full = false;
    for (const auto& [id, frame] : replay) {
      if (id >= live_from) {
        caught_up_with_live = true;
        break;
      }
      // A page takes at most half the queue, what is queued already included, so that a
      // reader that missed more than its queue holds still catches up, page by page.
      if (replayed_up_to != 0 && queued_bytes_ + frame.size() > resumePageBytes()) {
        page_full = true;
        break;
      }
      enqueueLocked(frame, schedule);
      replayed_up_to = id;
      last = std::max(last, id);
    }
    const bool more = replayed_up_to != 0 && (page_full || (has_more && !caught_up_with_live));
    std::int64_t resumed_up_to = last;
    if (more) {
      // Live messages wait in the store for the next page: none is held, none overtakes.
      it->second.held.clear();
      it->second.awaiting_next_page = true;
      resumed_up_to = replayed_up_to;
    } else {
      // Held back while resuming, in publish (= id) order; the replay may hold some already.
      auto held = std::move(it->second.held);
      resuming_.erase(it);
      for (auto& [id, frame] : held)
        if (id > replayed_up_to) enqueueLiveLocked(conversation, id, std::move(frame), schedule);
      resumed_up_to = last;
    }
    std::string resumed = "{\"type\":\"" + std::string(server_frame::kResumed) +
                          "\",\"conversation_id\":" + std::to_string(conversation.value) +
                          ",\"last_id\":" + std::to_string(resumed_up_to) +
                          ",\"has_more\":" + (more ? "true" : "false") + "}";
    enqueueLocked(textFrame(resumed), schedule);
  }
  requestFlushIf(schedule);
}

bool Connection::wantsRead() const {
  // Nothing more is read after a protocol error, nor while messages wait for the rate limit:
  // the socket's buffers fill and TCP slows the sender down.
  return !finished_ && decoder_.error() == 0 && waiting_.empty();
}

bool Connection::readAvailable() {
  char buffer[kReadChunk];
  std::size_t total = 0;
  // Past the per-turn budget, only what TLS has already decrypted is taken: poll() would not
  // report it, and it is at most one record.
  while (total < kMaxReadPerTurn || transport_->hasBufferedInput()) {
    const auto result = transport_->read(buffer, sizeof buffer);
    if (result.status == net::Transport::Status::WouldBlock) break;
    if (result.status == net::Transport::Status::Closed) {  // the peer closed its side, or failed
      finished_ = true;
      return false;
    }
    total += result.bytes;
    last_heard_ = SteadyClock::now();
    decoder_.feed(buffer, result.bytes);
  }
  while (auto frame = decoder_.next())
    if (!handleFrame(*frame)) return false;
  if (decoder_.error() != 0) close(decoder_.error(), decoder_.errorReason());
  if (!decoder_.midMessage())
    message_started_at_ = {};
  else if (message_started_at_ == SteadyClock::time_point{})
    message_started_at_ = last_heard_;
  return true;
}

bool Connection::handleFrame(Frame& frame) {
  switch (frame.opcode) {
    case Opcode::Text:
      if (close_queued_) break;
      if (frame.compressed) {
        std::string text;
        const auto status = inflateMessage(frame.payload, settings_.max_frame_bytes, text);
        if (status == InflateStatus::TooBig) {
          close(close_code::kTooBig, "message too big");
          break;
        }
        if (status == InflateStatus::Corrupt) {
          close(close_code::kProtocolError, "invalid compressed data");
          break;
        }
        if (!isValidUtf8(text)) {
          close(close_code::kInvalidPayload, "text is not valid UTF-8");
          break;
        }
        frame.payload = std::move(text);
      }
      waiting_bytes_ += frame.payload.size();
      waiting_.push_back(std::move(frame.payload));
      break;
    case Opcode::Ping:
      if (!close_queued_) enqueue(encodeFrame(Opcode::Pong, frame.payload));
      break;
    case Opcode::Pong:
      break;
    case Opcode::Close: {
      peer_closed_ = true;
      std::uint16_t code = close_code::kNormal;
      if (frame.payload.size() >= 2)
        code = static_cast<std::uint16_t>((static_cast<unsigned char>(frame.payload[0]) << 8) |
                                          static_cast<unsigned char>(frame.payload[1]));
      if (close_queued_) {  // our close was answered: done
        finished_ = true;
        return false;
      }
      close(code, "");
      break;
    }
    case Opcode::Binary:
      close(close_code::kUnsupportedData, "binary frames are not supported");
      break;
    case Opcode::Continuation:
      break;  // never returned by the decoder
  }
  return true;
}

void Connection::dispatchWaiting(SteadyClock::time_point now) {
  const auto self = shared_from_this();
  while (waiting_front_ < waiting_.size() && !close_queued_ && admitMessage(now)) {
    std::string text = std::move(waiting_[waiting_front_++]);
    waiting_bytes_ -= text.size();
    if (waiting_front_ == waiting_.size()) {
      std::vector<std::string>().swap(waiting_);
      waiting_front_ = 0;
    }
    try {
      handler_->onText(self, std::move(text));
    } catch (const std::exception&) {
      // The hub answers its own errors; one frame's failure must not cost the connection.
    }
  }
  if (close_queued_) {
    dropWaiting();
    return;
  }
  if (waiting_.empty()) return;
  if (waiting_bytes_ > settings_.max_backlog_bytes) {
    // Far more than the rate allows, at once: cut, once the acks of what was accepted are out.
    dropWaiting();
    closeWhenSettled(close_code::kPolicyViolation, "rate limit exceeded");
    return;
  }
  // Back when the bucket holds a token again; reading waits until then. One wake-up asked at
  // a time: sends to this connection also give it turns, and each would ask again.
  if (wake_asked_for_ > now) return;
  const double missing = 1.0 - tokens_;
  wake_asked_for_ =
      now + std::chrono::duration_cast<SteadyClock::duration>(
                std::chrono::duration<double>(missing / settings_.messages_per_second));
  if (auto* reactor = this->reactor()) reactor->wakeAt(*this, wake_asked_for_);
}

void Connection::dropWaiting() {
  std::vector<std::string>().swap(waiting_);
  waiting_front_ = 0;
  waiting_bytes_ = 0;
}

bool Connection::serve(bool readable, bool writable) {
  if (writable && !flush()) return false;
  if (finished_) return false;
  if (readable && wantsRead() && !readAvailable()) return false;
  if (!waiting_.empty()) dispatchWaiting(SteadyClock::now());
  return flush();
}

bool Connection::tick(SteadyClock::time_point now) {
  if (!waiting_.empty()) dispatchWaiting(now);
  if (closing()) {
    if (!close_seen_) {
      close_seen_ = true;
      close_deadline_ = now + kCloseDeadline;
    }
    return now <= close_deadline_;
  }
  // What is queued below asks the reactor for a turn to be written (requestFlushIf).
  if (now - last_heard_ > settings_.idle_timeout) {
    close(close_code::kGoingAway, "idle");
    return true;
  }
  // A sender trickling a message keeps the connection from going idle, not forever open.
  if (message_started_at_ != SteadyClock::time_point{} &&
      now - message_started_at_ > settings_.message_timeout) {
    close(close_code::kPolicyViolation, "message too slow to arrive");
    return true;
  }
  if (now - last_heard_ > settings_.ping_interval && now - last_pinged_ > settings_.ping_interval) {
    last_pinged_ = now;
    enqueue(encodeFrame(Opcode::Ping, ""));
  }
  handler_->onTick(shared_from_this(), now);
  return true;
}

void Connection::dropped() {
  transport_.reset();  // the socket and its slot
  handler_->onClosed(shared_from_this());
}

void Connection::shutdown() {
  close(close_code::kGoingAway, "server shutting down");
  flush();
}

bool Connection::flush() {
  std::lock_guard<std::mutex> lock(mutex_);
  flush_scheduled_ = false;
  while (!outbox_.empty()) {
    iovec iov[kMaxIov];
    std::size_t count = std::min(outbox_.size(), kMaxIov);
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t skip = i == 0 ? front_written_ : 0;
      iov[i].iov_base = outbox_[i].data() + skip;
      iov[i].iov_len = outbox_[i].size() - skip;
    }
    const auto result = transport_->write(iov, count);
    if (result.status == net::Transport::Status::WouldBlock) {
      wants_write_ = true;
      return true;
    }
    if (result.status == net::Transport::Status::Closed) {
      finished_ = true;
      return false;
    }
    std::size_t written = result.bytes;
    queued_bytes_ -= written;
    std::size_t done = 0;
    while (done < outbox_.size() && written >= outbox_[done].size() - front_written_) {
      written -= outbox_[done].size() - front_written_;
      front_written_ = 0;
      ++done;
    }
    front_written_ += written;
    outbox_.erase(outbox_.begin(), outbox_.begin() + static_cast<std::ptrdiff_t>(done));
  }
  // Idle connections should cost little memory: give back what a burst made us hold.
  if (outbox_.capacity() > 16) std::vector<std::string>().swap(outbox_);
  wants_write_ = false;
  if (shut_after_flush_) {
    shut_after_flush_ = false;
    transport_->shutdownWrite();
    if (peer_closed_) {
      finished_ = true;
      return false;
    }
    const auto grace = SteadyClock::now() + kCloseGrace;
    if (!close_seen_ || grace < close_deadline_) close_deadline_ = grace;
    close_seen_ = true;
  }
  return true;
}

bool Connection::admitMessage(SteadyClock::time_point now) {
  const double elapsed = std::chrono::duration<double>(now - tokens_at_).count();
  tokens_at_ = now;
  tokens_ = std::min(settings_.message_burst, tokens_ + elapsed * settings_.messages_per_second);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

}  // namespace fieldlink::ws

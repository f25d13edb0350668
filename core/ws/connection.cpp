#include "ws/connection.hpp"

#include <sys/uio.h>

#include <algorithm>
#include <limits>

#include "ws/permessage_deflate.hpp"
#include "ws/reactor.hpp"

namespace fieldlink::ws {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMaxReadPerTurn = 256 * 1024;  // then let other connections have a go
constexpr std::size_t kMaxIov = 64;
constexpr auto kCloseGrace = std::chrono::seconds(2);

}  // namespace

Connection::Connection(std::uint64_t id, Poco::Net::StreamSocket socket, Identity identity,
                       const WsSettings& settings)
    : id_(id),
      socket_(std::move(socket)),
      identity_(std::move(identity)),
      settings_(settings),
      decoder_(settings.max_frame_bytes),
      last_heard_(SteadyClock::now()),
      last_pinged_(last_heard_),
      tokens_(settings.message_burst),
      tokens_at_(last_heard_) {
  if (socket_.impl()->initialized()) transport_ = transportFor(socket_);
}

void Connection::bindSocket(Poco::Net::StreamSocket socket) {
  socket_ = std::move(socket);
  transport_ = transportFor(socket_);
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
  if (schedule && reactor_) reactor_->scheduleFlush(shared_from_this());
}

void Connection::beginResume(ConversationId conversation) {
  std::lock_guard<std::mutex> lock(mutex_);
  resuming_.try_emplace(conversation.value);
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
    if (it == resuming_.end()) return;
    auto held = std::move(it->second.held);
    resuming_.erase(it);
    // From the first live message on, everything was delivered live already.
    const auto live = first_live_id_.find(conversation.value);
    const std::int64_t live_from =
        live == first_live_id_.end() ? std::numeric_limits<std::int64_t>::max() : live->second;
    std::int64_t& last = last_delivered_[conversation.value];
    std::int64_t replayed_up_to = 0;
    for (const auto& [id, frame] : replay) {
      if (id >= live_from) break;
      enqueueLocked(frame, schedule);
      replayed_up_to = id;
      last = std::max(last, id);
    }
    // Held back while resuming, in publish (= id) order; the replay may hold some already.
    for (auto& [id, frame] : held)
      if (id > replayed_up_to) enqueueLiveLocked(conversation, id, std::move(frame), schedule);
    std::string resumed =
        "{\"type\":\"resumed\",\"conversation_id\":" + std::to_string(conversation.value) +
        ",\"last_id\":" + std::to_string(last) + ",\"has_more\":" + (has_more ? "true" : "false") +
        "}";
    enqueueLocked(textFrame(resumed), schedule);
  }
  requestFlushIf(schedule);
}

bool Connection::readAvailable(std::vector<std::string>& texts) {
  char buffer[kReadChunk];
  std::size_t total = 0;
  // Past the per-turn budget, only what TLS has already decrypted is taken: poll() would not
  // report it, and it is at most one record.
  while (total < kMaxReadPerTurn || transport_->hasBufferedInput()) {
    const auto result = transport_->read(buffer, sizeof buffer);
    if (result.status == Transport::Status::WouldBlock) break;
    if (result.status == Transport::Status::Closed) {  // the peer closed its side, or failed
      finished_ = true;
      return false;
    }
    total += result.bytes;
    last_heard_ = SteadyClock::now();
    decoder_.feed(buffer, result.bytes);
  }
  while (auto frame = decoder_.next()) {
    switch (frame->opcode) {
      case Opcode::Text:
        if (close_queued_) break;
        if (frame->compressed) {
          std::string text;
          const auto status = inflateMessage(frame->payload, settings_.max_frame_bytes, text);
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
          frame->payload = std::move(text);
        }
        texts.push_back(std::move(frame->payload));
        break;
      case Opcode::Ping:
        enqueue(encodeFrame(Opcode::Pong, frame->payload));
        break;
      case Opcode::Pong:
        break;
      case Opcode::Close: {
        peer_closed_ = true;
        std::uint16_t code = close_code::kNormal;
        if (frame->payload.size() >= 2)
          code = static_cast<std::uint16_t>((static_cast<unsigned char>(frame->payload[0]) << 8) |
                                            static_cast<unsigned char>(frame->payload[1]));
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
  }
  if (decoder_.error() != 0) close(decoder_.error(), decoder_.errorReason());
  if (!decoder_.midMessage())
    message_started_at_ = {};
  else if (message_started_at_ == SteadyClock::time_point{})
    message_started_at_ = last_heard_;
  return true;
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
    if (result.status == Transport::Status::WouldBlock) {
      wants_write_ = true;
      return true;
    }
    if (result.status == Transport::Status::Closed) {
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
    close_deadline_ = SteadyClock::now() + kCloseGrace;
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

#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Net/StreamSocket.h>

#include "domain/model.hpp"
#include "ws/frame_codec.hpp"
#include "ws/transport.hpp"
#include "ws/ws_settings.hpp"

namespace fieldlink::ws {

class Reactor;
using SteadyClock = std::chrono::steady_clock;

// Who is on the other end, settled at the handshake.
struct Identity {
  User user;
  std::optional<ConversationId> scope;  // /ws/chat/{id}/; empty for /ws/ (everything)
};

// A message frame encoded once for all its receivers: as is, and compressed when a receiver
// agreed to permessage-deflate and the message is large enough (empty otherwise).
struct EncodedMessage {
  std::string plain;
  std::string deflated;
};

// One WebSocket connection. Reading, decoding and the per-connection policies run on the
// owning reactor's thread only; sending may be asked from any thread and is only queued
// here, the reactor writes. The queue is bounded: a reader that falls too far behind is
// closed (1013) and is expected to reconnect and resume.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // The socket may come later (bindSocket), so that a connection can be registered, and
  // receive events, before the handshake's answer is written.
  Connection(std::uint64_t id, Poco::Net::StreamSocket socket, Identity identity,
             const WsSettings& settings);
  void bindSocket(Poco::Net::StreamSocket socket);

  std::uint64_t id() const { return id_; }
  const User& user() const { return identity_.user; }
  const Identity& identity() const { return identity_; }
  bool follows(ConversationId conversation) const {
    return !identity_.scope || *identity_.scope == conversation;
  }
  Poco::Net::StreamSocket& socket() { return socket_; }

  // --- any thread -------------------------------------------------------------
  void sendText(const std::string& payload) { enqueue(textFrame(payload)); }
  // The frame this connection sends for `payload`: compressed if permessage-deflate was
  // agreed and the payload has ws.deflate_min_bytes or more.
  std::string textFrame(const std::string& payload) const;
  bool wantsDeflated(std::size_t payload_bytes) const {
    return deflate_ && payload_bytes >= settings_.deflate_min_bytes;
  }
  // A message frame (encoded once for all its receivers). Held back while this connection is
  // resuming the conversation, so that replayed and live messages come out in order, once.
  void deliverMessage(ConversationId conversation, std::int64_t message_id,
                      const EncodedMessage& encoded);
  // Queues a close frame; the connection ends once it is written.
  void close(std::uint16_t code, const std::string& reason);
  bool closing() const { return close_queued_.load(); }

  // Resume: begin holds live messages of the conversation back; finish sends the replay
  // (skipping what was delivered live already), then what was held back, then `resumed`.
  void beginResume(ConversationId conversation);
  void finishResume(ConversationId conversation,
                    const std::vector<std::pair<std::int64_t, std::string>>& replay, bool has_more);
  void abortResume(ConversationId conversation);

  // --- reactor thread ---------------------------------------------------------
  void attach(Reactor* reactor) { reactor_ = reactor; }
  // permessage-deflate was agreed in the handshake; called before the reactor has it.
  void enableDeflate() {
    deflate_ = true;
    decoder_.acceptCompressed();
  }
  // Bytes that arrived with the upgrade request, before the socket was ours.
  void prefeed(const std::string& bytes) { decoder_.feed(bytes.data(), bytes.size()); }
  void sendPing() { enqueue(encodeFrame(Opcode::Ping, "")); }
  // Reads what arrived; returns complete text messages in order. Control frames and protocol
  // errors are handled here. Returns false once the connection should be dropped.
  bool readAvailable(std::vector<std::string>& texts);
  // Writes queued bytes. Returns false once the connection should be dropped.
  bool flush();
  bool wantsWrite() const { return wants_write_; }
  bool finished() const { return finished_; }
  // Rate limit of inbound messages (token bucket).
  bool admitMessage(SteadyClock::time_point now);
  SteadyClock::time_point lastHeard() const { return last_heard_; }
  SteadyClock::time_point lastPinged() const { return last_pinged_; }
  void notePinged(SteadyClock::time_point now) { last_pinged_ = now; }
  SteadyClock::time_point closeDeadline() const { return close_deadline_; }
  // Since when part of a message waits for the rest; the epoch when none does.
  SteadyClock::time_point messageStartedAt() const { return message_started_at_; }

  // Typing state kept per conversation, reactor thread only.
  struct Typing {
    bool active = false;
    SteadyClock::time_point expires_at{};
    SteadyClock::time_point last_relayed{};
  };
  std::map<std::int64_t, Typing>& typing() { return typing_; }

 private:
  void enqueue(std::string bytes);
  void enqueueLocked(std::string bytes, bool& schedule);
  void queueCloseLocked(std::uint16_t code, const std::string& reason, bool& schedule);
  // A message delivered live: remembered for resume, then queued.
  void enqueueLiveLocked(ConversationId conversation, std::int64_t message_id, std::string frame,
                         bool& schedule);
  void requestFlushIf(bool schedule);

  const std::uint64_t id_;
  Poco::Net::StreamSocket socket_;
  std::unique_ptr<Transport> transport_;  // once the socket is bound
  const Identity identity_;
  const WsSettings& settings_;
  Reactor* reactor_ = nullptr;
  // Set by the handshake while events may already be delivered to the connection.
  std::atomic<bool> deflate_{false};

  // Reactor thread only.
  FrameDecoder decoder_;
  bool wants_write_ = false;
  bool finished_ = false;
  bool peer_closed_ = false;
  SteadyClock::time_point last_heard_;
  SteadyClock::time_point last_pinged_;
  SteadyClock::time_point close_deadline_{};
  SteadyClock::time_point message_started_at_{};
  double tokens_;
  SteadyClock::time_point tokens_at_;
  std::map<std::int64_t, Typing> typing_;

  // Shared: guarded by mutex_.
  std::mutex mutex_;
  std::vector<std::string> outbox_;  // whole frames; the first may be partly written
  std::size_t front_written_ = 0;
  std::size_t queued_bytes_ = 0;
  bool flush_scheduled_ = false;
  bool shut_after_flush_ = false;
  std::atomic<bool> close_queued_{false};
  struct Resume {
    std::vector<std::pair<std::int64_t, std::string>> held;
  };
  std::map<std::int64_t, Resume> resuming_;
  std::map<std::int64_t, std::int64_t> first_live_id_;   // per conversation
  std::map<std::int64_t, std::int64_t> last_delivered_;  // per conversation
};

}  // namespace fieldlink::ws

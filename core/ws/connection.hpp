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

#include "domain/model.hpp"
#include "net/channel.hpp"
#include "net/transport.hpp"
#include "ws/frame_codec.hpp"
#include "ws/ws_settings.hpp"

namespace fieldlink::ws {

class Connection;
using SteadyClock = std::chrono::steady_clock;

// What the hub does with what a connection reads. Called on the reactor's thread.
class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  virtual void onText(const std::shared_ptr<Connection>& connection, std::string text) = 0;
  // About once a second per connection: timers (typing expiry).
  virtual void onTick(const std::shared_ptr<Connection>& connection,
                      SteadyClock::time_point now) = 0;
  // Once, when the connection is gone.
  virtual void onClosed(const std::shared_ptr<Connection>& connection) = 0;
};

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

// One WebSocket connection, served by a reactor as a channel. Reading, decoding and the
// per-connection policies run on the owning reactor's thread only; sending may be asked from
// any thread and is only queued here, the reactor writes. What a client can make it hold is
// bounded: the outbox by ws.max_queue_bytes (a reader that falls too far behind is closed
// with 1013 and is expected to reconnect and resume), the decoder by ws.max_frame_bytes plus
// one read turn, messages waiting for the rate limit by ws.max_backlog_bytes (reading stops
// while any wait, so TCP slows the sender down). A closing connection is gone within a few
// seconds whether or not its close frame could be written.
class Connection final : public net::Channel, public std::enable_shared_from_this<Connection> {
 public:
  // The transport comes later (bindTransport), so that a connection can be registered, and
  // receive events, before the handshake's answer is written. `handler` outlives it.
  Connection(std::uint64_t id, Identity identity, const WsSettings& settings,
             ConnectionHandler* handler);
  // On the reactor thread, before the reactor serves it: the socket, the handshake's answer
  // (written before anything queued meanwhile) and bytes that came behind the request.
  void bindTransport(std::unique_ptr<net::Transport> transport, std::string handshake_answer,
                     const std::string& early_bytes);

  std::uint64_t id() const { return id_; }
  const User& user() const { return identity_.user; }
  const Identity& identity() const { return identity_; }
  bool follows(ConversationId conversation) const {
    return !identity_.scope || *identity_.scope == conversation;
  }

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
  // Work for one of its frames that will answer on it (an ack): a close asked with
  // closeWhenSettled waits for it, so that no accepted message loses its ack.
  void beginWork();
  void endWork();
  void closeWhenSettled(std::uint16_t code, const std::string& reason);

  // Resume: begin holds live messages of the conversation back; finish sends the replay
  // (skipping what was delivered live already), then what was held back, then `resumed`.
  // A replay larger than resumePageBytes() is cut into pages: `resumed` says has_more with
  // the last id replayed, and until the client resumes after it, live messages of the
  // conversation are left to that next page (the store has them) rather than held.
  void beginResume(ConversationId conversation);
  void finishResume(ConversationId conversation,
                    const std::vector<std::pair<std::int64_t, std::string>>& replay, bool has_more);
  void abortResume(ConversationId conversation);
  std::size_t resumePageBytes() const { return settings_.max_queue_bytes / 2; }

  // --- reactor thread ---------------------------------------------------------
  // permessage-deflate was agreed in the handshake; called before the reactor has it.
  void enableDeflate() {
    deflate_ = true;
    decoder_.acceptCompressed();
  }

  int fd() const override { return fd_; }  // kept after the socket is closed
  bool serve(bool readable, bool writable) override;
  bool tick(SteadyClock::time_point now) override;
  bool wantsRead() const override;
  bool wantsWrite() const override { return wants_write_; }
  void dropped() override;
  void shutdown() override;

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
  // Reads what arrived and queues complete text messages. Control frames and protocol errors
  // are handled here. Returns false once the connection should be dropped.
  bool readAvailable();
  bool handleFrame(Frame& frame);
  // Hands waiting messages to the hub as the rate limit allows.
  void dispatchWaiting(SteadyClock::time_point now);
  void dropWaiting();
  // Writes queued bytes. Returns false once the connection should be dropped.
  bool flush();
  // Rate limit of inbound messages (token bucket).
  bool admitMessage(SteadyClock::time_point now);

  const std::uint64_t id_;
  std::unique_ptr<net::Transport> transport_;  // once bound
  int fd_ = -1;
  const Identity identity_;
  const WsSettings& settings_;
  ConnectionHandler* handler_;
  // Set by the handshake while events may already be delivered to the connection.
  std::atomic<bool> deflate_{false};

  // Reactor thread only.
  FrameDecoder decoder_;
  // Read, held back by the rate limit, from waiting_front_ on. A vector: an empty deque would
  // cost every idle connection half a KiB.
  std::vector<std::string> waiting_;
  std::size_t waiting_front_ = 0;
  std::size_t waiting_bytes_ = 0;
  bool wants_write_ = false;
  bool finished_ = false;
  bool peer_closed_ = false;
  bool close_seen_ = false;                   // our close is queued: its deadline runs
  SteadyClock::time_point wake_asked_for_{};  // the rate limit's pending wake-up
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
  int work_in_flight_ = 0;
  std::optional<std::pair<std::uint16_t, std::string>> close_when_settled_;
  struct Resume {
    std::vector<std::pair<std::int64_t, std::string>> held;
    bool awaiting_next_page = false;  // a page went out with has_more
  };
  std::map<std::int64_t, Resume> resuming_;
  std::map<std::int64_t, std::int64_t> first_live_id_;   // per conversation
  std::map<std::int64_t, std::int64_t> last_delivered_;  // per conversation
};

}  // namespace fieldlink::ws

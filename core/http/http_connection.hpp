#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <Poco/Net/SocketAddress.h>

#include "http/http_timeouts.hpp"
#include "http/request_dispatcher.hpp"
#include "http/request_reader.hpp"
#include "metrics/instruments.hpp"
#include "net/channel.hpp"
#include "net/transport.hpp"
#include "util/work_queue.hpp"

namespace fieldlink {

using SteadyClock = std::chrono::steady_clock;

// What every HTTP connection shares: limits, the dispatcher and the threads that answer.
struct HttpContext {
  RequestLimits limits;
  HttpTimeouts timeouts;
  const RequestDispatcher* dispatcher = nullptr;
  WorkQueue* handlers = nullptr;
  // Where uploads are answered, checking their files (decoding included) on threads of their
  // own: a burst of them never takes the threads every other request needs. Null: handlers.
  WorkQueue* uploads = nullptr;
  metrics::Counter* deadline_closes = nullptr;
  Poco::Net::SocketAddress server_address;
  bool secure = false;
};

// One HTTP/1.1 connection on a reactor: reads a request without blocking (phases with their
// own deadlines and size limits), hands the complete request to a handler thread, and writes
// the answer as the client reads it; keep-alive and pipelining without holding a thread. An
// upgrade hands the socket to the WebSocket connection in its place.
class HttpConnection final : public net::Channel,
                             public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(std::uint64_t id, std::unique_ptr<net::Transport> transport,
                 Poco::Net::SocketAddress peer, const HttpContext& context);

  int fd() const override { return fd_; }
  bool serve(bool readable, bool writable) override;
  bool tick(SteadyClock::time_point now) override;
  bool wantsRead() const override;
  bool wantsWrite() const override { return wants_write_; }
  void dropped() override;
  void shutdown() override {}

 private:
  enum class Phase { Reading, Handling, Writing, Lingering };

  bool readAvailable();
  // Moves buffered bytes through the reader; dispatches a complete request.
  void advance();
  void dispatch();
  void deliver(Answer answer);
  bool flush();
  bool refillFromFile();
  void refuse(int status, const std::string& code, const std::string& detail);
  void finishAnswer();
  void beginRequestClock(SteadyClock::time_point now);

  const std::uint64_t id_;
  // Null once dropped, or handed to the WebSocket the connection became.
  std::unique_ptr<net::Transport> transport_;
  const int fd_;
  const Poco::Net::SocketAddress peer_;
  const HttpContext& context_;
  RequestReader reader_;

  Phase phase_ = Phase::Reading;
  std::string input_;   // read, not yet taken by the reader (a partial header, a next request)
  std::string output_;  // to write
  std::size_t output_written_ = 0;
  int file_fd_ = -1;
  std::int64_t file_left_ = 0;
  std::int64_t file_offset_ = 0;
  bool keep_alive_ = true;
  bool wants_write_ = false;
  bool continue_sent_ = false;

  SteadyClock::time_point idle_since_;
  SteadyClock::time_point request_started_{};  // epoch: no request byte yet
  SteadyClock::time_point window_started_{};
  std::uint64_t window_start_bytes_ = 0;
  SteadyClock::time_point last_write_progress_{};
  SteadyClock::time_point linger_until_{};
};

}  // namespace fieldlink

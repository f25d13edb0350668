#include "http/http_connection.hpp"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <Poco/Logger.h>

#include "net/reactor.hpp"
#include "ws/connection.hpp"

namespace fieldlink {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMaxReadPerTurn = 256 * 1024;  // then let other connections have a go
constexpr std::size_t kFileChunk = 64 * 1024;
// After the last answer on a connection that closes: how long what the client still sends is
// read and dropped, so that the answer is not lost to a reset.
constexpr auto kLinger = std::chrono::seconds(2);
constexpr const char* kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

Poco::Logger& log() { return Poco::Logger::get("fieldlink.http"); }

}  // namespace

HttpConnection::HttpConnection(std::uint64_t id, std::unique_ptr<net::Transport> transport,
                               Poco::Net::SocketAddress peer, const HttpContext& context)
    : id_(id),
      transport_(std::move(transport)),
      fd_(transport_->fd()),
      peer_(peer),
      context_(context),
      reader_(context.limits),
      idle_since_(SteadyClock::now()),
      last_write_progress_(idle_since_) {}

bool HttpConnection::wantsRead() const {
  return phase_ == Phase::Reading || phase_ == Phase::Lingering;
}

bool HttpConnection::serve(bool readable, bool writable) {
  if ((writable || !output_.empty()) && !flush()) return false;
  if (phase_ == Phase::Lingering) {
    char sink[kReadChunk];
    for (std::size_t total = 0; total < kMaxReadPerTurn; total += sizeof sink) {
      const auto result = transport_->read(sink, sizeof sink);
      if (result.status == net::Transport::Status::Closed) return false;
      if (result.status == net::Transport::Status::WouldBlock) break;
    }
    return true;
  }
  if (phase_ == Phase::Reading && readable && !readAvailable()) return false;
  return !output_.empty() ? flush() : true;
}

bool HttpConnection::readAvailable() {
  char buffer[kReadChunk];
  std::size_t total = 0;
  while (phase_ == Phase::Reading && (total < kMaxReadPerTurn || transport_->hasBufferedInput())) {
    const auto result = transport_->read(buffer, sizeof buffer);
    if (result.status == net::Transport::Status::WouldBlock) break;
    // Between requests this is the client's goodbye; mid-request nobody is left to answer.
    if (result.status == net::Transport::Status::Closed) return false;
    total += result.bytes;
    if (request_started_ == SteadyClock::time_point{}) beginRequestClock(SteadyClock::now());
    input_.append(buffer, result.bytes);
    advance();
  }
  return true;
}

void HttpConnection::beginRequestClock(SteadyClock::time_point now) {
  request_started_ = now;
  window_started_ = {};
  window_start_bytes_ = 0;
}

void HttpConnection::advance() {
  while (phase_ == Phase::Reading && !input_.empty()) {
    const std::size_t used = reader_.feed(input_.data(), input_.size());
    input_.erase(0, used);
    switch (reader_.state()) {
      case RequestReader::State::Failed:
        refuse(reader_.failureStatus(),
               reader_.failureStatus() == 413   ? "too_large"
               : reader_.failureStatus() == 431 ? "header_too_large"
               : reader_.failureStatus() == 507 ? "insufficient_storage"
                                                : "bad_request",
               reader_.failureReason());
        return;
      case RequestReader::State::Done:
        dispatch();
        return;
      case RequestReader::State::Body:
        if (window_started_ == SteadyClock::time_point{}) window_started_ = SteadyClock::now();
        if (reader_.expectsContinue() && !continue_sent_) {
          continue_sent_ = true;
          output_ += kContinue;
        }
        break;
      case RequestReader::State::Headers:
        break;
    }
    if (used == 0) break;  // an incomplete header: wait for more
  }
}

void HttpConnection::dispatch() {
  phase_ = Phase::Handling;
  auto request = std::make_shared<ReceivedRequest>(reader_.take());
  continue_sent_ = false;
  request_started_ = {};
  auto self = shared_from_this();
  WorkQueue* answering = request->upload && context_.uploads ? context_.uploads : context_.handlers;
  answering->post(id_, [self, request] {
    Answer answer;
    try {
      answer = self->context_.dispatcher->answer(
          std::move(*request), self->peer_, self->context_.server_address, self->context_.secure);
    } catch (const std::exception& e) {
      log().error("request failed: %s", std::string(e.what()));
      answer = Answer{};
      answer.head = refusalAnswer(500, "internal_error", "Internal server error.");
      answer.keep_alive = false;
    }
    // Null only once the server stops, after the handler threads (see FrontDoor).
    if (net::Reactor* reactor = self->reactor())
      reactor->post(
          [self, answer = std::move(answer)]() mutable { self->deliver(std::move(answer)); });
  });
}

void HttpConnection::deliver(Answer answer) {
  if (!transport_) {  // dropped meanwhile: the answer is for no one
    if (answer.abandon) answer.abandon();
    return;
  }
  if (answer.upgrade) {
    // The WebSocket takes the socket, the 101 as the first bytes it writes, and what the
    // client sent behind the upgrade request.
    auto websocket = answer.upgrade;
    websocket->bindTransport(std::move(transport_), std::move(answer.head), input_);
    input_.clear();
    reactor()->replace(*this, websocket);
    return;
  }
  output_ = std::move(answer.head);
  output_ += answer.body;
  output_written_ = 0;
  keep_alive_ = answer.keep_alive;
  if (answer.file) {
    file_fd_ = ::open(answer.file->path.c_str(), O_RDONLY | O_CLOEXEC);
    file_offset_ = answer.file->offset;
    file_left_ = answer.file->length;
    if (file_fd_ < 0) {
      // Gone between the handler and now (a purge): nothing of the head went out yet.
      keep_alive_ = false;
      file_left_ = 0;
      output_ = refusalAnswer(500, "internal_error", "Internal server error.");
    }
  }
  phase_ = Phase::Writing;
  last_write_progress_ = SteadyClock::now();
  reactor()->scheduleServe(shared_from_this());
}

bool HttpConnection::refillFromFile() {
  const std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(file_left_, kFileChunk));
  output_.resize(want);
  ssize_t n;
  do {
    n = ::pread(file_fd_, output_.data(), want, file_offset_);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return false;  // the file shrank under us: the client sees a short body
  output_.resize(static_cast<std::size_t>(n));
  file_offset_ += n;
  file_left_ -= n;
  output_written_ = 0;
  return true;
}

bool HttpConnection::flush() {
  if (!transport_) return false;
  for (;;) {
    if (output_written_ == output_.size()) {
      output_.clear();
      output_written_ = 0;
      if (file_left_ > 0 && file_fd_ >= 0) {
        if (!refillFromFile()) return false;
        continue;
      }
      break;
    }
    iovec piece{output_.data() + output_written_, output_.size() - output_written_};
    const auto result = transport_->write(&piece, 1);
    if (result.status == net::Transport::Status::WouldBlock) {
      wants_write_ = true;
      return true;
    }
    if (result.status == net::Transport::Status::Closed) return false;
    output_written_ += result.bytes;
    last_write_progress_ = SteadyClock::now();
  }
  wants_write_ = false;
  // A burst (a large answer) should not stay allocated on an idle connection.
  if (output_.capacity() > kFileChunk) std::string().swap(output_);
  if (phase_ == Phase::Writing) finishAnswer();
  return true;
}

void HttpConnection::finishAnswer() {
  if (file_fd_ >= 0) ::close(file_fd_);
  file_fd_ = -1;
  file_left_ = 0;
  if (!keep_alive_) {
    phase_ = Phase::Lingering;
    input_.clear();
    transport_->shutdownWrite();
    linger_until_ = SteadyClock::now() + kLinger;
    return;
  }
  phase_ = Phase::Reading;
  idle_since_ = SteadyClock::now();
  if (input_.capacity() > kReadChunk && input_.empty()) std::string().swap(input_);
  // A pipelined request may be waiting already.
  if (!input_.empty()) {
    beginRequestClock(idle_since_);
    advance();
    if (!output_.empty()) flush();
  }
}

void HttpConnection::refuse(int status, const std::string& code, const std::string& detail) {
  log().information("%s: %d %s", peer_.toString(), status, detail);
  if (status == 408 && context_.deadline_closes) context_.deadline_closes->add();
  std::string text = detail;
  std::replace(text.begin(), text.end(), '"', '\'');
  output_ += refusalAnswer(status, code, text);
  keep_alive_ = false;
  phase_ = Phase::Writing;
  input_.clear();
}

bool HttpConnection::tick(SteadyClock::time_point now) {
  const auto& limits = context_.timeouts;
  switch (phase_) {
    case Phase::Reading: {
      if (request_started_ == SteadyClock::time_point{})  // waiting for the next request
        return now - idle_since_ <= limits.idle;
      if (reader_.state() == RequestReader::State::Headers &&
          now - request_started_ > limits.headers) {
        refuse(408, "request_timeout", "request headers did not arrive in time");
        return flush();
      }
      if (limits.request.count() > 0 && now - request_started_ > limits.request) {
        refuse(408, "request_timeout", "the whole request did not arrive in time");
        return flush();
      }
      if (reader_.state() == RequestReader::State::Body &&
          window_started_ != SteadyClock::time_point{} &&
          now - window_started_ >= limits.body_window) {
        const std::uint64_t arrived = reader_.bodyBytes() - window_start_bytes_;
        const auto seconds =
            std::chrono::duration_cast<std::chrono::seconds>(now - window_started_);
        if (arrived < limits.min_body_rate * static_cast<std::uint64_t>(seconds.count())) {
          refuse(408, "request_timeout", "the request body arrived too slowly");
          return flush();
        }
        window_started_ = now;
        window_start_bytes_ = reader_.bodyBytes();
      }
      return true;
    }
    case Phase::Handling:
      return true;  // the server's own work; the handler has no say over the client
    case Phase::Writing:
      // A client that stops reading its answer is let go; what it holds is one file chunk.
      return now - last_write_progress_ <= limits.idle;
    case Phase::Lingering:
      return now < linger_until_;
  }
  return false;
}

void HttpConnection::dropped() {
  if (file_fd_ >= 0) ::close(file_fd_);
  file_fd_ = -1;
  transport_.reset();
}

}  // namespace fieldlink

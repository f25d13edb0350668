#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/request_spool.hpp"

namespace fieldlink {

// What a client may make the server hold while it sends one request.
struct RequestLimits {
  std::size_t max_header_bytes = 16 * 1024;    // request line and fields (431 beyond)
  std::size_t max_headers = 100;               // fields (431 beyond)
  std::uint64_t max_body_bytes = 1 << 20;      // any body but an upload (413 beyond)
  std::uint64_t max_upload_bytes = 100 << 20;  // uploads (413 beyond)
  std::vector<std::string> upload_paths;       // POST paths that take uploads
  std::size_t spool_memory_bytes = 64 * 1024;  // then the body goes to a file in spool_dir
  std::string spool_dir = "/tmp";
};

// One request as read off the wire: the body complete, de-chunked, and spooled.
struct ReceivedRequest {
  std::string method;
  std::string target;
  int version = 11;  // 10 or 11
  std::vector<std::pair<std::string, std::string>> fields;
  bool keep_alive = true;
  bool upload = false;                 // a POST to one of the upload paths
  std::shared_ptr<RequestSpool> body;  // null: no body
};

// Reads requests from a byte stream, one at a time, with Boost.Beast's parser and the limits
// above. Socket-free, so that the connection's reading can be fuzzed on its own.
class RequestReader {
 public:
  enum class State {
    Headers,  // waiting for the request line and fields
    Body,     // fields complete, body arriving
    Done,     // take() the request
    Failed,   // answer failureStatus() and close
  };

  explicit RequestReader(const RequestLimits& limits);
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  // Takes what it can of `data`; returns how many bytes it used. The rest belongs to a later
  // call (an incomplete header is re-presented with more bytes) or to the next request.
  std::size_t feed(const char* data, std::size_t size);
  State state() const { return state_; }
  bool started() const { return started_; }
  // Once the fields are complete: whether the client waits for "100 Continue" before the body.
  bool expectsContinue() const { return expects_continue_; }
  std::uint64_t bodyBytes() const;
  int failureStatus() const { return failure_status_; }
  const std::string& failureReason() const { return failure_reason_; }

  // The complete request; the reader is then ready for the next one.
  ReceivedRequest take();

 private:
  struct Parser;
  void startParser();
  void fail(int status, std::string reason);
  void headersComplete();

  const RequestLimits& limits_;
  std::unique_ptr<Parser> parser_;
  State state_ = State::Headers;
  bool started_ = false;
  bool expects_continue_ = false;
  int failure_status_ = 0;
  std::string failure_reason_;
};

}  // namespace fieldlink

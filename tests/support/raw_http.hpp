#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <Poco/Net/StreamSocket.h>

namespace fieldlink::testing {

// A plain TCP connection to the server for tests that send what an HTTP library would not
// (pipelined requests, stalled headers, huge declared bodies) or read the answers byte-exact.
class RawHttp {
 public:
  // `receive_buffer` > 0 shrinks the socket's receive buffer before connecting, for clients
  // that read slowly or never.
  explicit RawHttp(int port, int receive_buffer = 0);

  void send(const std::string& bytes);
  // Sends as much of `bytes` as the server takes within `timeout`; returns how much went, or
  // -1 once the server closed or reset the connection.
  std::int64_t sendUpTo(const std::string& bytes, std::chrono::milliseconds timeout);
  // One whole answer: the head, then a body as long as its Content-Length (none for HEAD or a
  // 1xx). "" when the connection closed first.
  std::string readAnswer(bool head_only = false,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Whether the server closed (or reset) the connection within `timeout`, reading and
  // dropping whatever comes before.
  bool closedWithin(std::chrono::milliseconds timeout);
  Poco::Net::StreamSocket& socket() { return socket_; }

 private:
  Poco::Net::StreamSocket socket_;
  std::string buffer_;
};

// The status line of an answer ("HTTP/1.1 200 OK").
std::string statusLine(const std::string& answer);
// The body of an answer.
std::string bodyOf(const std::string& answer);
// A WebSocket upgrade request for `target`.
std::string upgradeRequest(const std::string& target);

}  // namespace fieldlink::testing

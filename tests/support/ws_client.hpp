#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/StreamSocket.h>

#include "ws/frame_codec.hpp"

namespace fieldlink::testing {

using namespace std::chrono_literals;

// A WebSocket client for tests, over a plain socket and the project's own frame codec, so
// a test can also send what a well-behaved client never would.
class WsClient {
 public:
  // Opens `target` (path and query) and does the handshake, over TLS when given a context.
  // status() tells the HTTP answer; only 101 leaves a usable connection.
  WsClient(int port, const std::string& target,
           const std::map<std::string, std::string>& headers = {},
           Poco::Net::Context::Ptr tls = nullptr);

  int status() const { return status_; }
  const std::map<std::string, std::string>& responseHeaders() const { return response_headers_; }

  void sendText(const std::string& text);
  // permessage-deflate: whether the server agreed (offer it with the header
  // Sec-WebSocket-Extensions), a text message sent compressed, and how many compressed
  // frames arrived (next() inflates them).
  bool deflateAgreed() const { return deflate_; }
  void sendCompressedText(const std::string& text);
  int compressedFramesReceived() const { return compressed_received_; }
  void sendJson(const std::string& json) { sendText(json); }
  void sendRaw(const std::string& bytes);

  // The next text frame as JSON, answering pings on the way. Null on close or timeout.
  Poco::JSON::Object::Ptr next(std::chrono::milliseconds timeout = 5s);
  // The next frame of this type, skipping others. Null on close or timeout.
  Poco::JSON::Object::Ptr nextOfType(const std::string& type,
                                     std::chrono::milliseconds timeout = 5s);
  // Every frame of this type arriving within `window` (stops early after `limit`).
  std::vector<Poco::JSON::Object::Ptr> collect(const std::string& type, std::size_t limit,
                                               std::chrono::milliseconds window = 5s);
  // Waits for the server's close frame and returns its code (0 if none came).
  int awaitClose(std::chrono::milliseconds timeout = 5s);
  int closeCode() const { return close_code_; }
  bool closed() const { return closed_; }

 private:
  std::optional<ws::Frame> nextFrame(std::chrono::milliseconds timeout);

  Poco::Net::StreamSocket socket_;
  ws::FrameDecoder decoder_;
  int status_ = 0;
  std::map<std::string, std::string> response_headers_;
  int close_code_ = 0;
  bool closed_ = false;
  bool deflate_ = false;
  int compressed_received_ = 0;
};

// "/ws/chat/{conversation}/?token={token}"
std::string chatPath(std::int64_t conversation, const std::string& token);
// A `message` frame of type text with this client_id.
std::string messageFrame(std::int64_t conversation, const std::string& text,
                         const std::string& client_id);

}  // namespace fieldlink::testing

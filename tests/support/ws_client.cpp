#include "support/ws_client.hpp"

#include <random>
#include <stdexcept>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/String.h>

#include "support/http_client.hpp"
#include "ws/permessage_deflate.hpp"

namespace fieldlink::testing {
namespace {

std::uint32_t randomMask() {
  static thread_local std::mt19937 generator{std::random_device{}()};
  return static_cast<std::uint32_t>(generator());
}

Poco::Net::StreamSocket connectTo(int port, const Poco::Net::Context::Ptr& tls) {
  const Poco::Net::SocketAddress address("127.0.0.1", static_cast<Poco::UInt16>(port));
  if (!tls) return Poco::Net::StreamSocket(address);
  return Poco::Net::SecureStreamSocket(address, "localhost", tls);
}

}  // namespace

WsClient::WsClient(int port, const std::string& target,
                   const std::map<std::string, std::string>& headers, Poco::Net::Context::Ptr tls)
    : socket_(connectTo(port, tls)), decoder_(64 << 20, ws::FrameDecoder::Peer::Server) {
  std::map<std::string, std::string> all = {{"Host", "127.0.0.1"},
                                            {"Upgrade", "websocket"},
                                            {"Connection", "Upgrade"},
                                            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                            {"Sec-WebSocket-Version", "13"}};
  for (const auto& [name, value] : headers) all[name] = value;  // a test may replace any
  std::string request = "GET " + target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : all) request += name + ": " + value + "\r\n";
  request += "\r\n";
  sendRaw(request);
  socket_.setReceiveTimeout(Poco::Timespan(10, 0));
  std::string head;
  char c;
  while (head.find("\r\n\r\n") == std::string::npos) {
    if (socket_.receiveBytes(&c, 1) <= 0) throw std::runtime_error("handshake: connection closed");
    head += c;
  }
  status_ = std::stoi(head.substr(9, 3));
  std::size_t line_start = head.find("\r\n") + 2;
  while (line_start < head.size() - 2) {
    const std::size_t end = head.find("\r\n", line_start);
    const std::string line = head.substr(line_start, end - line_start);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos)
      response_headers_[Poco::toLower(line.substr(0, colon))] = Poco::trim(line.substr(colon + 1));
    line_start = end + 2;
  }
  // The accept key for the fixed request key, from RFC 6455 section 1.3.
  if (status_ == 101 && response_headers_["sec-websocket-accept"] != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    throw std::runtime_error("handshake: wrong Sec-WebSocket-Accept");
  const auto extensions = response_headers_.find("sec-websocket-extensions");
  deflate_ = extensions != response_headers_.end() &&
             extensions->second.rfind("permessage-deflate", 0) == 0;
  if (deflate_) decoder_.acceptCompressed();
}

void WsClient::sendRaw(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const int n = socket_.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

void WsClient::sendCompressedText(const std::string& text) {
  sendRaw(ws::encodeMaskedFrame(ws::Opcode::Text, ws::deflateMessage(text), randomMask(), true,
                                /*compressed=*/true));
}

void WsClient::sendText(const std::string& text) {
  sendRaw(ws::encodeMaskedFrame(ws::Opcode::Text, text, randomMask()));
}

std::optional<ws::Frame> WsClient::nextFrame(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto frame = decoder_.next()) return frame;
    if (closed_) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    socket_.setReceiveTimeout(Poco::Timespan(left.count()));
    char buffer[65536];
    int n = 0;
    try {
      n = socket_.receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::TimeoutException&) {
      return std::nullopt;
    } catch (const Poco::Exception&) {
      closed_ = true;
      return std::nullopt;
    }
    if (n <= 0) {
      closed_ = true;
      continue;
    }
    decoder_.feed(buffer, static_cast<std::size_t>(n));
  }
}

Poco::JSON::Object::Ptr WsClient::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const auto frame = nextFrame(std::max(left, 0ms));
    if (!frame) return nullptr;
    switch (frame->opcode) {
      case ws::Opcode::Text: {
        std::string text = std::move(frame->payload);
        if (frame->compressed) {
          ++compressed_received_;
          std::string inflated;
          if (ws::inflateMessage(text, 64 << 20, inflated) != ws::InflateStatus::Ok)
            throw std::runtime_error("a compressed frame that does not inflate");
          text = std::move(inflated);
        }
        return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
      }
      case ws::Opcode::Ping:
        sendRaw(ws::encodeMaskedFrame(ws::Opcode::Pong, frame->payload, randomMask()));
        break;
      case ws::Opcode::Close:
        close_code_ = frame->payload.size() >= 2
                          ? (static_cast<unsigned char>(frame->payload[0]) << 8) |
                                static_cast<unsigned char>(frame->payload[1])
                          : 1005;
        closed_ = true;
        return nullptr;
      default:
        break;
    }
  }
}

Poco::JSON::Object::Ptr WsClient::nextOfType(const std::string& type,
                                             std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return nullptr;
    auto frame = next(left);
    if (!frame) return nullptr;
    if (frame->optValue<std::string>("type", "") == type) return frame;
  }
}

std::vector<Poco::JSON::Object::Ptr> WsClient::collect(const std::string& type, std::size_t limit,
                                                       std::chrono::milliseconds window) {
  std::vector<Poco::JSON::Object::Ptr> out;
  const auto deadline = std::chrono::steady_clock::now() + window;
  while (out.size() < limit) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto frame = nextOfType(type, left);
    if (!frame) break;
    out.push_back(frame);
  }
  return out;
}

int WsClient::awaitClose(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!closed_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    next(left);
  }
  return close_code_;
}

std::string chatPath(std::int64_t conversation, const std::string& token) {
  return "/ws/chat/" + std::to_string(conversation) + "/?token=" + token;
}

std::string messageFrame(std::int64_t conversation, const std::string& text,
                         const std::string& client_id) {
  return "{\"type\":\"message\",\"conversation_id\":" + std::to_string(conversation) +
         ",\"message_type\":\"text\",\"content\":{\"text\":" + jsonString(text) +
         "},\"client_id\":" + jsonString(client_id) + "}";
}

}  // namespace fieldlink::testing

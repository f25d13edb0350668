#include "support/raw_http.hpp"

#include <Poco/Net/NetException.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

namespace fieldlink::testing {

RawHttp::RawHttp(int port, int receive_buffer) : socket_(Poco::Net::SocketAddress::IPv4) {
  if (receive_buffer > 0) socket_.setReceiveBufferSize(receive_buffer);
  socket_.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
}

void RawHttp::send(const std::string& bytes) {
  socket_.setSendTimeout(Poco::Timespan(10, 0));
  std::size_t sent = 0;
  while (sent < bytes.size())
    sent += static_cast<std::size_t>(
        socket_.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent)));
}

std::int64_t RawHttp::sendUpTo(const std::string& bytes, std::chrono::milliseconds timeout) {
  socket_.setSendTimeout(Poco::Timespan(timeout.count() * 1000));
  std::size_t sent = 0;
  try {
    while (sent < bytes.size()) {
      const int n = socket_.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
  } catch (const Poco::TimeoutException&) {
    // The server stopped taking bytes.
  } catch (const Poco::Exception&) {
    return -1;
  }
  return static_cast<std::int64_t>(sent);
}

std::string RawHttp::readAnswer(bool head_only, std::chrono::milliseconds timeout) {
  socket_.setReceiveTimeout(Poco::Timespan(timeout.count() * 1000));
  char chunk[16384];
  for (;;) {
    const auto end = buffer_.find("\r\n\r\n");
    if (end != std::string::npos) {
      const std::string head = buffer_.substr(0, end + 4);
      std::size_t length = 0;
      const std::string lower = Poco::toLower(head);
      const auto at = lower.find("\r\ncontent-length:");
      if (at != std::string::npos && !head_only && head.compare(9, 1, "1") != 0)
        length = static_cast<std::size_t>(Poco::NumberParser::parse64(
            Poco::trim(head.substr(at + 17, head.find('\r', at + 2) - at - 17))));
      if (buffer_.size() >= end + 4 + length) {
        std::string answer = buffer_.substr(0, end + 4 + length);
        buffer_.erase(0, end + 4 + length);
        return answer;
      }
    }
    int n = 0;
    try {
      n = socket_.receiveBytes(chunk, sizeof chunk);
    } catch (const Poco::Exception&) {
      return "";
    }
    if (n <= 0) return "";
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

bool RawHttp::closedWithin(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char chunk[65536];
  socket_.setReceiveTimeout(Poco::Timespan(0, 200000));
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (socket_.receiveBytes(chunk, sizeof chunk) <= 0) return true;
    } catch (const Poco::TimeoutException&) {
    } catch (const Poco::Exception&) {
      return true;  // reset
    }
  }
  return false;
}

std::string statusLine(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }

std::string bodyOf(const std::string& answer) {
  const auto end = answer.find("\r\n\r\n");
  return end == std::string::npos ? "" : answer.substr(end + 4);
}

std::string upgradeRequest(const std::string& target) {
  return "GET " + target +
         " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

}  // namespace fieldlink::testing

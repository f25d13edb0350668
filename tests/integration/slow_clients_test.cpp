// Clients that trickle a request to hold the server's resources (slow-loris), against a real
// fieldlinkd with short deadlines; and well-behaved clients that must not be caught by them.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>

#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

ServerProcess::Options shortDeadlines() {
  ServerProcess::Options options;
  options.env["FIELDLINK_HTTP_HEADER_TIMEOUT"] = "1";
  options.env["FIELDLINK_HTTP_REQUEST_TIMEOUT"] = "2";
  options.env["FIELDLINK_WS_MESSAGE_TIMEOUT"] = "1";
  return options;
}

// Sends `at_once`, then `trickled` one byte at a time, `gap` apart, until the server ends
// the connection. Returns whether it did before everything was sent.
bool serverClosesWhileTrickling(int port, const std::string& at_once, const std::string& trickled,
                                std::chrono::milliseconds gap) {
  Poco::Net::StreamSocket socket(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  socket.setReceiveTimeout(Poco::Timespan(0, 1000));
  if (!at_once.empty()) socket.sendBytes(at_once.data(), static_cast<int>(at_once.size()));
  for (char byte : trickled) {
    try {
      socket.sendBytes(&byte, 1);
      char answer[512];
      if (socket.receiveBytes(answer, sizeof answer) == 0) return true;
    } catch (const Poco::TimeoutException&) {
      // Nothing from the server yet: go on.
    } catch (const Poco::Net::NetException&) {
      return true;  // reset or broken pipe: closed
    }
    std::this_thread::sleep_for(gap);
  }
  return false;
}

TEST(SlowClients, HeadersTrickledOverTheDeadlineAreCut) {
  Scene scene(shortDeadlines());
  // 60 bytes at 100 ms each would take 6 s; headers are due within 1 s.
  std::string request = "GET /api/requests/ HTTP/1.1\r\nHost: x\r\nX-Padding: ";
  request += std::string(60 - request.size(), 'p');
  EXPECT_TRUE(serverClosesWhileTrickling(scene.server.port(), "", request, 100ms));
  EXPECT_EQ(metricValue(scene, "fieldlink_http_deadline_closes_total"), "1");
  EXPECT_NE(scene.server.log().find("request headers did not arrive in time"), std::string::npos);
  // The worker it held serves others again.
  EXPECT_EQ(scene.api.http().get("/api/requests/", scene.client).status, 200);
}

TEST(SlowClients, ABodyTrickledOverTheRequestDeadlineIsCut) {
  Scene scene(shortDeadlines());
  std::string request =
      "POST /api/token/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 200\r\n\r\n";
  // The headers go at once; the body then comes a byte every 100 ms (20 s for all of it),
  // while the whole request is due within 2 s.
  EXPECT_TRUE(
      serverClosesWhileTrickling(scene.server.port(), request, std::string(200, ' '), 100ms));
  EXPECT_EQ(metricValue(scene, "fieldlink_http_deadline_closes_total"), "1");
  EXPECT_NE(scene.server.log().find("the whole request did not arrive in time"), std::string::npos);
}

// With no whole-request deadline, a body must still average http.min_body_rate over each
// 10 s: one trickled at 10 bytes a second is answered 408 and closed after the first window.
TEST(SlowClients, ABodySlowerThanTheMinimumRateIsCut) {
  ServerProcess::Options options;
  options.env["FIELDLINK_HTTP_REQUEST_TIMEOUT"] = "0";
  options.env["FIELDLINK_HTTP_MIN_BODY_RATE"] = "200";
  Scene scene(options);
  const std::string request =
      "POST /api/token/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 5000\r\n\r\n";
  EXPECT_TRUE(
      serverClosesWhileTrickling(scene.server.port(), request, std::string(5000, ' '), 100ms));
  EXPECT_EQ(metricValue(scene, "fieldlink_http_deadline_closes_total"), "1");
  EXPECT_NE(scene.server.log().find("the request body arrived too slowly"), std::string::npos);
}

TEST(SlowClients, KeepAliveConnectionsMayPauseLongerThanTheHeaderDeadline) {
  Scene scene(shortDeadlines());
  Poco::Net::StreamSocket socket(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(scene.server.port())));
  socket.setReceiveTimeout(Poco::Timespan(5, 0));
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int round = 0; round < 2; ++round) {
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string answer;
    char buffer[1024];
    while (answer.find("\r\n\r\n") == std::string::npos ||
           answer.size() < answer.find("\r\n\r\n") + 4 + 2) {  // headers, then a short body
      const int n = socket.receiveBytes(buffer, sizeof buffer);
      ASSERT_GT(n, 0) << "closed in round " << round;
      answer.append(buffer, static_cast<std::size_t>(n));
    }
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
    // Longer than http.header_timeout, well within http.idle_timeout (30 s).
    if (round == 0) std::this_thread::sleep_for(1500ms);
  }
  EXPECT_EQ(metricValue(scene, "fieldlink_http_deadline_closes_total"), "0");
}

TEST(SlowClients, AWebSocketMessageTrickledOverItsDeadlineIsClosed1008) {
  Scene scene(shortDeadlines());
  WsClient slow(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  ASSERT_EQ(slow.status(), 101);
  const std::string frame = ws::encodeMaskedFrame(
      ws::Opcode::Text, messageFrame(scene.conversation_id, "one byte at a time", "slow-1"), 7);
  for (std::size_t i = 0; i < frame.size() && !slow.closed(); ++i) {
    try {
      slow.sendRaw(frame.substr(i, 1));
    } catch (const std::exception&) {
      break;  // the server is gone from this connection
    }
    if (slow.next(150ms)) ADD_FAILURE() << "a frame before the message was complete";
  }
  EXPECT_EQ(slow.awaitClose(), 1008);
  // Nothing half-received was stored.
  const auto history = scene.api.history(scene.client, scene.conversation_id);
  for (const auto& message : history)
    EXPECT_NE(message->optValue<std::string>("client_id", ""), "slow-1");
  // A whole message sent at once is not affected.
  WsClient quick(scene.server.port(), chatPath(scene.conversation_id, scene.client));
  quick.sendJson(messageFrame(scene.conversation_id, "all at once", "quick-1"));
  EXPECT_TRUE(quick.nextOfType("ack"));
}

}  // namespace
}  // namespace fieldlink::testing

namespace fieldlink::testing {
namespace {

// A raw keep-alive connection that has made one request and now sits idle, as a browser's do.
struct IdleKeepAlive {
  explicit IdleKeepAlive(int port)
      : socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port))) {
    socket.setReceiveTimeout(Poco::Timespan(20, 0));
    status = request();
  }
  // The status line of the answer to GET /healthz on this connection ("" if it was closed).
  std::string request() {
    const std::string text = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    std::string answer;
    try {
      socket.sendBytes(text.data(), static_cast<int>(text.size()));
      char buffer[1024];
      while (answer.find("\r\n\r\n") == std::string::npos ||
             answer.size() < answer.find("\r\n\r\n") + 4 + 15) {  // {"status":"ok"}
        const int n = socket.receiveBytes(buffer, sizeof buffer);
        if (n <= 0) return "";
        answer.append(buffer, static_cast<std::size_t>(n));
      }
    } catch (const Poco::Net::NetException&) {
      return "";
    }
    return answer.substr(0, answer.find("\r\n"));
  }
  Poco::Net::StreamSocket socket;
  std::string status;
};

// Idle keep-alive connections hold no thread: with two handler threads, sixty browsers'
// worth of idle connections are all served again when they come back, and a newcomer at
// once, nobody's connection closed to make room.
TEST(SlowClients, IdleKeepAliveConnectionsHoldNoThread) {
  ServerProcess::Options options;
  options.env["FIELDLINK_HTTP_THREADS"] = "2";
  options.env["FIELDLINK_HTTP_IDLE_TIMEOUT"] = "120";
  Scene scene(options);
  std::vector<std::unique_ptr<IdleKeepAlive>> idle;
  for (int i = 0; i < 60; ++i) {
    idle.push_back(std::make_unique<IdleKeepAlive>(scene.server.port()));
    ASSERT_EQ(idle.back()->status, "HTTP/1.1 200 OK") << i;
  }
  IdleKeepAlive newcomer(scene.server.port());
  EXPECT_EQ(newcomer.status, "HTTP/1.1 200 OK");
  EXPECT_GE(std::stoi(metricValue(scene, "fieldlink_connections_open")), 61);
  for (auto& connection : idle) EXPECT_EQ(connection->request(), "HTTP/1.1 200 OK");
  EXPECT_EQ(metricValue(scene, "fieldlink_http_deadline_closes_total"), "0");
}

}  // namespace
}  // namespace fieldlink::testing

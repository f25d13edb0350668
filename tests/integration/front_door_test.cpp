// The HTTP/1.1 front door as clients use it, byte-exact against a real fieldlinkd: pipelining,
// 100-continue, chunked bodies, HEAD, Connection: close, reason phrases, and the limits on
// what one request may make the server hold (400, 413, 431).
#include <string>

#include <gtest/gtest.h>

#include <Poco/String.h>

#include "support/raw_http.hpp"
#include "support/scene.hpp"

namespace fieldlink::testing {

using namespace std::chrono_literals;
namespace {

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

std::string tokenRequest(const std::string& extra_fields, const std::string& body) {
  return "POST /api/token/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
         extra_fields + "\r\n" + body;
}

const std::string kAliceLogin = R"({"username":"alice","password":"password-123"})";

TEST(FrontDoor, PipelinedRequestsAreAnsweredInOrderOnOneConnection) {
  Scene scene;
  RawHttp c(scene.server.port());
  c.send(
      kHealth + "GET /api/no-such-thing/ HTTP/1.1\r\nHost: x\r\n\r\n" +
      tokenRequest("Content-Length: " + std::to_string(kAliceLogin.size()) + "\r\n", kAliceLogin) +
      kHealth);
  EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 200 OK");
  EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 404 Not Found");
  const std::string login = c.readAnswer();
  EXPECT_EQ(statusLine(login), "HTTP/1.1 200 OK");
  EXPECT_NE(bodyOf(login).find("\"access\""), std::string::npos) << login;
  EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 200 OK");
}

TEST(FrontDoor, BodiesArriveWithContinueChunkedOrInPieces) {
  Scene scene;
  {  // Expect: 100-continue: the interim answer first, then the body, then the answer.
    RawHttp c(scene.server.port());
    c.send(tokenRequest(
        "Content-Length: " + std::to_string(kAliceLogin.size()) + "\r\nExpect: 100-continue\r\n",
        ""));
    EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 100 Continue");
    c.send(kAliceLogin);
    const std::string answer = c.readAnswer();
    EXPECT_EQ(statusLine(answer), "HTTP/1.1 200 OK");
    EXPECT_NE(bodyOf(answer).find("\"access\""), std::string::npos);
  }
  {  // A body too large for its route is refused instead of continued.
    RawHttp c(scene.server.port());
    c.send(tokenRequest("Content-Length: 5000000\r\nExpect: 100-continue\r\n", ""));
    const std::string answer = c.readAnswer();
    EXPECT_EQ(statusLine(answer), "HTTP/1.1 413 Request Entity Too Large");
    EXPECT_NE(bodyOf(answer).find("too_large"), std::string::npos);
  }
  {  // Chunked, in two chunks with an extension and a trailer.
    RawHttp c(scene.server.port());
    const std::string first = kAliceLogin.substr(0, 10), rest = kAliceLogin.substr(10);
    char sizes[64];
    std::snprintf(sizes, sizeof sizes, "%zx", first.size());
    std::string chunked = std::string(sizes) + ";note=1\r\n" + first + "\r\n";
    std::snprintf(sizes, sizeof sizes, "%zx", rest.size());
    chunked += std::string(sizes) + "\r\n" + rest + "\r\n0\r\nX-Trailer: t\r\n\r\n";
    c.send(tokenRequest("Transfer-Encoding: chunked\r\n", chunked));
    const std::string answer = c.readAnswer();
    EXPECT_EQ(statusLine(answer), "HTTP/1.1 200 OK") << answer;
    EXPECT_NE(bodyOf(answer).find("\"access\""), std::string::npos);
  }
  {  // The headers, then the body a few bytes at a time.
    RawHttp c(scene.server.port());
    c.send(tokenRequest("Content-Length: " + std::to_string(kAliceLogin.size()) + "\r\n", ""));
    for (std::size_t i = 0; i < kAliceLogin.size(); i += 7) c.send(kAliceLogin.substr(i, 7));
    EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 200 OK");
  }
}

TEST(FrontDoor, HeadConnectionCloseHttp10AndReasonPhrases) {
  Scene scene;
  {  // HEAD: the GET's fields, no body (the next answer on the connection starts right after).
    RawHttp c(scene.server.port());
    c.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + kHealth);
    const std::string head = c.readAnswer(/*head_only=*/true);
    EXPECT_EQ(statusLine(head), "HTTP/1.1 200 OK");
    EXPECT_NE(head.find("Content-Length: "), std::string::npos);
    EXPECT_EQ(head.find("Content-Length: 0\r\n"), std::string::npos);
    EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 200 OK");
  }
  {  // Connection: close: one answer, then the server closes.
    RawHttp c(scene.server.port());
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string answer = c.readAnswer();
    EXPECT_EQ(statusLine(answer), "HTTP/1.1 200 OK");
    EXPECT_NE(Poco::toLower(answer).find("connection: close"), std::string::npos);
    EXPECT_TRUE(c.closedWithin(5s));
  }
  {  // HTTP/1.0 without keep-alive closes too.
    RawHttp c(scene.server.port());
    c.send("GET /healthz HTTP/1.0\r\n\r\n");
    EXPECT_EQ(statusLine(c.readAnswer()).substr(9), "200 OK");
    EXPECT_TRUE(c.closedWithin(5s));
  }
  {  // Errors carry their own reason phrase, never "OK".
    RawHttp c(scene.server.port());
    c.send(
        "GET /api/requests/ HTTP/1.1\r\nHost: x\r\n\r\n"
        "DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 401 Unauthorized");
    EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 405 Method Not Allowed");
  }
}

// Uploads have their own limit (attachments.max_bytes), far above a JSON body's: a 3 MiB
// upload gets to the attachment service, which then judges the file itself.
TEST(FrontDoorLimits, AnUploadLargerThanAJsonBodyIsReadWhole) {
  Scene scene;
  const std::string boundary = "front-door-boundary";
  const std::string body =
      "--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n" +
      std::string(3 << 20, '\x7f') + "\r\n--" + boundary + "--\r\n";
  RawHttp c(scene.server.port());
  c.send(
      "POST /api/chat/attachments/?message_type=file HTTP/1.1\r\nHost: x\r\n"
      "Authorization: Bearer " +
      scene.client + "\r\nContent-Type: multipart/form-data; boundary=" + boundary +
      "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  const std::string answer = c.readAnswer();
  EXPECT_NE(statusLine(answer).substr(9, 3), "413") << answer;
  EXPECT_FALSE(statusLine(answer).empty());
  // The same size as JSON is over http.max_body_bytes, and so is a multipart body sent to a
  // path that takes no uploads.
  RawHttp json(scene.server.port());
  json.send(tokenRequest("Content-Length: " + std::to_string(body.size()) + "\r\n", ""));
  EXPECT_EQ(statusLine(json.readAnswer()), "HTTP/1.1 413 Request Entity Too Large");
  RawHttp misplaced(scene.server.port());
  misplaced.send(
      "POST /api/chat/messages/ HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "multipart/form-data; boundary=" +
      boundary + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(statusLine(misplaced.readAnswer()), "HTTP/1.1 413 Request Entity Too Large");
}

TEST(FrontDoorLimits, OversizedOrMalformedRequestsAreRefusedBeforeTheServerHoldsThem) {
  ServerProcess::Options options;
  options.env["FIELDLINK_HTTP_MAX_HEADER_BYTES"] = "8192";
  options.env["FIELDLINK_HTTP_MAX_HEADERS"] = "50";
  Scene scene(options);
  {  // A 1 GiB body declared: 413 at once, without reading it.
    RawHttp c(scene.server.port());
    c.send(tokenRequest("Content-Length: 1073741824\r\n", "{"));
    const std::string answer = c.readAnswer();
    EXPECT_EQ(statusLine(answer), "HTTP/1.1 413 Request Entity Too Large");
    EXPECT_NE(bodyOf(answer).find("too_large"), std::string::npos);
    EXPECT_TRUE(c.closedWithin(5s));
  }
  {  // A chunked body that grows past the limit.
    RawHttp c(scene.server.port());
    c.send(tokenRequest("Transfer-Encoding: chunked\r\n", ""));
    const std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
    for (int i = 0; i < 20 && c.sendUpTo(chunk, 2s) > 0; ++i) {
    }
    EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 413 Request Entity Too Large");
  }
  {  // Headers that never end.
    RawHttp c(scene.server.port());
    std::string endless = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    while (endless.size() < 40000) endless += "X-Filler: " + std::string(60, 'f') + "\r\n";
    c.sendUpTo(endless, 2s);
    const std::string answer = c.readAnswer();
    EXPECT_EQ(statusLine(answer), "HTTP/1.1 431 Request Header Fields Too Large");
    EXPECT_NE(bodyOf(answer).find("header_too_large"), std::string::npos);
  }
  {  // Too many fields, each short.
    RawHttp c(scene.server.port());
    std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 60; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
    c.send(many + "\r\n");
    EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 431 Request Header Fields Too Large");
  }
  for (const std::string junk :
       {"HELLO\r\n\r\n", "GET /healthz HTTP/9.9\r\n\r\n", "GET healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /api/token/ HTTP/1.1\r\nContent-Length: -4\r\n\r\n",
        "POST /api/token/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    RawHttp c(scene.server.port());
    c.send(junk);
    EXPECT_EQ(statusLine(c.readAnswer()), "HTTP/1.1 400 Bad Request") << junk;
  }
  // None of it cost the others anything.
  EXPECT_EQ(scene.api.http().get("/api/requests/", scene.client).status, 200);
}

}  // namespace
}  // namespace fieldlink::testing

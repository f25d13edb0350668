// REST answers are gzipped for clients that accept it, when they are large enough to gain.
#include <gtest/gtest.h>

#include <sstream>

#include <Poco/InflatingStream.h>
#include <Poco/StreamCopier.h>

#include "support/scene.hpp"

namespace fieldlink::testing {
namespace {

std::string inflated(const std::string& packed) {
  std::istringstream in(packed);
  Poco::InflatingInputStream inflate(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::string out;
  Poco::StreamCopier::copyToString(inflate, out);
  return out;
}

HttpResult get(const Scene& s, const std::string& path, const std::string& accept_encoding) {
  std::map<std::string, std::string> headers{{"Authorization", "Bearer " + s.client}};
  if (!accept_encoding.empty()) headers["Accept-Encoding"] = accept_encoding;
  return s.api.http().request("GET", path, "", headers);
}

TEST(Compression, LargeAnswersAreGzippedForClientsThatAcceptIt) {
  Scene s;
  for (int i = 0; i < 30; ++i)
    ASSERT_EQ(
        s.api.sendText(s.client, s.conversation_id, "Message number " + std::to_string(i)).status,
        201);
  const std::string history = "/api/chat/messages/conversation_messages/?conversation_id=" +
                              std::to_string(s.conversation_id);
  const auto plain = get(s, history, "");
  const auto packed = get(s, history, "br, gzip;q=0.8");
  ASSERT_EQ(packed.status, 200);
  EXPECT_FALSE(plain.headers.count("Content-Encoding"));
  EXPECT_EQ(packed.headers.at("Content-Encoding"), "gzip");
  EXPECT_NE(packed.headers.at("Vary").find("Accept-Encoding"), std::string::npos);
  EXPECT_LT(packed.body.size(), plain.body.size() / 3);
  EXPECT_EQ(inflated(packed.body), plain.body);

  EXPECT_FALSE(get(s, history, "gzip;q=0").headers.count("Content-Encoding"));
  EXPECT_FALSE(get(s, "/api/users/me/", "gzip").headers.count("Content-Encoding"));  // small
}

TEST(Compression, CanBeTurnedOff) {
  ServerProcess::Options options;
  options.env["FIELDLINK_HTTP_GZIP_MIN_BYTES"] = "0";
  Scene s(options);
  for (int i = 0; i < 30; ++i) s.api.sendText(s.client, s.conversation_id, "Message");
  EXPECT_FALSE(get(s,
                   "/api/chat/messages/conversation_messages/?conversation_id=" +
                       std::to_string(s.conversation_id),
                   "gzip")
                   .headers.count("Content-Encoding"));
}

}  // namespace
}  // namespace fieldlink::testing

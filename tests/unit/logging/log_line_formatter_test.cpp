#include <gtest/gtest.h>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Message.h>

#include "logging/log_line_formatter.hpp"
#include "logging/request_context.hpp"

namespace fieldlink::logging {
namespace {

Poco::Message sample() {
  Poco::Message m("fieldlink.access", "GET /api/x/ 200", Poco::Message::PRIO_INFORMATION);
  m.setTime(Poco::Timestamp::fromEpochTime(1795000000));
  m.set("status", "200");
  m.set("duration_ms", "1.250");
  m.set("path", "/api/x/");
  return m;
}

TEST(LogLineFormatter, TextLinesCarryTheRequestIdWhileServingARequest) {
  LogLineFormatter formatter;
  std::string line;
  formatter.format(sample(), line);
  EXPECT_EQ(line, "2026-11-18T11:06:40.000Z information fieldlink.access: GET /api/x/ 200");
  {
    RequestIdScope scope("req-42");
    formatter.format(sample(), line);
    EXPECT_EQ(line,
              "2026-11-18T11:06:40.000Z information fieldlink.access [req-42]: GET /api/x/ 200");
  }
  formatter.format(sample(), line);
  EXPECT_EQ(line.find("req-42"), std::string::npos);
}

TEST(LogLineFormatter, JsonLinesAreOneObjectWithTheStructuredFields) {
  LogLineFormatter formatter;
  formatter.setProperty("format", "json");
  RequestIdScope scope("req-7");
  std::string line;
  formatter.format(sample(), line);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto parsed = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(parsed->getValue<std::string>("request_id"), "req-7");
  EXPECT_EQ(parsed->getValue<std::string>("level"), "information");
  EXPECT_EQ(parsed->getValue<std::string>("logger"), "fieldlink.access");
  EXPECT_EQ(parsed->getValue<std::string>("message"), "GET /api/x/ 200");
  EXPECT_EQ(parsed->getValue<int>("status"), 200);
  EXPECT_DOUBLE_EQ(parsed->getValue<double>("duration_ms"), 1.25);
  EXPECT_EQ(parsed->getValue<std::string>("path"), "/api/x/");
  EXPECT_THROW(formatter.setProperty("format", "xml"), Poco::InvalidArgumentException);
}

TEST(RequestId, KeepsAPlainClientIdAndReplacesAnythingElse) {
  EXPECT_EQ(requestIdFrom("edge-1f2e.3_a"), "edge-1f2e.3_a");
  for (const std::string& bad : {std::string(""), std::string("has space"),
                                 std::string("new\nline"), std::string(65, 'a')}) {
    const std::string made = requestIdFrom(bad);
    EXPECT_NE(made, bad);
    EXPECT_EQ(made.size(), 16u);
  }
  EXPECT_NE(requestIdFrom(""), requestIdFrom(""));
}

}  // namespace
}  // namespace fieldlink::logging

// Monitoring against a running fieldlinkd: /metrics moving with traffic and guarded by
// address or token, /healthz and /readyz, request ids and the access log.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <Poco/JSON/Parser.h>

#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

constexpr const char* kMetricsToken = "metrics-token-0123456789";

// The value of one sample line ("name{labels} value") of a Prometheus text page; -1 if absent.
double sample(const std::string& page, const std::string& series) {
  std::istringstream lines(page);
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return -1;
}

// The server's log once it mentions `text`: an access line is written just after its answer
// is sent, so the client may read the answer first.
std::string logOnceItHas(const ServerProcess& server, const std::string& text) {
  std::string log;
  for (int attempt = 0; attempt < 250; ++attempt) {
    log = server.log();
    if (log.find(text) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return log;
}

TEST(Monitoring, MetricsMoveWithTrafficAndCountEveryStatus) {
  Scene s;
  const auto before = s.api.http().get("/metrics");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.headers.at("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  const double received = sample(before.body, "fieldlink_messages_received_total");
  const double writes = sample(before.body, "fieldlink_store_write_seconds_count");
  ASSERT_GE(received, 1);  // the assignment's system message
  EXPECT_EQ(sample(before.body, "fieldlink_websocket_connections"), 0);

  WsClient technician(s.server.port(), "/ws/?token=" + s.technician);
  ASSERT_EQ(s.api.sendText(s.client, s.conversation_id, "Hello").status, 201);
  technician.nextOfType("message");
  EXPECT_EQ(s.api.http().get("/api/chat/conversations/999999/", s.client).status, 404);

  const auto after = s.api.http().get("/metrics").body;
  EXPECT_EQ(sample(after, "fieldlink_messages_received_total"), received + 1);
  EXPECT_GE(sample(after, "fieldlink_messages_delivered_total"), 1);
  EXPECT_EQ(sample(after, "fieldlink_websocket_connections"), 1);
  EXPECT_GT(sample(after, "fieldlink_store_write_seconds_count"), writes);
  EXPECT_EQ(sample(after, "fieldlink_store_write_seconds_bucket{le=\"+Inf\"}"),
            sample(after, "fieldlink_store_write_seconds_count"));
  EXPECT_GE(sample(after, "fieldlink_http_responses_total{code=\"201\"}"), 1);
  EXPECT_GE(sample(after, "fieldlink_http_responses_total{code=\"404\"}"), 1);
  EXPECT_GT(sample(after, "process_resident_memory_bytes"), 0);
}

TEST(Monitoring, MetricsAreRefusedToOtherAddressesUnlessTheTokenIsGiven) {
  ServerProcess::Options options;
  options.env["FIELDLINK_METRICS_ALLOW"] = "192.0.2.0/24";  // not loopback
  options.env["FIELDLINK_METRICS_TOKEN"] = kMetricsToken;
  Scene s(options);
  const auto refused = s.api.http().get("/metrics");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body.find("fieldlink_"), std::string::npos);
  EXPECT_EQ(s.api.http().get("/metrics", "not-the-token-at-all").status, 403);
  EXPECT_EQ(s.api.http().get("/metrics", s.dispatcher).status, 403);  // a user token is not it
  const auto allowed = s.api.http().get("/metrics", kMetricsToken);
  EXPECT_EQ(allowed.status, 200);
  EXPECT_NE(allowed.body.find("fieldlink_messages_received_total"), std::string::npos);
}

TEST(Monitoring, PluginErrorsAreCountedByPlugin) {
  ServerProcess::Options options;
  options.plugins_dir = FIELDLINK_FIXTURE_PLUGIN_DIR;
  options.plugins_enabled = "throwing";
  Scene s(options);
  const auto r = s.api.http().post("/api/chat/messages/",
                                   "{\"conversation_id\":" + std::to_string(s.conversation_id) +
                                       ",\"message_type\":\"throwing\",\"content\":{}}",
                                   s.client);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(sample(s.api.http().get("/metrics").body,
                   "fieldlink_plugin_errors_total{plugin=\"throwing\"}"),
            1);
}

// docs/monitoring/: the Grafana dashboard and the alerting rules name only metrics a real
// server serves (a renamed metric would leave a panel empty and an alert silent).
TEST(Monitoring, TheDashboardAndAlertsUseOnlyMetricsTheServerServes) {
  Scene scene;
  const std::string page = scene.api.http().get("/metrics").body;
  std::set<std::string> served;
  const std::regex type_line("^# TYPE ([a-z_]+) ");
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, type_line)) served.insert(match[1]);
  }
  ASSERT_GT(served.size(), 10u) << page;
  for (const char* file : {"fieldlink-dashboard.json", "fieldlink-alerts.yml"}) {
    std::ifstream in(std::string(FIELDLINK_SOURCE_DIR) + "/docs/monitoring/" + file);
    ASSERT_TRUE(in) << file;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::regex metric("\\b((fieldlink|process)_[a-z_]+)");
    std::size_t named = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), metric), end; it != end; ++it) {
      std::string name = (*it)[1];
      for (const char* suffix : {"_bucket", "_sum", "_count"})
        if (!served.count(name) && name.size() > std::strlen(suffix) &&
            name.compare(name.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
          name.erase(name.size() - std::strlen(suffix));
      if (name.rfind("fieldlink-", 0) == 0) continue;
      EXPECT_TRUE(served.count(name)) << file << " uses " << name << ", which /metrics lacks";
      ++named;
    }
    EXPECT_GE(named, 4u) << file;  // the regex found them at all
  }
}

TEST(Monitoring, HealthAndReadiness) {
  Scene s;
  EXPECT_EQ(s.api.http().get("/healthz").status, 200);
  const auto ready = s.api.http().get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.object()->getValue<std::string>("status"), "ok");
}

TEST(Monitoring, EveryAnswerHasARequestIdThatTheAccessLogCarries) {
  Scene s;
  const auto given =
      s.api.http().request("GET", "/api/users/me/", "",
                           {{"Authorization", "Bearer " + s.client}, {"X-Request-Id", "edge-42"}});
  EXPECT_EQ(given.headers.at("X-Request-Id"), "edge-42");
  const auto made = s.api.http().get("/api/users/me/", s.client);
  const std::string id = made.headers.at("X-Request-Id");
  EXPECT_EQ(id.size(), 16u);
  // One access line each, with the id, the path and the status; never the query's token.
  { WsClient ws(s.server.port(), "/ws/?token=" + s.client); }
  s.api.http().get("/api/chat/stats/?request_id=1&token=secret-in-query", s.client);
  for (const std::string& line : std::vector<std::string>{
           "[edge-42]: GET /api/users/me/ 200", "[" + id + "]: GET /api/users/me/ 200",
           "GET /ws/ 101", "GET /api/chat/stats/ "}) {
    const std::string log = logOnceItHas(s.server, line);
    EXPECT_NE(log.find(line), std::string::npos) << log;
  }
  const std::string log = s.server.log();
  EXPECT_EQ(log.find(s.client), std::string::npos) << "a token reached the log";
  EXPECT_EQ(log.find("secret-in-query"), std::string::npos);
}

// A path is decoded before it is logged: control characters in it must not start a line of
// their own, or anyone could write forged lines into the log.
TEST(Monitoring, APathCannotForgeAnAccessLogLine) {
  Scene s;
  s.api.http().get("/nothing%0D%0A2026-01-01%20fieldlink.access%20GET%20/forged%09200%1B%5B31m");
  const std::string line =
      "GET /nothing%0D%0A2026-01-01%20fieldlink.access%20GET%20/forged%09200%1B[31m 404";
  const std::string log = logOnceItHas(s.server, line);
  EXPECT_NE(log.find(line), std::string::npos) << log;
  EXPECT_EQ(log.find("\nfieldlink.access GET /forged"), std::string::npos) << log;
  EXPECT_EQ(log.find('\x1b'), std::string::npos);
}

TEST(Monitoring, JsonLinesLogging) {
  ServerProcess::Options options;
  options.extra_args = {"--set=logging.channels.console.formatter.format=json"};
  Scene s(options);
  s.api.http().request("GET", "/api/users/me/", "",
                       {{"Authorization", "Bearer " + s.client}, {"X-Request-Id", "json-1"}});
  bool found = false;
  std::istringstream lines(logOnceItHas(s.server, "\"json-1\""));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;
    const auto o = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    if (o->optValue<std::string>("request_id", "") != "json-1") continue;
    found = true;
    EXPECT_EQ(o->getValue<std::string>("logger"), "fieldlink.access");
    EXPECT_EQ(o->getValue<std::string>("path"), "/api/users/me/");
    EXPECT_EQ(o->getValue<int>("status"), 200);
  }
  EXPECT_TRUE(found) << s.server.log();
}

}  // namespace
}  // namespace fieldlink::testing

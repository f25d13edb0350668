// Live tracking against a running fieldlinkd: a simulated drive along a track from
// tests/fixtures/tracks, positions posted over REST and over the WebSocket.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

struct Fix {
  int second;
  double latitude, longitude, accuracy;
};

std::vector<Fix> loadTrack(const std::string& name) {
  std::ifstream in(std::string(FIELDLINK_TRACK_DIR) + "/" + name);
  std::vector<Fix> fixes;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Fix f{};
    char comma;
    std::istringstream(line) >> f.second >> comma >> f.latitude >> comma >> f.longitude >> comma >>
        f.accuracy;
    fixes.push_back(f);
  }
  return fixes;
}

std::string rfc3339(std::int64_t epoch_ms) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(epoch_ms * 1000), "%Y-%m-%dT%H:%M:%S.%iZ");
}

std::string positionBody(const Fix& f, std::int64_t start_ms) {
  std::ostringstream body;
  body.precision(10);
  body << "{\"latitude\":" << f.latitude << ",\"longitude\":" << f.longitude
       << ",\"accuracy\":" << f.accuracy << ",\"recorded_at\":\""
       << rfc3339(start_ms + f.second * 1000LL) << "\"}";
  return body.str();
}

// A scene whose request has a destination, with tracking frames not throttled by time.
struct TrackingScene : Scene {
  TrackingScene() : Scene(options()) {
    request_with_destination =
        api.http()
            .post("/api/requests/", R"({"title":"Leak","latitude":48.8566,"longitude":2.3522})",
                  client)
            .object()
            ->getValue<std::int64_t>("id");
    api.assign(dispatcher, request_with_destination, technician_id);
  }
  static ServerProcess::Options options() {
    ServerProcess::Options o;
    o.env["FIELDLINK_TRACKING_PUBLISH_INTERVAL_MS"] = "0";
    o.env["FIELDLINK_WS_MESSAGE_BURST"] = "200";  // bursts of positions in one test
    return o;
  }
  std::string path(const std::string& tail = "") const {
    return "/api/tracking/" + std::to_string(request_with_destination) + "/" + tail;
  }
  std::int64_t request_with_destination = 0;
};

TEST(Tracking, ASimulatedDriveBringsDistanceAndEtaDownAndIgnoresABadFix) {
  TrackingScene s;
  WsClient client_ws(s.server.port(), "/ws/?token=" + s.client);
  ASSERT_EQ(client_ws.status(), 101);
  const auto fixes = loadTrack("drive_north.csv");
  ASSERT_GT(fixes.size(), 20u);
  const std::int64_t start_ms = Poco::Timestamp().epochMicroseconds() / 1000 - 20 * 60 * 1000;

  double last_distance = 1e12, last_eta = 1e12;
  int ignored_seen = 0;
  for (const Fix& fix : fixes) {
    const auto posted =
        s.api.http().post(s.path("position/"), positionBody(fix, start_ms), s.technician);
    ASSERT_EQ(posted.status, 202) << posted.body;
    const auto view = s.api.http().get(s.path(), s.client).object();
    ASSERT_TRUE(view->getValue<bool>("active"));
    const int ignored = view->getValue<int>("ignored_positions");
    if (ignored > ignored_seen) {  // the bad fix: counted, and the position did not move
      ignored_seen = ignored;
      EXPECT_LT(view->getObject("technician")->getValue<double>("latitude"), 48.86);
      continue;
    }
    const double distance = view->getValue<double>("distance_m");
    const double eta = view->getValue<double>("eta_seconds");
    EXPECT_LT(distance, last_distance) << "at second " << fix.second;
    EXPECT_LE(eta, last_eta) << "at second " << fix.second;
    last_distance = distance;
    last_eta = eta;
  }
  EXPECT_EQ(ignored_seen, 1);
  EXPECT_LT(last_distance, 30);
  EXPECT_LT(last_eta, 10);
  const auto final_view = s.api.http().get(s.path(), s.technician).object();
  EXPECT_EQ(final_view->getArray("trail")->size(), fixes.size() - 1);
  EXPECT_FALSE(final_view->getValue<std::string>("eta_at").empty());

  // "Arriving soon" and "arrived" once each, to the client; the technician is asked to
  // mark the job on site.
  auto kinds = [&](const std::string& token, const std::string& kind) {
    int count = 0;
    const auto list = s.api.http().get("/api/notifications/", token).array();
    for (std::size_t i = 0; i < list->size(); ++i)
      if (list->getObject(i)->getValue<std::string>("kind") == kind) ++count;
    return count;
  };
  auto settle = [&] { std::this_thread::sleep_for(std::chrono::milliseconds(300)); };
  settle();
  EXPECT_EQ(kinds(s.client, "arriving_soon"), 1);
  EXPECT_EQ(kinds(s.client, "arrived"), 1);
  EXPECT_EQ(kinds(s.technician, "arrived"), 1);
  // Jitter around the geofence and the ETA threshold: nothing more.
  const Fix& last = fixes.back();
  for (int i = 1; i <= 6; ++i) {
    Fix jitter = last;
    jitter.second = last.second + 10 * i;
    jitter.latitude = 48.8566 - (i % 2 ? 140.0 : 170.0) / 111195;
    ASSERT_EQ(
        s.api.http().post(s.path("position/"), positionBody(jitter, start_ms), s.technician).status,
        202);
  }
  settle();
  EXPECT_EQ(kinds(s.client, "arriving_soon"), 1);
  EXPECT_EQ(kinds(s.client, "arrived"), 1);

  // The client heard about it live.
  const auto frames = client_ws.collect("tracking", 3);
  ASSERT_GE(frames.size(), 3u);
  EXPECT_EQ(frames.back()->getValue<std::int64_t>("request_id"), s.request_with_destination);
  EXPECT_TRUE(frames.back()->has("eta_seconds"));
  EXPECT_FALSE(frames.back()->has("trail"));
}

TEST(Tracking, PhonesThatStayConnectedSendPositionsOverTheWebSocket) {
  TrackingScene s;
  WsClient technician(s.server.port(), "/ws/?token=" + s.technician);
  WsClient client(s.server.port(), "/ws/?token=" + s.client);
  technician.sendJson(
      "{\"type\":\"position\",\"request_id\":" + std::to_string(s.request_with_destination) +
      ",\"latitude\":48.84,\"longitude\":2.35,\"speed_mps\":10}");
  const auto frame = client.nextOfType("tracking");
  ASSERT_TRUE(frame);
  EXPECT_NEAR(frame->getValue<double>("speed_mps"), 10, 0.01);
  EXPECT_NEAR(frame->getObject("technician")->getValue<double>("latitude"), 48.84, 1e-9);
  // A client may not pretend to be the technician: an error frame, nothing recorded.
  client.sendJson(
      "{\"type\":\"position\",\"request_id\":" + std::to_string(s.request_with_destination) +
      ",\"latitude\":48.0,\"longitude\":2.0}");
  const auto error = client.nextOfType("error");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->getValue<std::string>("code"), "permission_denied");
  technician.sendJson(R"({"type":"position","request_id":1,"latitude":"x","longitude":2})");
  EXPECT_EQ(technician.nextOfType("error")->getValue<std::string>("code"), "invalid");
}

// Skips tracking and presence frames.
Poco::JSON::Object::Ptr firstErrorOrPong(WsClient& ws) {
  for (;;) {
    const auto frame = ws.next();
    if (!frame) return frame;
    const std::string type = frame->getValue<std::string>("type");
    if (type == "error" || type == "pong") return frame;
  }
}

// One connection's frames are handled in the order they were sent, though positions are
// stored off the event loop: a burst arrives in the trail in order (a fix older than the one
// before would be ignored and counted), and a refusal comes back before a later pong.
TEST(Tracking, PositionsFromOneConnectionAreHandledInTheOrderSent) {
  TrackingScene s;
  WsClient technician(s.server.port(), "/ws/?token=" + s.technician);
  ASSERT_EQ(technician.status(), 101);
  const std::int64_t start_ms = Poco::Timestamp().epochMicroseconds() / 1000 - 10 * 60 * 1000;
  constexpr int kFixes = 60;
  for (int i = 0; i < kFixes; ++i) {
    const Fix fix{i, 48.80 + i * 0.00005, 2.35, 5};  // about 5.5 m a second, northwards
    technician.sendJson(
        "{\"type\":\"position\",\"request_id\":" + std::to_string(s.request_with_destination) +
        "," + positionBody(fix, start_ms).substr(1));
  }
  technician.sendJson(R"({"type":"ping"})");
  const auto pong = firstErrorOrPong(technician);
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->getValue<std::string>("type"), "pong") << "an error came first";
  const auto view = s.api.http().get(s.path(), s.client).object();
  EXPECT_EQ(view->getValue<int>("ignored_positions"), 0);
  const auto trail = view->getArray("trail");
  ASSERT_EQ(trail->size(), static_cast<std::size_t>(kFixes));
  for (int i = 0; i < kFixes; ++i)
    EXPECT_NEAR(trail->getArray(i)->getElement<double>(0), 48.80 + i * 0.00005, 1e-9) << i;

  WsClient client(s.server.port(), "/ws/?token=" + s.client);
  for (int i = 0; i < 20; ++i) {
    client.sendJson(
        "{\"type\":\"position\",\"request_id\":" + std::to_string(s.request_with_destination) +
        ",\"latitude\":48.0,\"longitude\":2.0}");
    client.sendJson(R"({"type":"ping"})");
    const auto first = firstErrorOrPong(client);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->getValue<std::string>("type"), "error") << "round " << i;
    ASSERT_TRUE(client.nextOfType("pong"));
  }
}

TEST(Tracking, OnlyTheAssignedTechnicianPostsAndBadPositionsAreRefused) {
  TrackingScene s;
  const std::string good = R"({"latitude":48.85,"longitude":2.35})";
  EXPECT_EQ(s.api.http().post(s.path("position/"), good, s.client).status, 403);
  EXPECT_EQ(s.api.http().post(s.path("position/"), good, s.dispatcher).status, 403);
  EXPECT_EQ(s.api.http().post(s.path("position/"), good, s.outsider_technician).status, 404);
  EXPECT_EQ(s.api.http().get(s.path(), s.outsider_client).status, 404);
  for (const char* bad :
       {R"({"latitude":95,"longitude":2})", R"({"latitude":48,"longitude":"2"})",
        R"({"longitude":2})", R"({"latitude":48,"longitude":2,"speed_mps":-1})",
        R"({"latitude":48,"longitude":2,"recorded_at":"yesterday"})",
        R"({"latitude":48,"longitude":2,"recorded_at":"2001-01-01T00:00:00Z"})"}) {
    const auto refused = s.api.http().post(s.path("position/"), bad, s.technician);
    EXPECT_EQ(refused.status, 400) << bad << ": " << refused.body;
  }
  // Nothing was recorded by any of them.
  EXPECT_TRUE(s.api.http().get(s.path(), s.client).object()->isNull("technician"));
}

TEST(Tracking, StopsWhenTheRequestIsCompleted) {
  TrackingScene s;
  ASSERT_EQ(s.api.http()
                .post(s.path("position/"), R"({"latitude":48.85,"longitude":2.35})", s.technician)
                .status,
            202);
  for (const char* status : {"en_route", "on_site", "completed"})
    ASSERT_EQ(s.api.http()
                  .post("/api/requests/" + std::to_string(s.request_with_destination) + "/status/",
                        std::string("{\"status\":\"") + status + "\"}", s.technician)
                  .status,
              200);
  const auto late = s.api.http().post(s.path("position/"), R"({"latitude":48.85,"longitude":2.35})",
                                      s.technician);
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.code(), "tracking_stopped");
  const auto view = s.api.http().get(s.path(), s.client).object();
  EXPECT_FALSE(view->getValue<bool>("active"));
  EXPECT_TRUE(view->isNull("technician"));
}

}  // namespace
}  // namespace fieldlink::testing

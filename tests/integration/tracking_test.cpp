// Live tracking against a running fieldlinkd: a simulated drive along a track from
// tests/fixtures/tracks, positions posted over REST and over the WebSocket.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
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
  explicit TrackingScene(const std::map<std::string, std::string>& env = {}) : Scene(options(env)) {
    request_with_destination =
        api.http()
            .post("/api/requests/", R"({"title":"Leak","latitude":48.8566,"longitude":2.3522})",
                  client)
            .object()
            ->getValue<std::int64_t>("id");
    api.assign(dispatcher, request_with_destination, technician_id);
  }
  static ServerProcess::Options options(const std::map<std::string, std::string>& env) {
    ServerProcess::Options o;
    o.env = env;
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
  // The dispatcher who assigned it follows it on the console's map.
  WsClient dispatcher_ws(s.server.port(), "/ws/?token=" + s.dispatcher);
  ASSERT_EQ(dispatcher_ws.status(), 101);
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

  // The client and the dispatcher heard about it live; an outsider did not.
  for (WsClient* ws : {&client_ws, &dispatcher_ws}) {
    const auto frames = ws->collect("tracking", 3);
    ASSERT_GE(frames.size(), 3u);
    EXPECT_EQ(frames.back()->getValue<std::int64_t>("request_id"), s.request_with_destination);
    EXPECT_TRUE(frames.back()->has("eta_seconds"));
    EXPECT_FALSE(frames.back()->has("trail"));
  }
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

// A tracking link, opened without an account.
struct LinkedScene : TrackingScene {
  explicit LinkedScene(const std::map<std::string, std::string>& env) : TrackingScene(env) {}
  std::string linkPath() const {
    return "/api/requests/" + std::to_string(request_with_destination) + "/tracking_link/";
  }
  // A new link's token, made by the request's client.
  std::string makeLink() const {
    const auto made = api.http().post(linkPath(), "", client);
    EXPECT_EQ(made.status, 201) << made.body;
    return made.status == 201 ? made.object()->getValue<std::string>("token") : "";
  }
  static std::string feedPath(const std::string& token) {
    return "/ws/public/tracking/" + token + "/";
  }
  HttpResult look(const std::string& token) const {
    return api.http().get("/api/public/tracking/" + token + "/");
  }
  void setStatus(const char* status) const {
    ASSERT_EQ(api.http()
                  .post("/api/requests/" + std::to_string(request_with_destination) + "/status/",
                        std::string("{\"status\":\"") + status + "\"}", technician)
                  .status,
              200);
  }
};

std::set<std::string> keysOf(const Poco::JSON::Object::Ptr& o) {
  std::set<std::string> keys;
  for (const auto& [key, value] : *o) keys.insert(key);
  return keys;
}

TEST(TrackingLinks, ALinkShowsTheTechnicianOnlyOnTheWayAndNothingElse) {
  LinkedScene s(std::map<std::string, std::string>{
      {"FIELDLINK_SERVER_PUBLIC_URL", "https://chat.example.com/"}});
  const auto made = s.api.http().post(s.linkPath(), "", s.client);
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string token = made.object()->getValue<std::string>("token");
  EXPECT_EQ(token.size(), 32u);
  EXPECT_EQ(made.object()->getValue<std::string>("url"), "https://chat.example.com/t/" + token);
  EXPECT_TRUE(made.object()->has("expires_at"));

  // Assigned, with a position shared: where the technician is stays theirs. (Ten minutes
  // before the next one, so that the jump between them is a drive, not a bad fix.)
  const auto ten_minutes_ago = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count() -
                               600'000;
  ASSERT_EQ(s.api.http()
                .post(s.path("position/"), positionBody({0, 48.80, 2.30, 10}, ten_minutes_ago),
                      s.technician)
                .status,
            202);
  auto seen = s.look(token);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.object()->getValue<std::string>("status"), "assigned");
  EXPECT_TRUE(seen.object()->isNull("technician"));
  EXPECT_DOUBLE_EQ(seen.object()->getObject("destination")->getValue<double>("latitude"), 48.8566);

  // On the way: a first name, a position, distance and ETA. No ids, phones or trail.
  s.setStatus("en_route");
  ASSERT_EQ(s.api.http()
                .post(s.path("position/"), R"({"latitude":48.81,"longitude":2.31})", s.technician)
                .status,
            202);
  seen = s.look(token);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(keysOf(seen.object()), (std::set<std::string>{"status", "technician", "destination",
                                                          "distance_m", "eta_seconds", "eta_at"}));
  const auto technician = seen.object()->getObject("technician");
  ASSERT_TRUE(technician);
  EXPECT_EQ(keysOf(technician),
            (std::set<std::string>{"display_name", "latitude", "longitude", "recorded_at"}));
  const auto tom = s.api.http().get("/api/users/me/", s.technician).object();
  const auto name = tom->getValue<std::string>("display_name");
  EXPECT_EQ(technician->getValue<std::string>("display_name"), name.substr(0, name.find(' ')));
  EXPECT_DOUBLE_EQ(technician->getValue<double>("latitude"), 48.81);
  EXPECT_GT(seen.object()->getValue<double>("distance_m"), 0);
  EXPECT_GT(seen.object()->getValue<std::int64_t>("eta_seconds"), 0);

  // On site: hidden again.
  s.setStatus("on_site");
  EXPECT_TRUE(s.look(token).object()->isNull("technician"));

  // Revoked: the same 404 as a token that never was, or is not even one.
  ASSERT_EQ(s.api.http()
                .request("DELETE", s.linkPath(), "", {{"Authorization", "Bearer " + s.client}})
                .status,
            204);
  const auto revoked = s.look(token);
  EXPECT_EQ(revoked.status, 404);
  for (const std::string& other : {std::string(32, 'a'), std::string("not-a-token")}) {
    const auto unknown = s.look(other);
    EXPECT_EQ(unknown.status, 404) << other;
    EXPECT_EQ(unknown.body, revoked.body) << other;
  }

  // A request that ends takes its links with it, and takes no new one.
  const auto again = s.api.http().post(s.linkPath(), "", s.dispatcher);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(s.look(again.object()->getValue<std::string>("token")).status, 200);
  s.setStatus("completed");
  EXPECT_EQ(s.look(again.object()->getValue<std::string>("token")).status, 404);
  const auto late = s.api.http().post(s.linkPath(), "", s.client);
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.code(), "tracking_stopped");
}

TEST(TrackingLinks, LinksExpireAndLooksAreLimitedPerAddress) {
  LinkedScene s(
      std::map<std::string, std::string>{{"FIELDLINK_TRACKING_LINK_TTL", "2"},
                                         {"FIELDLINK_TRACKING_PUBLIC_REQUESTS_PER_MINUTE", "4"}});
  const std::string token = s.makeLink();
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(s.look(token).status, 200);
  // A live watcher is closed when the link runs out, with nothing else happening.
  WsClient watcher(s.server.port(), s.feedPath(token));
  ASSERT_EQ(watcher.status(), 101);
  ASSERT_TRUE(watcher.next());
  EXPECT_EQ(watcher.awaitClose(10s), 4404);
  EXPECT_EQ(s.look(token).status, 404);  // expired
  EXPECT_EQ(s.look(std::string(32, 'b')).status, 404);
  // Four looks a minute from one address, page loads and live connections alike, whatever
  // they find: guessing is held back.
  const auto limited = s.look(token);
  EXPECT_EQ(limited.status, 429);
  EXPECT_TRUE(limited.headers.count("Retry-After"));
  WsClient refused(s.server.port(), s.feedPath(token));
  EXPECT_EQ(refused.awaitClose(), 4429);
}

TEST(TrackingLinks, AWatcherSeesEachChangeLiveUntilTheLinkIsRevoked) {
  LinkedScene s(std::map<std::string, std::string>{});
  const std::string token = s.makeLink();
  ASSERT_FALSE(token.empty());
  WsClient watcher(s.server.port(), s.feedPath(token));
  ASSERT_EQ(watcher.status(), 101);
  EXPECT_FALSE(watcher.responseHeaders().count("Sec-WebSocket-Protocol"));
  // At once, what the public GET answers, as is.
  const auto first = watcher.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->getValue<std::string>("status"), "assigned");
  EXPECT_TRUE(first->isNull("technician"));
  EXPECT_EQ(keysOf(first), keysOf(s.look(token).object()));
  EXPECT_EQ(metricValue(s, "fieldlink_websocket_connections"), "1");  // counted like the others

  s.setStatus("en_route");
  auto next = watcher.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->getValue<std::string>("status"), "en_route");
  ASSERT_EQ(s.api.http()
                .post(s.path("position/"), R"({"latitude":48.81,"longitude":2.31})", s.technician)
                .status,
            202);
  next = watcher.next();
  ASSERT_TRUE(next);
  const auto technician = next->getObject("technician");
  ASSERT_TRUE(technician);
  EXPECT_DOUBLE_EQ(technician->getValue<double>("latitude"), 48.81);
  EXPECT_EQ(keysOf(technician),
            (std::set<std::string>{"display_name", "latitude", "longitude", "recorded_at"}));
  EXPECT_GT(next->getValue<double>("distance_m"), 0);

  // Revoked: the watcher is told at once, and the link opens no more.
  ASSERT_EQ(s.api.http()
                .request("DELETE", s.linkPath(), "", {{"Authorization", "Bearer " + s.client}})
                .status,
            204);
  EXPECT_EQ(watcher.awaitClose(), 4404);
  WsClient late(s.server.port(), s.feedPath(token));
  ASSERT_EQ(late.status(), 101);
  EXPECT_EQ(late.awaitClose(), 4404);
  WsClient unknown(s.server.port(), s.feedPath(std::string(32, 'c')));
  EXPECT_EQ(unknown.awaitClose(), 4404);
}

TEST(TrackingLinks, TheLiveFeedIsReadOnlyHasAWatcherLimitAndEndsWithTheRequest) {
  LinkedScene s(
      std::map<std::string, std::string>{{"FIELDLINK_TRACKING_PUBLIC_WATCHERS_PER_LINK", "2"},
                                         {"FIELDLINK_TRACKING_LINK_ON_EN_ROUTE", "false"}});
  const std::string token = s.makeLink();
  ASSERT_FALSE(token.empty());
  WsClient one(s.server.port(), s.feedPath(token));
  WsClient two(s.server.port(), s.feedPath(token));
  ASSERT_TRUE(one.next());
  ASSERT_TRUE(two.next());
  WsClient three(s.server.port(), s.feedPath(token));
  EXPECT_EQ(three.awaitClose(), 4429);
  // Nothing to say on it: a frame closes it (and frees its place).
  two.sendText(R"({"type":"message","conversation_id":1,"message_type":"text"})");
  EXPECT_EQ(two.awaitClose(), 1008);
  WsClient again(s.server.port(), s.feedPath(token));
  EXPECT_TRUE(again.next());

  s.setStatus("en_route");
  auto frame = one.next();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->getValue<std::string>("status"), "en_route");
  // Turned off: the client's notice of it carries no link.
  bool noticed = false;
  for (int i = 0; i < 100 && !noticed; ++i) {
    const auto notices = s.api.http().get("/api/notifications/", s.client).array();
    for (std::size_t n = 0; n < notices->size(); ++n) {
      const auto data = notices->getObject(n)->getObject("data");
      if (data->optValue<std::string>("status", "") != "en_route") continue;
      noticed = true;
      EXPECT_FALSE(data->has("tracking_url"));
    }
    if (!noticed) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(noticed);
  s.setStatus("on_site");
  frame = one.next();
  ASSERT_TRUE(frame);
  EXPECT_TRUE(frame->isNull("technician"));
  s.setStatus("completed");
  EXPECT_EQ(one.awaitClose(), 4404);
}

}  // namespace
}  // namespace fieldlink::testing

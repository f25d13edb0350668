// The browser client's files as fieldlinkd serves them: the page on its routes with a CSP
// of its own, files revalidated by ETag, gzip for clients that take it, and nothing else.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include <Poco/InflatingStream.h>
#include <Poco/StreamCopier.h>

#include "support/scene.hpp"

namespace fieldlink::testing {
namespace {

struct WebScene {
  WebScene() : server(options()), http(server.port()) {}
  ServerProcess::Options options() {
    ServerProcess::Options o;
    web_dir = files.file("web");
    std::filesystem::create_directories(web_dir);
    std::ofstream(web_dir + "/index.html") << "<!doctype html><title>t</title>";
    std::ofstream(web_dir + "/app.js") << "export const x = '" << std::string(4000, 'x') << "';\n";
    std::ofstream(web_dir + "/notes.txt") << "not for browsers";
    std::ofstream(web_dir + "/sw.js") << "self.addEventListener('fetch', () => {});\n";
    o.env["FIELDLINK_WEB_DIR"] = web_dir;
    o.plugins_enabled = "text,file,voice,video";
    return o;
  }
  TempDir files;
  std::string web_dir;
  ServerProcess server;
  HttpClient http;
};

TEST(WebClient, ThePageIsServedOnItsRoutesWithItsOwnPolicy) {
  WebScene s;
  for (const char* path : {"/", "/communication/12", "/communication/12/"}) {
    const auto page = s.http.get(path);
    EXPECT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.body, "<!doctype html><title>t</title>");
    EXPECT_EQ(page.headers.at("Content-Type"), "text/html; charset=utf-8");
    const auto& policy = page.headers.at("Content-Security-Policy");
    EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
    EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(page.headers.at("Cache-Control"), "no-cache");
  }
  // Files keep the API's sandboxing policy: only the page may run script.
  const auto script = s.http.get("/static/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.headers.at("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(script.headers.at("Content-Security-Policy").find("sandbox"), std::string::npos);
  // The service worker: scoped to the whole site, and allowed to fetch from it.
  const auto worker = s.http.get("/static/sw.js");
  EXPECT_EQ(worker.status, 200);
  EXPECT_EQ(worker.headers.at("Service-Worker-Allowed"), "/");
  EXPECT_EQ(worker.headers.at("Content-Security-Policy"), "default-src 'self'");
  EXPECT_EQ(script.headers.count("Service-Worker-Allowed"), 0u);
}

TEST(WebClient, FilesAreRevalidatedByETagAndGzippedWhenAccepted) {
  WebScene s;
  const auto first = s.http.get("/static/app.js");
  const std::string etag = first.headers.at("ETag");
  const auto again = s.http.request("GET", "/static/app.js", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(s.http.request("GET", "/static/app.js", "", {{"If-None-Match", "\"other\""}}).status,
            200);

  const auto packed = s.http.request("GET", "/static/app.js", "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(packed.headers.at("Content-Encoding"), "gzip");
  EXPECT_LT(packed.body.size(), first.body.size() / 4);
  std::istringstream in(packed.body);
  Poco::InflatingInputStream inflate(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::string unpacked;
  Poco::StreamCopier::copyToString(inflate, unpacked);
  EXPECT_EQ(unpacked, first.body);
}

TEST(WebClient, NothingButTheClientsFilesIsReachable) {
  WebScene s;
  for (const char* path : {"/static/notes.txt", "/static/index.html", "/static/..%2Fweb%2Fapp.js",
                           "/static/missing.js", "/static/", "/communication/", "/web/app.js"})
    EXPECT_EQ(s.http.get(path).status, 404) << path;
  EXPECT_EQ(s.http.post("/static/app.js", "{}").status, 405);
}

// A wrong address typed in a browser gets the page (which says so) with a 404; programs and
// anything under /api/ keep the API's JSON 404.
TEST(WebClient, AnUnknownAddressGivesPeopleThePageWith404AndProgramsJson) {
  WebScene s;
  const std::map<std::string, std::string> browser{{"Accept", "text/html,application/xhtml+xml"}};
  const auto page = s.http.request("GET", "/dashboard", "", browser);
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.body, "<!doctype html><title>t</title>");
  EXPECT_EQ(page.headers.at("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.headers.at("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  for (const auto& [path, headers] : {std::pair{"/dashboard", std::map<std::string, std::string>{}},
                                      std::pair{"/api/nothing/", browser}}) {
    const auto answer = s.http.request("GET", path, "", headers);
    EXPECT_EQ(answer.status, 404) << path;
    EXPECT_EQ(answer.object()->getValue<std::string>("code"), "not_found") << answer.body;
  }
  EXPECT_EQ(s.http.request("POST", "/dashboard", "{}", browser).status, 404);
}

TEST(WebClient, WithoutTilesThePageDrawsPositionsAloneAndLearnsTheUploadLimits) {
  WebScene s;
  const std::string token = ApiClient(s.server.port()).login("boss", ServerProcess::kBossPassword);
  const auto settings = s.http.get("/api/web/settings/", token);
  ASSERT_EQ(settings.status, 200) << settings.body;
  EXPECT_TRUE(settings.object()->isNull("map"));
  const auto limits = settings.object()->getObject("upload_limits");
  for (const char* type : {"file", "voice", "video"})
    EXPECT_GT(limits->getValue<std::int64_t>(type), 0) << type;
  EXPECT_TRUE(settings.object()->getValue<bool>("video_calls"));  // the video plugin is on
  EXPECT_EQ(settings.object()->getValue<int>("position_stale_seconds"), 120);  // the default
  const std::string policy = s.http.get("/").headers.at("Content-Security-Policy");
  EXPECT_NE(policy.find("img-src 'self' blob: data:;"), std::string::npos) << policy;
}

TEST(WebClient, ConfiguredTilesAreOfferedToThePageAndAllowedByItsPolicy) {
  ServerProcess::Options options;
  options.env["FIELDLINK_WEB_MAP_TILES_URL"] = "https://tiles.example.org:8443/osm/{z}/{x}/{y}.png";
  options.env["FIELDLINK_WEB_MAP_ATTRIBUTION"] = "© OpenStreetMap contributors";
  options.env["FIELDLINK_ATTACHMENTS_MAX_BYTES"] = "100000";
  options.env["FIELDLINK_WEB_POSITION_STALE_SECONDS"] = "300";
  options.plugins_enabled = "text,file";
  ServerProcess server(options);
  HttpClient http(server.port());
  const std::string token = ApiClient(server.port()).login("boss", ServerProcess::kBossPassword);
  const auto settings = http.get("/api/web/settings/", token).object();
  const auto map = settings->getObject("map");
  ASSERT_TRUE(map);
  EXPECT_EQ(map->getValue<std::string>("tiles_url"),
            "https://tiles.example.org:8443/osm/{z}/{x}/{y}.png");
  EXPECT_EQ(map->getValue<std::string>("attribution"), "© OpenStreetMap contributors");
  // The smaller of the server's limit and the plugin's.
  EXPECT_EQ(settings->getObject("upload_limits")->getValue<std::int64_t>("file"), 100000);
  EXPECT_FALSE(settings->getValue<bool>("video_calls"));  // no video plugin here
  EXPECT_EQ(settings->getValue<int>("position_stale_seconds"), 300);
  const std::string policy = http.get("/").headers.at("Content-Security-Policy");
  EXPECT_NE(policy.find("img-src 'self' blob: data: https://tiles.example.org:8443;"),
            std::string::npos)
      << policy;
  // The tracking link's page reads it without an account.
  EXPECT_EQ(
      http.get("/api/web/settings/").object()->getObject("map")->getValue<std::string>("tiles_url"),
      "https://tiles.example.org:8443/osm/{z}/{x}/{y}.png");
}

TEST(WebClient, WithoutAClientFolderThePageIsNotFound) {
  ServerProcess::Options options;
  options.env["FIELDLINK_WEB_DIR"] = "/nonexistent/fieldlink-web";
  ServerProcess server(options);
  EXPECT_EQ(HttpClient(server.port()).get("/").status, 404);
  EXPECT_EQ(HttpClient(server.port()).get("/healthz").status, 200);
}

}  // namespace
}  // namespace fieldlink::testing

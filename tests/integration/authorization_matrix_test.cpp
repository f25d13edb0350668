// Runs tests/integration/tables/authorization_matrix.txt: every endpoint and frame type for
// every kind of caller, against a real server. The table is the one place the expected
// answers are written; this file only knows how to make the calls.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>

#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <fieldlink/sdk/time.hpp>

#include "support/media_fixtures.hpp"
#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

const std::vector<std::string> kCallers = {"anonymous", "other_client", "other_technician",
                                           "client",    "technician",   "dispatcher"};
constexpr const char* kMissingId = "999999";

struct Row {
  int line = 0;
  bool fresh_scene_per_cell = false;
  std::string method;  // GET, POST, or WS
  std::string path;
  std::string body;  // "-" for none
  std::vector<std::string> expected;
};

std::vector<Row> readTable() {
  std::ifstream in(std::string(FIELDLINK_SOURCE_DIR) +
                   "/tests/integration/tables/authorization_matrix.txt");
  std::vector<Row> rows;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (Poco::trim(line).empty() || line[0] == '#') continue;
    Poco::StringTokenizer parts(line, "|", Poco::StringTokenizer::TOK_TRIM);
    if (parts.count() != 4) throw std::runtime_error("matrix line " + std::to_string(number));
    Row row;
    row.line = number;
    row.method = parts[0];
    if (!row.method.empty() && row.method[0] == '*') {
      row.fresh_scene_per_cell = true;
      row.method = row.method.substr(1);
    }
    row.path = parts[1];
    row.body = parts[2];
    Poco::StringTokenizer cells(parts[3], " ", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    row.expected.assign(cells.begin(), cells.end());
    if (row.expected.size() != kCallers.size())
      throw std::runtime_error("matrix line " + std::to_string(number) + ": six cells needed");
    rows.push_back(row);
  }
  return rows;
}

ServerProcess::Options withEveryType() {
  ServerProcess::Options options;
  options.plugins_enabled = "text,file,voice,location";
  return options;
}

// A scene with one of each thing the table refers to.
struct World {
  Scene s{withEveryType()};
  std::map<std::string, std::string> ids;

  explicit World(const MediaFixtures& media) {
    const std::string conversation = std::to_string(s.conversation_id);
    ids["{request}"] = std::to_string(s.request_id);
    ids["{conversation}"] = conversation;
    ids["{technician_id}"] = std::to_string(s.technician_id);
    ids["{message}"] = idOf(s.api.sendText(s.client, s.conversation_id, "The tap drips"));
    const auto live_until =
        sdk::formatTime(std::chrono::system_clock::now() + std::chrono::minutes(30));
    ids["{live_message}"] = idOf(s.api.http().post(
        "/api/chat/messages/send_location/",
        "{\"conversation_id\":" + conversation +
            R"(,"latitude":48.85,"longitude":2.35,"live_until":")" + live_until + "\"}",
        s.technician));
    ids["{attachment}"] =
        idOf(postMultipart(s.api.http(), "/api/chat/attachments/?message_type=file", s.client,
                           multipart(media.bytes("notes.txt"), "notes.txt")));
    idOf(s.api.http().post("/api/chat/messages/",
                           "{\"conversation_id\":" + conversation +
                               R"(,"message_type":"file","content":{"attachment_id":)" +
                               ids["{attachment}"] + "}}",
                           s.client));
    const auto notifications = s.api.http().get("/api/notifications/", s.client);
    ids["{notification}"] =
        std::to_string(notifications.array()->getObject(0)->getValue<std::int64_t>("id"));
  }

  static std::string idOf(const HttpResult& created) {
    if (created.status != 201) throw std::runtime_error("scene set-up failed: " + created.body);
    return std::to_string(created.object()->getValue<std::int64_t>("id"));
  }

  std::string tokenOf(const std::string& caller) const {
    if (caller == "other_client") return s.outsider_client;
    if (caller == "other_technician") return s.outsider_technician;
    if (caller == "client") return s.client;
    if (caller == "technician") return s.technician;
    if (caller == "dispatcher") return s.dispatcher;
    return "";
  }

  // The row's text with the placeholders filled; `missing` puts an id that does not exist
  // wherever the row names something of the scene's.
  std::string fill(std::string text, const std::string& caller, bool missing = false) const {
    for (const auto& [placeholder, value] : ids) {
      const bool refers_to_a_thing = placeholder != "{technician_id}";
      Poco::replaceInPlace(text, placeholder,
                           missing && refers_to_a_thing ? std::string(kMissingId) : value);
    }
    Poco::replaceInPlace(text, std::string("{caller}"), caller);
    return text;
  }
};

HttpResult callRest(const World& w, const MediaFixtures& media, const Row& row,
                    const std::string& caller, bool missing) {
  const std::string path = w.fill(row.path, caller, missing);
  std::map<std::string, std::string> headers;
  const std::string token = w.tokenOf(caller);
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  if (row.body.rfind("multipart:", 0) == 0) {
    Poco::StringTokenizer spec(row.body, ":");
    std::map<std::string, std::string> fields;
    if (spec.count() > 2) {
      const std::string field = w.fill(spec[2], caller, missing);
      fields[field.substr(0, field.find('='))] = field.substr(field.find('=') + 1);
    }
    const Multipart form =
        multipart(media.bytes(spec[1]), spec[1], "application/octet-stream", fields);
    headers["Content-Type"] = form.content_type;
    return w.s.api.http().request(row.method, path, form.body, headers);
  }
  const std::string body = row.body == "-" ? "" : w.fill(row.body, caller, missing);
  if (row.method == "POST") headers["Content-Type"] = "application/json";
  return w.s.api.http().request(row.method, path, body, headers);
}

std::string callWebSocket(const World& w, const Row& row, const std::string& caller) {
  const std::string token = w.tokenOf(caller);
  WsClient ws(w.s.server.port(),
              w.fill(row.path, caller) + (token.empty() ? "" : "?token=" + token));
  if (ws.status() != 101) return "http:" + std::to_string(ws.status());
  if (row.body != "-") ws.sendJson(w.fill(row.body, caller));
  ws.sendJson(R"({"type":"ping"})");
  const bool wants_ack = row.body.find("\"client_id\"") != std::string::npos;
  bool ponged = false;
  for (;;) {
    const auto frame = ws.next();
    if (!frame) return ws.closed() ? "close:" + std::to_string(ws.closeCode()) : "timeout";
    const std::string type = frame->optValue<std::string>("type", "");
    if (type == "error") return "error:" + frame->optValue<std::string>("code", "");
    if (type == "pong") ponged = true;
    if (type == "ack") return "ok";
    if (ponged && !wants_ack) return row.body == "-" ? "open" : "ok";
  }
}

// gtest prints parameters; a row is best named by its line in the table.
void PrintTo(const Row& row, std::ostream* out) { *out << "matrix line " << row.line; }

class AuthorizationMatrix : public ::testing::TestWithParam<Row> {
 protected:
  static void SetUpTestSuite() { media = new MediaFixtures; }
  static void TearDownTestSuite() {
    delete media;
    media = nullptr;
  }
  static MediaFixtures* media;
};
MediaFixtures* AuthorizationMatrix::media = nullptr;

TEST_P(AuthorizationMatrix, EveryCallerGetsTheAnswerTheTableGives) {
  const Row& row = GetParam();
  std::unique_ptr<World> shared;
  for (std::size_t i = 0; i < kCallers.size(); ++i) {
    const std::string& caller = kCallers[i];
    SCOPED_TRACE("line " + std::to_string(row.line) + ", " + caller);
    if (!shared || row.fresh_scene_per_cell) shared = std::make_unique<World>(*media);
    const World& w = *shared;
    if (row.method == "WS") {
      EXPECT_EQ(callWebSocket(w, row, caller), row.expected[i]);
      continue;
    }
    const HttpResult answer = callRest(w, *media, row, caller, false);
    EXPECT_EQ(std::to_string(answer.status), row.expected[i]) << answer.body;
    // An outsider learns nothing from a refusal: the same call on something that does not
    // exist is answered the same way. (The parties know the request exists, and dispatchers
    // see every request.)
    const bool outsider = caller == "other_client" || caller == "other_technician";
    const bool names_a_thing = row.path.find('{') != std::string::npos;
    if (outsider && names_a_thing && (answer.status == 403 || answer.status == 404)) {
      const HttpResult missing = callRest(w, *media, row, caller, true);
      EXPECT_EQ(missing.status, answer.status) << missing.body;
      EXPECT_EQ(missing.code(), answer.code());
    }
  }
}

std::string rowName(const ::testing::TestParamInfo<Row>& info) {
  std::string name = "line" + std::to_string(info.param.line) + "_" + info.param.method;
  for (char c : info.param.path) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Table, AuthorizationMatrix, ::testing::ValuesIn(readTable()), rowName);

}  // namespace
}  // namespace fieldlink::testing

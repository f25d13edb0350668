// Every refusal the REST API promises: 401, 403, 404, 400, 405, 409, 413, 415, and that a
// refused call changes nothing.
#include <gtest/gtest.h>

#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include "support/scene.hpp"

namespace fieldlink::testing {
namespace {

struct Call {
  const char* method;
  std::string path;
  std::string body;
};

std::vector<Call> authenticatedCalls(const Scene& s) {
  const std::string r = std::to_string(s.request_id);
  const std::string c = std::to_string(s.conversation_id);
  return {
      {"GET", "/api/users/me/", ""},
      {"POST", "/api/users/",
       R"({"username":"x","password":"password-123","display_name":"x","role":"client"})"},
      {"GET", "/api/requests/", ""},
      {"POST", "/api/requests/", R"({"title":"t"})"},
      {"GET", "/api/requests/" + r + "/", ""},
      {"POST", "/api/requests/" + r + "/assign/",
       "{\"technician_id\":" + std::to_string(s.technician_id) + "}"},
      {"POST", "/api/requests/" + r + "/status/", R"({"status":"en_route"})"},
      {"GET", "/api/chat/conversations/", ""},
      {"GET", "/api/chat/conversations/" + c + "/", ""},
      {"POST", "/api/chat/messages/",
       "{\"conversation_id\":" + c + R"(,"message_type":"text","content":{"text":"hi"}})"},
      {"GET", "/api/chat/messages/conversation_messages/?conversation_id=" + c, ""},
      {"POST", "/api/chat/messages/mark_read/", "{\"conversation_id\":" + c + ",\"message_id\":1}"},
      {"GET", "/api/plugins/", ""},
      {"POST", "/api/chat/attachments/", ""},
      {"GET", "/api/chat/attachments/1/", ""},
      {"POST", "/api/chat/messages/send_voice/", ""},
      {"POST", "/api/tracking/" + r + "/position/", R"({"latitude":1,"longitude":1})"},
      {"GET", "/api/tracking/" + r + "/", ""},
      {"GET", "/api/notifications/", ""},
      {"POST", "/api/notifications/1/read/", ""},
      {"POST", "/api/chat/messages/send_location/",
       "{\"conversation_id\":" + c + R"(,"latitude":1,"longitude":1})"},
  };
}

HttpResult perform(const Scene& s, const Call& call,
                   const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> headers = extra;
  if (call.method == std::string("POST")) headers["Content-Type"] = "application/json";
  return s.api.http().request(call.method, call.path, call.body, headers);
}

std::string signedToken(const std::string& secret, std::int64_t user, const std::string& type,
                        std::int64_t exp) {
  Poco::JWT::Token token;
  token.setSubject(std::to_string(user));
  token.payload().set("token_type", type);
  token.payload().set("exp", static_cast<Poco::Int64>(exp));
  return Poco::JWT::Signer(secret).sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::int64_t messageCount(const Scene& s) {
  return static_cast<std::int64_t>(
      s.api.http()
          .get("/api/chat/messages/conversation_messages/?limit=200&conversation_id=" +
                   std::to_string(s.conversation_id),
               s.client)
          .object()
          ->getArray("results")
          ->size());
}

class Refusals : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { scene = new Scene(); }
  static void TearDownTestSuite() { delete scene; }
  static Scene* scene;
};
Scene* Refusals::scene = nullptr;

TEST_F(Refusals, EveryEndpointNeedsAValidToken) {
  const std::string secret = ServerProcess::baseEnvironment().at("FIELDLINK_AUTH_JWT_SECRET");
  const std::int64_t now = Poco::Timestamp().epochTime();
  const std::map<std::string, std::map<std::string, std::string>> variants = {
      {"no token", {}},
      {"not a JWT", {{"Authorization", "Bearer not-a-token"}}},
      {"wrong scheme", {{"Authorization", "Token " + scene->client}}},
      {"expired",
       {{"Authorization", "Bearer " + signedToken(secret, scene->client_id, "access", now - 5)}}},
      {"foreign secret",
       {{"Authorization",
         "Bearer " + signedToken(std::string(40, 'z'), scene->client_id, "access", now + 600)}}},
      {"refresh as access",
       {{"Authorization",
         "Bearer " + signedToken(secret, scene->client_id, "refresh", now + 600)}}},
      {"deleted user",
       {{"Authorization", "Bearer " + signedToken(secret, 999999, "access", now + 600)}}},
  };
  const auto before = messageCount(*scene);
  for (const auto& call : authenticatedCalls(*scene)) {
    for (const auto& [name, headers] : variants) {
      const auto r = perform(*scene, call, headers);
      EXPECT_EQ(r.status, 401) << call.method << " " << call.path << " with " << name << ": "
                               << r.body;
      EXPECT_FALSE(r.code().empty());
    }
  }
  EXPECT_EQ(messageCount(*scene), before);
}

TEST_F(Refusals, OutsidersSeeNotFoundNotForbidden) {
  const std::string r = std::to_string(scene->request_id);
  const std::string c = std::to_string(scene->conversation_id);
  for (const auto* token : {&scene->outsider_client, &scene->outsider_technician}) {
    EXPECT_EQ(scene->api.http().get("/api/requests/" + r + "/", *token).status, 404);
    EXPECT_EQ(scene->api.http().get("/api/chat/conversations/" + c + "/", *token).status, 404);
    EXPECT_EQ(scene->api.http()
                  .get("/api/chat/messages/conversation_messages/?conversation_id=" + c, *token)
                  .status,
              404);
    EXPECT_EQ(scene->api.sendText(*token, scene->conversation_id, "let me in").status, 404);
    EXPECT_EQ(scene->api.http()
                  .post("/api/chat/messages/mark_read/",
                        "{\"conversation_id\":" + c + ",\"message_id\":1}", *token)
                  .status,
              404);
    EXPECT_EQ(scene->api.http()
                  .post("/api/requests/" + r + "/status/", R"({"status":"cancelled"})", *token)
                  .status,
              404);
  }
  // Does not exist and not yours answer alike.
  EXPECT_EQ(scene->api.http().get("/api/requests/999999/", scene->outsider_client).body,
            scene->api.http().get("/api/requests/" + r + "/", scene->outsider_client).body);
  const auto request = scene->api.http().get("/api/requests/" + r + "/", scene->client).object();
  EXPECT_EQ(request->getValue<std::string>("status"), "assigned");
}

TEST_F(Refusals, RolesAreEnforced) {
  const std::string r = std::to_string(scene->request_id);
  auto& http = scene->api.http();
  EXPECT_EQ(
      http.post("/api/requests/" + r + "/assign/",
                "{\"technician_id\":" + std::to_string(scene->technician_id) + "}", scene->client)
          .status,
      403);
  EXPECT_EQ(http.post("/api/requests/" + r + "/assign/",
                      "{\"technician_id\":" + std::to_string(scene->technician_id) + "}",
                      scene->technician)
                .status,
            403);
  EXPECT_EQ(http.post("/api/requests/" + r + "/status/", R"({"status":"cancelled"})", scene->client)
                .status,
            403);
  EXPECT_EQ(http.post("/api/requests/", R"({"title":"t"})", scene->technician).status, 403);
  EXPECT_EQ(http.post("/api/requests/", R"({"title":"t"})", scene->dispatcher).status, 403);
  EXPECT_EQ(
      http.post(
              "/api/users/",
              R"({"username":"evil","password":"password-123","display_name":"e","role":"dispatcher"})",
              scene->client)
          .status,
      403);
  EXPECT_EQ(http.get("/api/plugins/", scene->technician).status, 403);
  EXPECT_EQ(http.post("/api/token/", R"({"username":"evil","password":"password-123"})").status,
            401);
  EXPECT_EQ(
      http.get("/api/requests/" + r + "/", scene->client).object()->getValue<std::string>("status"),
      "assigned");
}

TEST_F(Refusals, BadInputIs400WithTheField) {
  auto& http = scene->api.http();
  const std::string c = std::to_string(scene->conversation_id);
  struct Case {
    std::string path, body, field;
  };
  const std::vector<Case> cases = {
      {"/api/chat/messages/",
       "{\"conversation_id\":\"" + c + R"(","message_type":"text","content":{"text":"x"}})",
       "conversation_id"},
      {"/api/chat/messages/",
       "{\"conversation_id\":" + c + R"(,"message_type":"text","content":"x"})", "content"},
      {"/api/chat/messages/",
       "{\"conversation_id\":" + c + R"(,"message_type":"text","content":{"text":""}})",
       "content.text"},
      {"/api/chat/messages/",
       "{\"conversation_id\":" + c + R"(,"message_type":"text","content":{"text":5}})",
       "content.text"},
      {"/api/chat/messages/",
       "{\"conversation_id\":" + c +
           R"(,"message_type":"text","content":{"text":"x"},"client_id":"has space"})",
       "client_id"},
      {"/api/chat/messages/",
       "{\"conversation_id\":" + c + R"(,"message_type":"system","content":{"text":"x"}})",
       "message_type"},
      {"/api/chat/messages/", "{\"conversation_id\":" + c + R"(,"content":{"text":"x"}})",
       "message_type"},
      {"/api/chat/messages/mark_read/", "{\"conversation_id\":" + c + ",\"message_id\":999999}",
       "message_id"},
      {"/api/requests/", R"({"title":""})", "title"},
      {"/api/requests/", R"({"title":"t","latitude":91,"longitude":0})", "latitude"},
      {"/api/requests/", R"({"title":"t","latitude":45})", "longitude"},
      {"/api/requests/", R"({"title":["t"]})", "title"},
  };
  const std::map<std::string, std::string> token_of = {{"/api/requests/", scene->client}};
  const auto before = messageCount(*scene);
  for (const auto& k : cases) {
    const auto it = token_of.find(k.path);
    const auto r = http.post(k.path, k.body, it == token_of.end() ? scene->client : it->second);
    EXPECT_EQ(r.status, 400) << k.body << " -> " << r.body;
    const auto fields = r.object()->getObject("fields");
    EXPECT_TRUE(fields && fields->has(k.field)) << k.body << " -> " << r.body;
  }
  EXPECT_EQ(messageCount(*scene), before);
  EXPECT_EQ(http.get("/api/requests/", scene->client).array()->size(), 1u);
}

TEST_F(Refusals, MalformedJsonAndWrongShapesAre400) {
  auto& http = scene->api.http();
  for (const std::string body : {"{", "not json", "[1,2]", "\"text\"", "null", "{\"a\":}"}) {
    const auto r = http.post("/api/chat/messages/", body, scene->client);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.code(), "parse_error") << body;
  }
  EXPECT_EQ(
      http.post("/api/requests/1/status/", R"({"status":"flying"})", scene->technician).status,
      400);
  EXPECT_EQ(http.get("/api/chat/messages/conversation_messages/?conversation_id=" +
                         std::to_string(scene->conversation_id) + "&limit=500",
                     scene->client)
                .status,
            400);
  EXPECT_EQ(http.get("/api/chat/messages/conversation_messages/?conversation_id=abc", scene->client)
                .status,
            400);
  EXPECT_EQ(http.get("/api/chat/messages/conversation_messages/", scene->client).status, 400);
}

TEST_F(Refusals, UnknownMessageTypeHasItsCode) {
  const auto r =
      scene->api.http().post("/api/chat/messages/",
                             "{\"conversation_id\":" + std::to_string(scene->conversation_id) +
                                 R"(,"message_type":"hologram","content":{}})",
                             scene->client);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "unknown_message_type");
}

TEST_F(Refusals, OversizeBodyIs413AndChangesNothing) {
  const auto before = messageCount(*scene);
  const auto r =
      scene->api.sendText(scene->client, scene->conversation_id, std::string(2 << 20, 'a'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.code(), "too_large");
  // Over the text plugin's own limit but under the body limit: 400, not 413.
  EXPECT_EQ(
      scene->api.sendText(scene->client, scene->conversation_id, std::string(5000, 'a')).status,
      400);
  EXPECT_EQ(messageCount(*scene), before);
}

TEST_F(Refusals, NonJsonContentTypeIs415) {
  const auto r =
      scene->api.http().request("POST", "/api/chat/messages/", "conversation_id=1&text=hi",
                                {{"Content-Type", "application/x-www-form-urlencoded"},
                                 {"Authorization", "Bearer " + scene->client}});
  EXPECT_EQ(r.status, 415);
}

TEST_F(Refusals, UnknownPathIs404AndWrongMethodIs405) {
  EXPECT_EQ(scene->api.http().get("/api/nothing/", scene->client).status, 404);
  EXPECT_EQ(
      scene->api.http()
          .request("DELETE", "/api/requests/", "", {{"Authorization", "Bearer " + scene->client}})
          .status,
      405);
  EXPECT_EQ(scene->api.http().get("/api/requests/abc/", scene->client).status, 404);
}

TEST_F(Refusals, DuplicateUsernameIs409) {
  const auto r = scene->api.http().post(
      "/api/auth/register/",
      R"({"username":"ALICE","password":"password-123","display_name":"A"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.code(), "username_taken");
}

TEST_F(Refusals, ClientIdReusedInAnotherConversationIs409) {
  Scene other;  // separate server: a second conversation for the same client needs its own job
  const auto second =
      other.api.createRequest(other.client, "Second job")->getValue<std::int64_t>("id");
  const auto conv2 = other.api.assign(other.dispatcher, second, other.technician_id)
                         ->getValue<std::int64_t>("conversation_id");
  ASSERT_EQ(other.api.sendText(other.client, other.conversation_id, "a", "same").status, 201);
  const auto r = other.api.sendText(other.client, conv2, "b", "same");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.code(), "client_id_reused");
}

TEST_F(Refusals, ErrorsNeverLeakInternals) {
  const auto r = scene->api.http().post(
      "/api/chat/messages/", "{\"conversation_id\":99999999999999999999}", scene->client);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.body.find("Exception"), std::string::npos);
}

}  // namespace
}  // namespace fieldlink::testing

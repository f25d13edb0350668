// The whole REST flow of a job, against a running fieldlinkd.
#include <gtest/gtest.h>

#include <map>

#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

std::string historyPath(std::int64_t conversation, const std::string& extra = "") {
  return "/api/chat/messages/conversation_messages/?conversation_id=" +
         std::to_string(conversation) + extra;
}

TEST(RestFlow, RegisterLoginAndMe) {
  ServerProcess server;
  ApiClient api(server.port());
  const auto user = api.registerClient("zoe");
  EXPECT_EQ(user->getValue<std::string>("role"), "client");
  EXPECT_FALSE(user->has("password"));
  EXPECT_FALSE(user->has("password_hash"));
  const auto me = api.http().get("/api/users/me/", api.login("zoe"));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.object()->getValue<std::string>("username"), "zoe");
}

TEST(RestFlow, RefreshTokenGivesAWorkingAccessToken) {
  ServerProcess server;
  ApiClient api(server.port());
  api.registerClient("zoe");
  const auto tokens =
      api.http().post("/api/token/", R"({"username":"zoe","password":"password-123"})");
  ASSERT_EQ(tokens.status, 200);
  const auto refreshed = api.http().post(
      "/api/token/refresh/",
      "{\"refresh\":" + jsonString(tokens.object()->getValue<std::string>("refresh")) + "}");
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(
      api.http().get("/api/users/me/", refreshed.object()->getValue<std::string>("access")).status,
      200);
  // The refresh token itself is not an access token.
  EXPECT_EQ(
      api.http().get("/api/users/me/", tokens.object()->getValue<std::string>("refresh")).status,
      401);
}

TEST(RestFlow, AssignmentCreatesTheConversationWithASystemMessage) {
  Scene scene;
  const auto request =
      scene.api.http().get("/api/requests/" + std::to_string(scene.request_id) + "/", scene.client);
  ASSERT_EQ(request.status, 200);
  const auto r = request.object();
  EXPECT_EQ(r->getValue<std::string>("status"), "assigned");
  EXPECT_EQ(r->getValue<std::int64_t>("technician_id"), scene.technician_id);
  EXPECT_EQ(r->getValue<std::int64_t>("conversation_id"), scene.conversation_id);

  const auto history = scene.api.http().get(historyPath(scene.conversation_id), scene.technician);
  ASSERT_EQ(history.status, 200);
  const auto results = history.object()->getArray("results");
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ(results->getObject(0)->getValue<std::string>("message_type"), "system");
  EXPECT_TRUE(results->getObject(0)->isNull("sender_id"));
}

TEST(RestFlow, SendAndReadBackText) {
  Scene scene;
  const auto sent =
      scene.api.sendText(scene.client, scene.conversation_id, "  The boiler is leaking  ");
  ASSERT_EQ(sent.status, 201) << sent.body;
  const auto m = sent.object();
  EXPECT_EQ(m->getObject("content")->getValue<std::string>("text"), "The boiler is leaking");
  EXPECT_EQ(m->getValue<std::int64_t>("sender_id"), scene.client_id);
  EXPECT_EQ(m->getValue<std::string>("message_type"), "text");
  EXPECT_EQ(m->getValue<std::string>("created_at").size(), 24u);  // 2026-11-24T10:15:30.123Z

  const auto history = scene.api.http().get(historyPath(scene.conversation_id), scene.technician);
  const auto results = history.object()->getArray("results");
  EXPECT_EQ(results->getObject(results->size() - 1)->getValue<std::int64_t>("id"),
            m->getValue<std::int64_t>("id"));
}

TEST(RestFlow, ResendWithSameClientIdReturnsFirstMessage) {
  Scene scene;
  const auto first = scene.api.sendText(scene.client, scene.conversation_id, "once", "c-1");
  ASSERT_EQ(first.status, 201);
  const auto again = scene.api.sendText(scene.client, scene.conversation_id, "twice?", "c-1");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.object()->getValue<std::int64_t>("id"),
            first.object()->getValue<std::int64_t>("id"));
  EXPECT_EQ(again.object()->getObject("content")->getValue<std::string>("text"), "once");
  // Another sender may use the same client_id.
  EXPECT_EQ(scene.api.sendText(scene.technician, scene.conversation_id, "mine", "c-1").status, 201);
  const auto history = scene.api.http().get(historyPath(scene.conversation_id), scene.client);
  EXPECT_EQ(history.object()->getArray("results")->size(), 3u);  // system + once + mine
}

TEST(RestFlow, HistoryPaginatesBothWays) {
  Scene scene;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 9; ++i)
    ids.push_back(scene.api.sendText(scene.client, scene.conversation_id, "m" + std::to_string(i))
                      .object()
                      ->getValue<std::int64_t>("id"));
  auto page =
      scene.api.http().get(historyPath(scene.conversation_id, "&limit=4"), scene.client).object();
  auto results = page->getArray("results");
  ASSERT_EQ(results->size(), 4u);
  EXPECT_EQ(results->getObject(0)->getValue<std::int64_t>("id"), ids[5]);
  EXPECT_TRUE(page->getValue<bool>("has_more"));

  page =
      scene.api.http()
          .get(historyPath(scene.conversation_id, "&limit=4&before_id=" + std::to_string(ids[5])),
               scene.client)
          .object();
  results = page->getArray("results");
  EXPECT_EQ(results->getObject(0)->getValue<std::int64_t>("id"), ids[1]);
  EXPECT_EQ(results->getObject(3)->getValue<std::int64_t>("id"), ids[4]);

  page = scene.api.http()
             .get(historyPath(scene.conversation_id, "&after_id=" + std::to_string(ids[6])),
                  scene.client)
             .object();
  results = page->getArray("results");
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ(results->getObject(0)->getValue<std::int64_t>("id"), ids[7]);
  EXPECT_FALSE(page->getValue<bool>("has_more"));
}

TEST(RestFlow, MarkReadUpdatesUnreadCounts) {
  Scene scene;
  scene.api.sendText(scene.client, scene.conversation_id, "one");
  const auto two = scene.api.sendText(scene.client, scene.conversation_id, "two").object();
  auto list = scene.api.http().get("/api/chat/conversations/", scene.technician).array();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->getObject(0)->getValue<int>("unread_count"), 3);  // system message + two
  EXPECT_EQ(list->getObject(0)->getObject("last_message")->getValue<std::int64_t>("id"),
            two->getValue<std::int64_t>("id"));

  const auto marked = scene.api.http().post(
      "/api/chat/messages/mark_read/",
      "{\"conversation_id\":" + std::to_string(scene.conversation_id) +
          ",\"message_id\":" + std::to_string(two->getValue<std::int64_t>("id")) + "}",
      scene.technician);
  ASSERT_EQ(marked.status, 200) << marked.body;
  EXPECT_EQ(marked.object()->getValue<int>("unread_count"), 0);
  list = scene.api.http().get("/api/chat/conversations/", scene.technician).array();
  EXPECT_EQ(list->getObject(0)->getValue<int>("unread_count"), 0);
  // The sender's own messages were never unread for them; the system message was.
  list = scene.api.http().get("/api/chat/conversations/", scene.client).array();
  EXPECT_EQ(list->getObject(0)->getValue<int>("unread_count"), 1);
}

TEST(RestFlow, AConversationNamesItsPeopleWithTheirPhones) {
  Scene scene;
  const auto created = scene.api.http().post(
      "/api/users/",
      R"({"username":"tina","password":"password-123","display_name":"Tina Tech",)"
      R"("role":"technician","phone":"+33 6 11 22 33 44"})",
      scene.dispatcher);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto tina = created.object()->getValue<std::int64_t>("id");
  const auto request =
      scene.api.createRequest(scene.client, "Radiator")->getValue<std::int64_t>("id");
  const auto conversation =
      scene.api.assign(scene.dispatcher, request, tina)->getValue<std::int64_t>("conversation_id");
  const auto view =
      scene.api.http()
          .get("/api/chat/conversations/" + std::to_string(conversation) + "/", scene.client)
          .object();
  const auto people = view->getArray("participants");  // the client, Tina, the dispatcher
  ASSERT_EQ(people->size(), 3u);
  bool found = false;
  for (std::size_t i = 0; i < people->size(); ++i) {
    const auto person = people->getObject(static_cast<unsigned>(i));
    if (person->getValue<std::int64_t>("user_id") != tina) continue;
    found = true;
    EXPECT_EQ(person->getValue<std::string>("display_name"), "Tina Tech");
    EXPECT_EQ(person->getValue<std::string>("phone"), "+33 6 11 22 33 44");
    EXPECT_EQ(person->getValue<std::string>("role"), "technician");
  }
  EXPECT_TRUE(found);
  // Outsiders still learn nothing, not even that it exists.
  EXPECT_EQ(scene.api.http()
                .get("/api/chat/conversations/" + std::to_string(conversation) + "/",
                     scene.outsider_client)
                .status,
            404);
}

TEST(RestFlow, StatusChangesAppearAsSystemMessages) {
  Scene scene;
  const std::string path = "/api/requests/" + std::to_string(scene.request_id) + "/status/";
  for (const char* status : {"en_route", "on_site", "completed"}) {
    const auto r = scene.api.http().post(path, std::string("{\"status\":\"") + status + "\"}",
                                         scene.technician);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.object()->getValue<std::string>("status"), status);
  }
  const auto results = scene.api.http()
                           .get(historyPath(scene.conversation_id), scene.client)
                           .object()
                           ->getArray("results");
  ASSERT_EQ(results->size(), 4u);
  EXPECT_EQ(results->getObject(3)->getObject("content")->getValue<std::string>("status"),
            "completed");
  // Completed is final.
  const auto again = scene.api.http().post(path, R"({"status":"en_route"})", scene.technician);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.code(), "invalid_transition");
}

TEST(RestFlow, RequestListsFollowRoles) {
  Scene scene;
  scene.api.createRequest(scene.outsider_client, "Someone else's job");
  EXPECT_EQ(scene.api.http().get("/api/requests/", scene.client).array()->size(), 1u);
  EXPECT_EQ(scene.api.http().get("/api/requests/", scene.technician).array()->size(), 1u);
  EXPECT_EQ(scene.api.http().get("/api/requests/", scene.outsider_technician).array()->size(), 0u);
  EXPECT_EQ(scene.api.http().get("/api/requests/", scene.dispatcher).array()->size(), 2u);
}

std::vector<std::string> titlesOf(const HttpResult& list) {
  EXPECT_EQ(list.status, 200) << list.body;
  std::vector<std::string> titles;
  if (list.status != 200) return titles;
  for (std::size_t i = 0; i < list.array()->size(); ++i)
    titles.push_back(list.array()->getObject(i)->getValue<std::string>("title"));
  return titles;
}

TEST(RestFlow, RequestListsAreFilteredByStatusAndOrdered) {
  Scene scene;  // "Boiler is broken", assigned to tom
  scene.api.createRequest(scene.client, "Dripping tap");
  scene.api.createRequest(scene.outsider_client, "No hot water");
  const auto list = [&](const std::string& query, const std::string& token) {
    return titlesOf(scene.api.http().get("/api/requests/" + query, token));
  };
  // The dispatcher's queue: what waits for a technician, oldest first.
  EXPECT_EQ(list("?status=pending&order=created_at", scene.dispatcher),
            (std::vector<std::string>{"Dripping tap", "No hot water"}));
  EXPECT_EQ(list("?status=pending,assigned", scene.dispatcher),
            (std::vector<std::string>{"No hot water", "Dripping tap", "Boiler is broken"}));
  EXPECT_EQ(list("?status=assigned", scene.dispatcher),
            (std::vector<std::string>{"Boiler is broken"}));
  EXPECT_EQ(list("?status=completed", scene.dispatcher), std::vector<std::string>{});
  EXPECT_EQ(list("?status=assigned,assigned,assigned", scene.dispatcher),
            (std::vector<std::string>{"Boiler is broken"}));
  // Within what each may see.
  EXPECT_EQ(list("?status=pending", scene.client), (std::vector<std::string>{"Dripping tap"}));
  EXPECT_EQ(list("?status=pending", scene.technician), std::vector<std::string>{});
  for (const char* bad : {"?status=finished", "?status=", "?status=pending,,", "?order=title"}) {
    const auto refused =
        scene.api.http().get(std::string("/api/requests/") + bad, scene.dispatcher);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_EQ(refused.code(), "invalid") << bad;
  }
}

// A conversation list comes a page at a time, most recently active first: the body is the
// plain list it always was, and a Link header names the next page until the last. The
// dashboard's rows are paged the same way, its totals still over every conversation.
TEST(RestFlow, ConversationListsComeInPagesWithALinkToTheNext) {
  Scene scene;  // one conversation already
  std::vector<std::int64_t> newest_first{scene.conversation_id};
  for (int i = 0; i < 4; ++i) {
    const auto request = scene.api.createRequest(scene.client, "Job " + std::to_string(i));
    newest_first.insert(
        newest_first.begin(),
        scene.api
            .assign(scene.dispatcher, request->getValue<std::int64_t>("id"), scene.technician_id)
            ->getValue<std::int64_t>("conversation_id"));
  }
  const auto& http = scene.api.http();
  const auto follow = [&](std::string path, std::size_t per_page) {
    std::vector<std::int64_t> ids;
    for (int pages = 0; pages < 10; ++pages) {
      const auto page = http.get(path, scene.technician);
      EXPECT_EQ(page.status, 200) << page.body;
      if (page.status != 200) break;
      EXPECT_LE(page.array()->size(), per_page);
      for (std::size_t i = 0; i < page.array()->size(); ++i)
        ids.push_back(page.array()->getObject(i)->getValue<std::int64_t>("id"));
      const auto link = page.headers.find("Link");
      if (link == page.headers.end()) break;
      EXPECT_EQ(link->second.find("<"), 0u) << link->second;
      EXPECT_NE(link->second.find(">; rel=\"next\""), std::string::npos) << link->second;
      path = link->second.substr(1, link->second.find('>') - 1);
    }
    return ids;
  };
  EXPECT_EQ(follow("/api/chat/conversations/?limit=2", 2), newest_first);
  EXPECT_EQ(follow("/api/chat/conversations/", 50), newest_first) << "one page, no link";
  EXPECT_EQ(follow("/api/chat/conversations/?status=completed", 50), std::vector<std::int64_t>{});
  for (const char* bad : {"?limit=0", "?limit=201", "?limit=two", "?cursor=abc", "?cursor=1.0",
                          "?cursor=-1.5", "?status=done"}) {
    const auto refused = http.get(std::string("/api/chat/conversations/") + bad, scene.technician);
    EXPECT_EQ(refused.status, 400) << bad << " " << refused.body;
  }
  EXPECT_EQ(http.get("/api/chat/conversations/?cursor=abc", scene.technician).code(),
            "invalid_cursor");

  std::vector<std::int64_t> rows;
  std::string path = "/api/chat/dashboard/?limit=3";
  for (int pages = 0; pages < 10 && !path.empty(); ++pages) {
    const auto page = http.get(path, scene.technician);
    ASSERT_EQ(page.status, 200) << page.body;
    const auto body = page.object();
    EXPECT_EQ(body->getValue<std::int64_t>("conversation_count"), 5);
    const auto list = body->getArray("conversations");
    EXPECT_LE(list->size(), 3u);
    for (std::size_t i = 0; i < list->size(); ++i)
      rows.push_back(list->getObject(i)->getValue<std::int64_t>("conversation_id"));
    path = body->isNull("next") ? "" : body->getValue<std::string>("next");
  }
  EXPECT_EQ(rows, newest_first);
}

TEST(RestFlow, TheDispatchersDirectoryShowsOpenJobsAndWhoIsConnected) {
  Scene scene;  // tom has the scene's job; ted has none
  const auto technicians = [&] {
    std::map<std::string, Poco::JSON::Object::Ptr> by_name;
    const auto answer = scene.api.http().get("/api/users/?role=technician", scene.dispatcher);
    EXPECT_EQ(answer.status, 200) << answer.body;
    for (std::size_t i = 0; answer.status == 200 && i < answer.array()->size(); ++i) {
      const auto user = answer.array()->getObject(i);
      EXPECT_EQ(user->getValue<std::string>("role"), "technician");
      by_name[user->getValue<std::string>("username")] = user;
    }
    return by_name;
  };
  auto now = technicians();
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now["tom"]->getValue<std::int64_t>("open_requests"), 1);
  EXPECT_EQ(now["ted"]->getValue<std::int64_t>("open_requests"), 0);
  EXPECT_FALSE(now["tom"]->getValue<bool>("online"));
  EXPECT_FALSE(now["tom"]->getValue<bool>("disabled"));

  {
    WsClient tom(scene.server.port(), "/ws/?token=" + scene.technician);
    ASSERT_EQ(tom.status(), 101);
    EXPECT_TRUE(technicians()["tom"]->getValue<bool>("online"));
    EXPECT_FALSE(technicians()["ted"]->getValue<bool>("online"));
  }
  const std::string status = "/api/requests/" + std::to_string(scene.request_id) + "/status/";
  ASSERT_EQ(scene.api.http().post(status, R"({"status":"completed"})", scene.technician).status,
            200);
  EXPECT_EQ(technicians()["tom"]->getValue<std::int64_t>("open_requests"), 0);
  // Every account without a role; a role that does not exist is refused.
  EXPECT_EQ(scene.api.http().get("/api/users/", scene.dispatcher).array()->size(), 5u);
  EXPECT_EQ(scene.api.http().get("/api/users/?role=boss", scene.dispatcher).status, 400);
}

TEST(RestFlow, ReassignmentHandsTheConversationOver) {
  Scene scene;
  const auto ted = scene.api.http().get("/api/users/me/", scene.outsider_technician).object();
  scene.api.assign(scene.dispatcher, scene.request_id, ted->getValue<std::int64_t>("id"));
  EXPECT_EQ(
      scene.api.sendText(scene.outsider_technician, scene.conversation_id, "I take over").status,
      201);
  EXPECT_EQ(scene.api.sendText(scene.technician, scene.conversation_id, "still here?").status, 404);
}

TEST(RestFlow, DispatcherCreatesStaffAndListsPlugins) {
  Scene scene;
  const auto plugins = scene.api.http().get("/api/plugins/", scene.dispatcher);
  ASSERT_EQ(plugins.status, 200);
  const auto text = plugins.array()->getObject(0);
  EXPECT_EQ(text->getValue<std::string>("name"), "text");
  EXPECT_EQ(text->getValue<std::string>("kind"), "message_type");
  EXPECT_EQ(text->getValue<std::string>("state"), "loaded");
  EXPECT_EQ(scene.api.http().get("/api/plugins/", scene.client).status, 403);
}

}  // namespace
}  // namespace fieldlink::testing

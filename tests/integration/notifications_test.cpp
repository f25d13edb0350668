// Notifications against a running fieldlinkd: made for what happens, stored, listed, marked
// read, and pushed on /ws/.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/scene.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

// Notifications are stored after the event that causes them: poll briefly for them.
std::vector<Poco::JSON::Object::Ptr> notificationsOf(const Scene& s, const std::string& token,
                                                     const std::string& kind,
                                                     std::size_t at_least = 0) {
  std::vector<Poco::JSON::Object::Ptr> found;
  for (int attempt = 0; attempt < 50; ++attempt) {
    found.clear();
    const auto list = s.api.http().get("/api/notifications/", token).array();
    for (std::size_t i = 0; i < list->size(); ++i)
      if (list->getObject(i)->getValue<std::string>("kind") == kind)
        found.push_back(list->getObject(i));
    if (found.size() >= at_least && at_least > 0) break;
    if (at_least == 0 && attempt >= 5) break;  // none expected: give it a moment
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return found;
}

TEST(Notifications, AssignmentAndStatusChangesTellEveryoneButWhoDidIt) {
  Scene s;
  const auto assigned = notificationsOf(s, s.client, "assigned", 1);
  ASSERT_EQ(assigned.size(), 1u);
  EXPECT_EQ(assigned[0]->getValue<std::int64_t>("request_id"), s.request_id);
  EXPECT_EQ(notificationsOf(s, s.technician, "assigned", 1).size(), 1u);
  EXPECT_TRUE(notificationsOf(s, s.dispatcher, "assigned").empty());

  ASSERT_EQ(s.api.http()
                .post("/api/requests/" + std::to_string(s.request_id) + "/status/",
                      R"({"status":"en_route"})", s.technician)
                .status,
            200);
  const auto changed = notificationsOf(s, s.client, "status_changed", 1);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0]->getObject("data")->getValue<std::string>("status"), "en_route");
  EXPECT_TRUE(notificationsOf(s, s.technician, "status_changed").empty());
  EXPECT_TRUE(notificationsOf(s, s.outsider_client, "status_changed").empty());
}

TEST(Notifications, MessagesNotifyOnlyParticipantsWithNoOpenConnection) {
  Scene s;
  ASSERT_EQ(s.api.sendText(s.client, s.conversation_id, "Water everywhere").status, 201);
  const auto offline = notificationsOf(s, s.technician, "message", 1);
  ASSERT_EQ(offline.size(), 1u);
  EXPECT_EQ(offline[0]->getValue<std::string>("body"), "Water everywhere");
  EXPECT_TRUE(notificationsOf(s, s.client, "message").empty());  // not for the sender
  // Nor for the dispatcher, though a participant: dispatchers follow jobs on the dashboard.
  EXPECT_TRUE(notificationsOf(s, s.dispatcher, "message").empty());

  WsClient technician(s.server.port(), "/ws/?token=" + s.technician);
  ASSERT_EQ(s.api.sendText(s.client, s.conversation_id, "Hello?").status, 201);
  ASSERT_TRUE(technician.nextOfType("message"));
  EXPECT_EQ(notificationsOf(s, s.technician, "message").size(), 1u);  // still just the first
}

TEST(Notifications, ArePushedOnTheUsersWebSocketAndCanBeMarkedRead) {
  Scene s;
  WsClient client(s.server.port(), "/ws/?token=" + s.client);
  ASSERT_EQ(s.api.http()
                .post("/api/requests/" + std::to_string(s.request_id) + "/status/",
                      R"({"status":"en_route"})", s.technician)
                .status,
            200);
  // The assignment's notice may still be on its way too: take the status change's.
  Poco::JSON::Object::Ptr notification;
  for (int i = 0; i < 3 && !notification; ++i) {
    const auto pushed = client.nextOfType("notification");
    ASSERT_TRUE(pushed);
    if (pushed->getObject("notification")->getValue<std::string>("kind") == "status_changed")
      notification = pushed->getObject("notification");
  }
  ASSERT_TRUE(notification);
  EXPECT_FALSE(notification->getValue<bool>("read"));
  const std::string read_path =
      "/api/notifications/" + std::to_string(notification->getValue<std::int64_t>("id")) + "/read/";

  // Not someone else's to mark.
  EXPECT_EQ(s.api.http().post(read_path, "", s.technician).status, 404);
  EXPECT_EQ(s.api.http().post(read_path, "", s.client).status, 204);
  EXPECT_EQ(s.api.http().post(read_path, "", s.client).status, 204);  // twice is harmless
  const auto unread = s.api.http().get("/api/notifications/?unread=1", s.client).array();
  for (std::size_t i = 0; i < unread->size(); ++i)
    EXPECT_NE(unread->getObject(i)->getValue<std::int64_t>("id"),
              notification->getValue<std::int64_t>("id"));
  EXPECT_EQ(s.api.http().get("/api/notifications/?unread=2", s.client).status, 400);
}

// The dispatcher's console learns of a new request live, and a notifier can page them.
TEST(Notifications, EveryDispatcherIsToldOfANewRequest) {
  Scene s;
  s.api.createUser(s.dispatcher, "dora", "dispatcher");
  const std::string dora = s.api.login("dora");
  WsClient console(s.server.port(), "/ws/?token=" + dora);
  ASSERT_EQ(console.status(), 101);
  const auto made = s.api.createRequest(s.client, "Radiator cold");
  const auto pushed = console.nextOfType("notification");
  ASSERT_TRUE(pushed);
  const auto notice = pushed->getObject("notification");
  EXPECT_EQ(notice->getValue<std::string>("kind"), "new_request");
  EXPECT_EQ(notice->getValue<std::string>("body"), "Radiator cold");
  EXPECT_EQ(notice->getValue<std::int64_t>("request_id"), made->getValue<std::int64_t>("id"));
  EXPECT_TRUE(notice->isNull("conversation_id"));
  // Both dispatchers (boss was told of the scene's request too), nobody else.
  EXPECT_EQ(notificationsOf(s, s.dispatcher, "new_request", 2).size(), 2u);
  EXPECT_TRUE(notificationsOf(s, s.client, "new_request").empty());
  EXPECT_TRUE(notificationsOf(s, s.technician, "new_request").empty());
}

}  // namespace
}  // namespace fieldlink::testing

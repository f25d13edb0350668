// The webhook notifier against a real local HTTP receiver started by the test.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include "support/scene.hpp"
#include "webhook_signing.hpp"

namespace fieldlink::testing {
namespace {

constexpr const char* kSecret = "webhook-test-secret-123";

struct Received {
  std::string body, timestamp, signature, attempt;
};

// Answers 500 to the first `failures` deliveries, then 204; keeps every one.
class Receiver {
 public:
  explicit Receiver(int failures)
      : failures_(failures),
        socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        server_(new Factory(*this), socket_, new Poco::Net::HTTPServerParams) {
    server_.start();
  }
  ~Receiver() { server_.stop(); }
  int port() const { return socket_.address().port(); }
  std::vector<Received> received() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }
  std::vector<Received> await(std::size_t count) const {
    for (int i = 0; i < 200 && received().size() < count; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return received();
  }

 private:
  struct Handler : Poco::Net::HTTPRequestHandler {
    explicit Handler(Receiver& r) : receiver(r) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      Received r;
      Poco::StreamCopier::copyToString(request.stream(), r.body);
      r.timestamp = request.get("X-Fieldlink-Timestamp", "");
      r.signature = request.get("X-Fieldlink-Signature", "");
      r.attempt = request.get("X-Fieldlink-Attempt", "");
      bool fail;
      {
        std::lock_guard<std::mutex> lock(receiver.mutex_);
        receiver.received_.push_back(r);
        fail = static_cast<int>(receiver.received_.size()) <= receiver.failures_;
      }
      response.setStatus(fail ? Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR
                              : Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      response.send();
    }
    Receiver& receiver;
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    explicit Factory(Receiver& r) : receiver(r) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(receiver);
    }
    Receiver& receiver;
  };

  const int failures_;
  mutable std::mutex mutex_;
  std::vector<Received> received_;
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

// A server whose webhook plugin delivers to `receiver`.
ServerProcess::Options deliveringTo(const Receiver& receiver) {
  ServerProcess::Options options;
  options.plugins_enabled = "text,webhook";
  options.env["FIELDLINK_PLUGINS_WEBHOOK_URLS"] =
      "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hooks/fieldlink";
  options.env["FIELDLINK_PLUGINS_WEBHOOK_SECRET"] = kSecret;
  return options;
}

TEST(Webhook, DeliversSignedNotificationsAndRetriesAfterAFailure) {
  Receiver receiver(1);
  auto options = deliveringTo(receiver);
  options.env["FIELDLINK_PLUGINS_WEBHOOK_INITIAL_BACKOFF_MS"] = "200";
  Scene s(options);  // the assignment notifies the client and the technician

  // The dispatcher's of the new request, one refused, then the assignment's two.
  const auto got = receiver.await(4);
  ASSERT_GE(got.size(), 4u) << s.server.log();
  EXPECT_EQ(got[0].attempt, "1");
  // The refused one came again, marked as a second attempt, with the same body.
  int retries = 0;
  for (std::size_t i = 1; i < got.size(); ++i)
    if (got[i].body == got[0].body && got[i].attempt == "2") ++retries;
  EXPECT_EQ(retries, 1);
  std::set<std::int64_t> users;
  for (const auto& r : got) {
    EXPECT_EQ(r.signature, "sha256=" + webhook::signature(kSecret, r.timestamp, r.body));
    EXPECT_NE(r.signature,
              "sha256=" + webhook::signature("another-secret-12345", r.timestamp, r.body));
    const auto json = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
    if (json->getValue<std::string>("kind") == "assigned")
      users.insert(json->getValue<std::int64_t>("user_id"));
    else
      EXPECT_EQ(json->getValue<std::string>("kind"), "new_request");
  }
  EXPECT_EQ(users, (std::set<std::int64_t>{s.client_id, s.technician_id}));
  // The chat never waited on the receiver: the server answered throughout.
  EXPECT_EQ(s.api.sendText(s.client, s.conversation_id, "still here").status, 201);
}

// What an SMS gateway behind the webhook needs to text the customer a live map.
TEST(Webhook, TheClientsOnTheWayNoticeCarriesATrackingLink) {
  Receiver receiver(0);
  auto options = deliveringTo(receiver);
  options.env["FIELDLINK_SERVER_PUBLIC_URL"] = "https://chat.example.com";
  Scene s(options);
  receiver.await(3);  // the new request's (the dispatcher), the assignment's two
  ASSERT_EQ(s.api.http()
                .post("/api/requests/" + std::to_string(s.request_id) + "/status/",
                      R"({"status":"en_route"})", s.technician)
                .status,
            200);
  const auto before = receiver.received().size();
  const auto got = receiver.await(before + 2);                 // the client's and the dispatcher's
  std::map<std::int64_t, Poco::JSON::Object::Ptr> on_the_way;  // by user
  for (const auto& r : got) {
    const auto json = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
    if (json->getValue<std::string>("kind") == "status_changed")
      on_the_way[json->getValue<std::int64_t>("user_id")] = json->getObject("data");
  }
  ASSERT_EQ(on_the_way.size(), 2u) << s.server.log();
  const auto client = on_the_way.at(s.client_id);
  const std::string url = client->getValue<std::string>("tracking_url");
  const std::string prefix = "https://chat.example.com/t/";
  ASSERT_EQ(url.rfind(prefix, 0), 0u) << url;
  EXPECT_TRUE(client->has("tracking_expires_at"));
  const auto seen = s.api.http().get("/api/public/tracking/" + url.substr(prefix.size()) + "/");
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.object()->getValue<std::string>("status"), "en_route");
  // The link is the customer's to pass on: nobody else's notice carries one.
  for (const auto& [user, data] : on_the_way) {
    if (user != s.client_id) {
      EXPECT_FALSE(data->has("tracking_url")) << user;
    }
  }
  // The client reads it in their notifications too.
  const auto mine = s.api.http().get("/api/notifications/", s.client).array();
  bool listed = false;
  for (std::size_t i = 0; i < mine->size(); ++i)
    listed |=
        mine->getObject(i)->getObject("data")->optValue<std::string>("tracking_url", "") == url;
  EXPECT_TRUE(listed);
}

TEST(Webhook, RefusesToStartWithoutUrlsOrWithAShortSecret) {
  ServerProcess::Options options;
  options.plugins_enabled = "text,webhook";
  options.env["FIELDLINK_PLUGINS_WEBHOOK_URLS"] = "ftp://example.com/x";
  options.env["FIELDLINK_PLUGINS_WEBHOOK_SECRET"] = "short";
  Scene s(options);  // the server runs on without the plugin
  const auto plugins = s.api.http().get("/api/plugins/", s.dispatcher).array();
  bool reported = false;
  for (std::size_t i = 0; i < plugins->size(); ++i) {
    const auto p = plugins->getObject(i);
    if (p->getValue<std::string>("name") != "webhook") continue;
    reported = true;
    EXPECT_EQ(p->getValue<std::string>("state"), "failed");
    EXPECT_NE(p->getValue<std::string>("error").find("plugins.webhook.urls"), std::string::npos);
  }
  EXPECT_TRUE(reported);
}

}  // namespace
}  // namespace fieldlink::testing

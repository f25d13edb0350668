// The server is killed with SIGKILL in the middle of a burst of messages. After a restart,
// every message it acknowledged is there exactly once and in the order it was sent; the ones
// left unanswered, sent again with their client_id as a client would, land exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "support/scene.hpp"

namespace fieldlink::testing {
namespace {

struct Sent {
  std::string client_id;
  std::int64_t id = 0;  // 0: no acknowledgement came back
};

TEST(CrashSafety, SigkillMidBurstKeepsEveryAcknowledgedMessageOnceInOrder) {
  Scene s;
  std::mutex mutex;
  std::map<std::string, std::vector<Sent>> sent;  // by sender, in sending order
  std::atomic<int> acknowledged{0};
  std::atomic<bool> killed{false};
  auto burst = [&](const std::string& who, const std::string& token) {
    for (int i = 0; !killed; ++i) {
      Sent message{who + "-" + std::to_string(i)};
      try {
        const auto r =
            s.api.sendText(token, s.conversation_id, message.client_id, message.client_id);
        if (r.status == 201) {
          message.id = r.object()->getValue<std::int64_t>("id");
          ++acknowledged;
        }
      } catch (const std::exception&) {
        // The connection died with the server: not acknowledged.
      }
      std::lock_guard<std::mutex> lock(mutex);
      sent[who].push_back(message);
    }
  };
  std::thread client([&] { burst("client", s.client); });
  std::thread technician([&] { burst("technician", s.technician); });
  while (acknowledged < 150) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  s.server.crash();
  killed = true;
  client.join();
  technician.join();

  s.server.restart();
  // A client that got no answer sends again with the same client_id.
  for (auto& [who, messages] : sent)
    for (auto& message : messages) {
      if (message.id != 0) continue;
      const auto retry = s.api.sendText(who == "client" ? s.client : s.technician,
                                        s.conversation_id, message.client_id, message.client_id);
      ASSERT_TRUE(retry.status == 201 || retry.status == 200) << retry.body;
      message.id = retry.object()->getValue<std::int64_t>("id");
    }

  const auto history = s.api.history(s.client, s.conversation_id);
  std::map<std::string, std::vector<std::int64_t>> stored;  // text -> ids
  std::int64_t previous_id = 0;
  for (const auto& m : history) {
    const auto id = m->getValue<std::int64_t>("id");
    EXPECT_GT(id, previous_id);
    previous_id = id;
    if (m->getValue<std::string>("message_type") == "text")
      stored[m->getObject("content")->getValue<std::string>("text")].push_back(id);
  }
  std::size_t total = 0;
  for (const auto& [who, messages] : sent) {
    std::int64_t last = 0;
    for (const auto& message : messages) {
      const auto it = stored.find(message.client_id);
      ASSERT_NE(it, stored.end()) << message.client_id << " is missing";
      ASSERT_EQ(it->second.size(), 1u) << message.client_id << " is stored twice";
      EXPECT_EQ(it->second[0], message.id) << message.client_id;
      EXPECT_GT(message.id, last) << message.client_id << " is out of order";
      last = message.id;
      ++total;
    }
  }
  EXPECT_EQ(stored.size(), total);  // nothing stored that nobody sent
}

}  // namespace
}  // namespace fieldlink::testing

// What only the MySQL/MariaDB store has to get right: several nodes writing one database,
// and connections that the server drops. Runs when the suite has a server (FIELDLINK_TEST_MYSQL).
#include "store/mysql/mysql_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "domain/errors.hpp"
#include "store_fixture.hpp"
#include "support/scratch_database.hpp"

namespace fieldlink {
namespace {

Poco::JSON::Object::Ptr text(const std::string& t) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("text", t);
  return o;
}

class MysqlStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto server = testing::mysqlTestServer();
    if (!server) GTEST_SKIP() << "no MySQL/MariaDB server (FIELDLINK_TEST_MYSQL)";
    database = std::make_unique<testing::ScratchDatabase>(*server);
  }

  std::unique_ptr<mysql::MysqlStore> node() const {
    return std::make_unique<mysql::MysqlStore>(
        mysql::MysqlStore::Options{mysql::parseMysqlUrl(database->url()), 64});
  }

  // A client and a technician in one conversation; returns its id.
  ConversationId conversation(Store& store) {
    return conversationOfTwo(store, "client", "tech", users);
  }

  // Kills every connection to the test database but the one asking, as a server restart or
  // a network cut would.
  void killConnections() const {
    database->execute(
        "BEGIN NOT ATOMIC "
        "FOR c IN (SELECT id FROM information_schema.processlist WHERE db = DATABASE() "
        "AND id <> CONNECTION_ID()) DO KILL CONNECTION c.id; END FOR; END");
  }

  std::unique_ptr<testing::ScratchDatabase> database;
  std::vector<UserId> users;
};

TEST_F(MysqlStoreTest, TwoNodesAppendingToOneConversationNeverShowAReaderAGap) {
  auto a = node();
  auto b = node();
  const ConversationId c = conversation(*a);
  constexpr int kWritersPerNode = 3, kEach = 40;
  std::atomic<bool> writing{true};
  // A reader that pages forward from the last id it saw, as `resume` and `after_id` do: it
  // must end up with every message, each once, in id order.
  std::vector<std::int64_t> seen;
  std::thread reader([&] {
    auto r = node();
    std::int64_t last = 0;
    auto poll = [&] {
      const auto page = r->read([&](StoreSession& s) {
        return s.messages(c, {MessageId(last), std::nullopt, 200});
      });
      for (const auto& m : page.results) {
        seen.push_back(m.id.value);
        last = m.id.value;
      }
    };
    while (writing) poll();
    poll();
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < 2 * kWritersPerNode; ++w)
    writers.emplace_back([&, w] {
      Store& store = w % 2 == 0 ? static_cast<Store&>(*a) : static_cast<Store&>(*b);
      for (int i = 0; i < kEach; ++i)
        store.write([&](StoreSession& s) {
          return s.insertMessage({c,
                                  users[w % 2],
                                  "text",
                                  text("m"),
                                  "",
                                  {},
                                  "w" + std::to_string(w) + "-" + std::to_string(i),
                                  nowMs()});
        });
    });
  for (auto& t : writers) t.join();
  writing = false;
  reader.join();

  EXPECT_EQ(seen.size(), static_cast<std::size_t>(2 * kWritersPerNode * kEach));
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), seen.size());
}

TEST_F(MysqlStoreTest, TheSameClientIdFromTwoNodesIsStoredOnce) {
  auto a = node();
  auto b = node();
  const ConversationId c = conversation(*a);
  a->write([&](StoreSession& s) {
    return s.insertMessage({c, users[0], "text", text("first"), "", {}, "dup", nowMs()});
  });
  EXPECT_THROW(b->write([&](StoreSession& s) {
    return s.insertMessage({c, users[0], "text", text("again"), "", {}, "dup", nowMs()});
  }),
               Conflict);
  const auto page = b->read([&](StoreSession& s) {
    return s.messages(c, {MessageId(0), std::nullopt, 10});
  });
  ASSERT_EQ(page.results.size(), 1u);
  EXPECT_EQ(page.results[0].content->getValue<std::string>("text"), "first");
}

TEST_F(MysqlStoreTest, DroppedConnectionsAreReplacedWithoutFailingTheNextCalls) {
  auto store = node();
  const ConversationId c = conversation(*store);
  store->read([&](StoreSession& s) { return s.findConversation(c); });  // a pooled reader
  killConnections();
  // The writer's and the readers' connections are gone; the next calls connect again.
  const Message m = store->write([&](StoreSession& s) {
    return s.insertMessage({c, users[0], "text", text("after"), "", {}, std::nullopt, nowMs()});
  });
  const auto found = store->read([&](StoreSession& s) { return s.findMessage(m.id); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->content->getValue<std::string>("text"), "after");
}

TEST_F(MysqlStoreTest, AnUnreachableServerIsUnavailableNotAHang) {
  mysql::MysqlTarget nowhere = mysql::parseMysqlUrl(database->url());
  nowhere.port = 1;  // nothing listens there
  EXPECT_THROW(mysql::MysqlStore(mysql::MysqlStore::Options{nowhere, 64}), Unavailable);
}

TEST_F(MysqlStoreTest, ANewerSchemaThanThisBuildKnowsIsRefused) {
  node();  // migrates
  database->execute("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)");
  EXPECT_THROW(node(), Unavailable);
}

}  // namespace
}  // namespace fieldlink

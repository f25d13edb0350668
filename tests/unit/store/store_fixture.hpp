#pragma once

// The fixture every store test shares (store_test.cpp, store_records_test.cpp): each test
// runs on both stores, SQLite, and MySQL/MariaDB when the suite has a server (scripts/test.sh
// starts one; without it the MySQL cases are skipped).
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/mysql/mysql_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/scratch_database.hpp"
#include "support/temp_dir.hpp"

namespace fieldlink {

// A request of the client's whose conversation the two are in.
inline ConversationId conversationBetween(Store& store, UserId client, UserId tech) {
  return store.write([&](StoreSession& s) {
    const auto request = s.insertRequest({client, "title", "", "", std::nullopt, nowMs()});
    return s
        .insertConversation(
            request.id,
            {{client, Role::Client, MessageId(0)}, {tech, Role::Technician, MessageId(0)}}, nowMs())
        .id;
  });
}

// A client and a technician (named so), and a request of the client's whose conversation
// they are in; `users` gets their ids, client first.
inline ConversationId conversationOfTwo(Store& store, const std::string& client_name,
                                        const std::string& technician_name,
                                        std::vector<UserId>& users) {
  const auto add = [&](const std::string& name, Role role) {
    return store.write([&](StoreSession& s) {
      return s.insertUser({name, name, role, "", "hash", nowMs()});
    });
  };
  const User client = add(client_name, Role::Client);
  const User tech = add(technician_name, Role::Technician);
  users = {client.id, tech.id};
  return conversationBetween(store, client.id, tech.id);
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  // A text message's content.
  static Poco::JSON::Object::Ptr text(const std::string& t) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("text", t);
    return o;
  }

  void SetUp() override {
    if (GetParam() == "mysql") {
      const auto server = testing::mysqlTestServer();
      if (!server) GTEST_SKIP() << "no MySQL/MariaDB server (FIELDLINK_TEST_MYSQL)";
      database = std::make_unique<testing::ScratchDatabase>(*server);
    }
    open();
  }
  void open() {
    if (database)
      store = std::make_unique<mysql::MysqlStore>(
          mysql::MysqlStore::Options{mysql::parseMysqlUrl(database->url()), 64});
    else
      store = std::make_unique<sqlite::SqliteStore>(
          sqlite::SqliteStore::Options{dir.file("db.sqlite"), 64});
  }

  User addUser(const std::string& name, Role role) {
    return store->write([&](StoreSession& s) {
      return s.insertUser({name, name, role, "", "hash", nowMs()});
    });
  }

  // A client, a technician and their conversation.
  ConversationId addConversation() {
    const std::string n = std::to_string(counter++);
    return conversationOfTwo(*store, "client" + n, "tech" + n, users);
  }

  Message append(ConversationId c, UserId sender, const std::string& body,
                 std::optional<std::string> client_id = std::nullopt) {
    return store->write([&](StoreSession& s) {
      return s.insertMessage({c, sender, "text", text(body), "", {}, client_id, nowMs()});
    });
  }

  testing::TempDir dir;
  std::unique_ptr<testing::ScratchDatabase> database;
  std::unique_ptr<Store> store;
  std::vector<UserId> users;
  int counter = 0;
};

}  // namespace fieldlink

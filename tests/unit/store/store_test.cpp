#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <thread>

#include "domain/errors.hpp"
#include "store/store_errors.hpp"
#include "store_fixture.hpp"

namespace fieldlink {
namespace {

TEST_P(StoreTest, UsernamesAreUniqueIgnoringCase) {
  addUser("Alice", Role::Client);
  EXPECT_THROW(addUser("alice", Role::Client), Conflict);
  const auto found = store->read([](StoreSession& s) { return s.findUserByUsername("ALICE"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "Alice");
}

TEST_P(StoreTest, UsersAreListedAndTheirAccessChangedAndFound) {
  const User alice = addUser("alice", Role::Client);
  const User tom = addUser("tom", Role::Technician);
  const auto all = store->read([](StoreSession& s) { return s.listUsers(std::nullopt); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].username, "alice");
  EXPECT_FALSE(all[0].disabled);
  EXPECT_EQ(all[0].session_generation, 0);
  const auto technicians =
      store->read([](StoreSession& s) { return s.listUsers(Role::Technician); });
  ASSERT_EQ(technicians.size(), 1u);
  EXPECT_EQ(technicians[0].id, tom.id);

  const TimePoint changed_at = fromEpochMs(1'900'000'000'000);
  EXPECT_TRUE(store->write([&](StoreSession& s) {
    return s.updateUserAccess(alice.id, {true, "new-hash", 3, changed_at});
  }));
  // The same values again still find the user (MySQL counts changed rows only).
  EXPECT_TRUE(store->write([&](StoreSession& s) {
    return s.updateUserAccess(alice.id, {true, "new-hash", 3, changed_at});
  }));
  EXPECT_FALSE(store->write([&](StoreSession& s) {
    return s.updateUserAccess(UserId(alice.id.value + 100), {true, "x", 1, changed_at});
  }));
  const auto found = store->read([&](StoreSession& s) { return s.findUser(alice.id); });
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->disabled);
  EXPECT_EQ(found->password_hash, "new-hash");
  EXPECT_EQ(found->session_generation, 3);
  EXPECT_EQ(found->access_changed_at, changed_at);

  const auto changed = store->read([&](StoreSession& s) {
    return s.usersAccessChangedSince(changed_at - std::chrono::seconds(1));
  });
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].id, alice.id);
  EXPECT_TRUE(store
                  ->read([&](StoreSession& s) {
                    return s.usersAccessChangedSince(changed_at + std::chrono::seconds(1));
                  })
                  .empty());
}

TEST_P(StoreTest, RefreshTokensAreSpentOnceRevokedByFamilyAndForgottenWhenExpired) {
  const User alice = addUser("alice", Role::Client);
  const TimePoint now = fromEpochMs(1'900'000'000'000);
  const auto token = [&](const std::string& id, const std::string& family, TimePoint expires) {
    RefreshTokenRecord t;
    t.id = id;
    t.family = family;
    t.user_id = alice.id;
    t.expires_at = expires;
    return t;
  };
  store->write([&](StoreSession& s) {
    s.insertRefreshToken(token("a1", "fa", now + std::chrono::hours(1)), now);
    s.insertRefreshToken(token("a2", "fa", now + std::chrono::hours(1)), now);
    s.insertRefreshToken(token("a3", "fa", now + std::chrono::hours(1)), now);
    s.insertRefreshToken(token("b1", "fb", now + std::chrono::seconds(1)), now);
  });
  const auto a1 = store->read([](StoreSession& s) { return s.findRefreshToken("a1"); });
  ASSERT_TRUE(a1);
  EXPECT_EQ(a1->family, "fa");
  EXPECT_EQ(a1->user_id, alice.id);
  EXPECT_FALSE(a1->used_at);
  EXPECT_FALSE(a1->revoked);

  EXPECT_TRUE(store->write([&](StoreSession& s) { return s.useRefreshToken("a1", now); }));
  EXPECT_FALSE(store->write([&](StoreSession& s) { return s.useRefreshToken("a1", now); }));
  EXPECT_EQ(store->read([](StoreSession& s) { return s.findRefreshToken("a1"); })->used_at, now);
  // The family moved on after a1 only once another of its tokens is spent.
  const auto movedOnFrom = [&](const std::string& id, TimePoint since) {
    return store->read([&](StoreSession& s) { return s.refreshFamilyUsedSince("fa", id, since); });
  };
  EXPECT_FALSE(movedOnFrom("a1", now));
  EXPECT_TRUE(store->write([&](StoreSession& s) { return s.useRefreshToken("a2", now); }));
  EXPECT_TRUE(movedOnFrom("a1", now));
  EXPECT_FALSE(movedOnFrom("a1", now + std::chrono::milliseconds(1)));
  store->write([](StoreSession& s) { s.revokeRefreshFamily("fa"); });
  EXPECT_TRUE(store->read([](StoreSession& s) { return s.findRefreshToken("a2"); })->revoked);
  // A revoked token cannot be spent (a3: never used).
  EXPECT_FALSE(store->write([&](StoreSession& s) { return s.useRefreshToken("a3", now); }));
  EXPECT_FALSE(store->read([](StoreSession& s) { return s.findRefreshToken("b1"); })->revoked);

  // The next insert, an hour later, forgets b1 (expired), keeps the others until theirs.
  store->write([&](StoreSession& s) {
    s.insertRefreshToken(token("c1", "fc", now + std::chrono::hours(3)),
                         now + std::chrono::minutes(30));
  });
  EXPECT_FALSE(store->read([](StoreSession& s) { return s.findRefreshToken("b1"); }));
  EXPECT_TRUE(store->read([](StoreSession& s) { return s.findRefreshToken("a2"); }));
}

TEST_P(StoreTest, MessagesAreCountedPerHourInTheParticipantsConversations) {
  const auto c = addConversation();
  const UserId client = users[0], technician = users[1];
  const auto other = addConversation();  // someone else's: never counted for `client`
  const TimePoint hour = fromEpochMs(1'900'000'800'000 - 1'900'000'800'000 % 3'600'000);
  const auto at = [&](ConversationId in, std::optional<UserId> sender, const char* type,
                      TimePoint when) {
    store->write([&](StoreSession& s) {
      return s.insertMessage({in, sender, type, text("x"), "", {}, std::nullopt, when});
    });
  };
  at(c, client, "text", hour - std::chrono::minutes(1));  // the hour before `since`
  at(c, client, "text", hour);
  at(c, technician, "text", hour + std::chrono::minutes(59));
  at(c, std::nullopt, "system", hour + std::chrono::minutes(5));  // not written by people
  at(c, technician, "location", hour + std::chrono::hours(2));
  at(other, users[0], "text", hour + std::chrono::minutes(10));
  const auto counted =
      store->read([&](StoreSession& s) { return s.messagesPerHour(client, hour); });
  EXPECT_EQ(counted, (std::vector<std::pair<TimePoint, std::int64_t>>{
                         {hour, 2}, {hour + std::chrono::hours(2), 1}}));
  EXPECT_TRUE(store
                  ->read([&](StoreSession& s) {
                    return s.messagesPerHour(client, hour + std::chrono::hours(3));
                  })
                  .empty());
}

TEST_P(StoreTest, MessagesRoundTripWithContentAndClientId) {
  const auto c = addConversation();
  const Message sent = append(c, users[0], "héllo ✓", "c-1");
  const auto found =
      store->read([&](StoreSession& s) { return s.findMessageByClientId(users[0], "c-1"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, sent.id);
  EXPECT_EQ(found->content->getValue<std::string>("text"), "héllo ✓");
  EXPECT_FALSE(
      store->read([&](StoreSession& s) { return s.findMessageByClientId(users[1], "c-1"); }));
}

TEST_P(StoreTest, SameClientIdFromSameSenderIsRejectedByTheSchema) {
  const auto c = addConversation();
  append(c, users[0], "a", "dup");
  EXPECT_THROW(append(c, users[0], "b", "dup"), ClientIdTaken);
  EXPECT_NO_THROW(append(c, users[1], "b", "dup"));  // another sender may use the same key
}

TEST_P(StoreTest, HistoryPagesBackwardAndForward) {
  const auto c = addConversation();
  std::vector<MessageId> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(append(c, users[0], std::to_string(i)).id);

  auto latest = store->read([&](StoreSession& s) {
    return s.messages(c, {std::nullopt, std::nullopt, 3});
  });
  ASSERT_EQ(latest.results.size(), 3u);
  EXPECT_EQ(latest.results.front().id, ids[4]);  // oldest first within the page
  EXPECT_EQ(latest.results.back().id, ids[6]);
  EXPECT_TRUE(latest.has_more);

  auto older = store->read([&](StoreSession& s) {
    return s.messages(c, {std::nullopt, ids[4], 3});
  });
  ASSERT_EQ(older.results.size(), 3u);
  EXPECT_EQ(older.results.front().id, ids[1]);
  EXPECT_TRUE(older.has_more);

  auto oldest = store->read([&](StoreSession& s) {
    return s.messages(c, {std::nullopt, ids[1], 3});
  });
  ASSERT_EQ(oldest.results.size(), 1u);
  EXPECT_FALSE(oldest.has_more);

  auto after = store->read([&](StoreSession& s) {
    return s.messages(c, {ids[2], std::nullopt, 10});
  });
  ASSERT_EQ(after.results.size(), 4u);
  EXPECT_EQ(after.results.front().id, ids[3]);
  EXPECT_FALSE(after.has_more);
}

TEST_P(StoreTest, UnreadCountsOthersMessagesAfterTheMarker) {
  const auto c = addConversation();
  const auto m1 = append(c, users[0], "1");
  append(c, users[0], "2");
  append(c, users[1], "mine");
  EXPECT_EQ(store->read([&](StoreSession& s) { return s.unreadCount(c, users[1]); }), 2);
  store->write([&](StoreSession& s) { s.advanceReadMarker(c, users[1], m1.id); });
  EXPECT_EQ(store->read([&](StoreSession& s) { return s.unreadCount(c, users[1]); }), 1);
  // The marker never moves back.
  store->write([&](StoreSession& s) { s.advanceReadMarker(c, users[1], MessageId(0)); });
  EXPECT_EQ(store->read([&](StoreSession& s) { return s.unreadCount(c, users[1]); }), 1);
}

TEST_P(StoreTest, ConcurrentAppendsAllLandWithDistinctIncreasingIds) {
  const auto c = addConversation();
  constexpr int kThreads = 8, kEach = 50;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::int64_t>> seen(kThreads);
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        seen[t].push_back(
            append(c, users[t % 2], "m", "t" + std::to_string(t) + "-" + std::to_string(i))
                .id.value);
    });
  for (auto& th : threads) th.join();
  std::set<std::int64_t> all;
  for (const auto& ids : seen) {
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));  // one sender's messages keep their order
    all.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  const auto page = store->read([&](StoreSession& s) {
    return s.messages(c, {MessageId(0), std::nullopt, 1000});
  });
  EXPECT_EQ(page.results.size(), static_cast<std::size_t>(kThreads * kEach));
}

TEST_P(StoreTest, AFailingWriteRollsBackAloneAndOthersInTheBatchCommit) {
  const auto c = addConversation();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      try {
        store->write([&](StoreSession& s) {
          s.insertMessage(
              {c, users[0], "text", text("x"), "", {}, "k" + std::to_string(t), nowMs()});
          if (t % 2 == 0) throw Conflict("refused on purpose");
        });
      } catch (const Conflict&) {
        ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 3);
  const auto page = store->read([&](StoreSession& s) {
    return s.messages(c, {MessageId(0), std::nullopt, 100});
  });
  ASSERT_EQ(page.results.size(), 3u);
  for (const auto& m : page.results) EXPECT_NE(std::stoi(m.client_id->substr(1)) % 2, 0);
}

TEST_P(StoreTest, AcknowledgedWritesSurviveReopening) {
  const auto c = addConversation();
  const auto m = append(c, users[0], "durable");
  store.reset();
  open();
  const auto found = store->read([&](StoreSession& s) { return s.findMessage(m.id); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->content->getValue<std::string>("text"), "durable");
}

TEST_P(StoreTest, ReadSessionsCannotWrite) {
  EXPECT_ANY_THROW(store->read([](StoreSession& s) {
    s.insertUser({"sneaky", "sneaky", Role::Client, "", "hash", nowMs()});
  }));
  EXPECT_FALSE(store->read([](StoreSession& s) { return s.findUserByUsername("sneaky"); }));
}

TEST_P(StoreTest, ConversationsOfListsUnreadAndLastMessage) {
  const auto c = addConversation();
  append(c, users[0], "first");
  append(c, users[0], "last");
  const auto list = store->read([&](StoreSession& s) { return s.conversationsOf(users[1], {}); });
  ASSERT_EQ(list.results.size(), 1u);
  EXPECT_FALSE(list.next);
  EXPECT_EQ(list.results[0].unread_count, 2);
  ASSERT_TRUE(list.results[0].last_message);
  EXPECT_EQ(list.results[0].last_message->content->getValue<std::string>("text"), "last");
  EXPECT_EQ(list.results[0].conversation.participants.size(), 2u);
}

// A user's conversations come a page at a time, most recently active first (a conversation
// without messages after every other), each page going on where the last one ended, and
// filtered by their request's status; the order follows new messages, and a message
// rolled back moves nothing.
TEST_P(StoreTest, ConversationListsComeInPagesByLastActivity) {
  const User tech = addUser("paged-tech", Role::Technician);
  std::vector<ConversationId> ids;
  std::vector<UserId> clients;
  for (int i = 0; i < 5; ++i) {
    const User client = addUser("paged-client" + std::to_string(i), Role::Client);
    clients.push_back(client.id);
    ids.push_back(conversationBetween(*store, client.id, tech.id));
  }
  // Activity: 2, then 0, then 3, then 1; 4 has no message.
  for (int i : {1, 3, 0, 2}) append(ids[i], clients[i], "hello " + std::to_string(i));
  const std::vector<ConversationId> expected{ids[2], ids[0], ids[3], ids[1], ids[4]};

  const auto all = [&](ConversationListQuery query) {
    std::vector<ConversationId> seen;
    int pages = 0;
    for (;;) {
      const auto page =
          store->read([&](StoreSession& s) { return s.conversationsOf(tech.id, query); });
      ++pages;
      EXPECT_LE(page.results.size(), static_cast<std::size_t>(query.limit));
      for (const auto& summary : page.results) seen.push_back(summary.conversation.id);
      if (!page.next) break;
      query.after = page.next;
    }
    return std::make_pair(seen, pages);
  };
  ConversationListQuery two;
  two.limit = 2;
  auto [seen, pages] = all(two);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, 3);
  ConversationListQuery five;
  five.limit = 5;
  std::tie(seen, pages) = all(five);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, 1) << "no next page when the last row ends this one";
  // Each row with its own people, unread count and last message, read for the whole page.
  const auto page = store->read([&](StoreSession& s) { return s.conversationsOf(tech.id, five); });
  ASSERT_EQ(page.results.size(), 5u);
  for (const auto& row : page.results) {
    const auto i = std::find(ids.begin(), ids.end(), row.conversation.id) - ids.begin();
    EXPECT_EQ(row.conversation.participants.size(), 2u);
    EXPECT_TRUE(row.conversation.participant(clients[i]));
    if (i == 4) {
      EXPECT_FALSE(row.last_message);
      EXPECT_EQ(row.unread_count, 0);
    } else {
      ASSERT_TRUE(row.last_message);
      EXPECT_EQ(row.last_message->content->getValue<std::string>("text"),
                "hello " + std::to_string(i));
      EXPECT_EQ(row.unread_count, 1);
    }
  }

  // A new message puts its conversation first; one rolled back does not.
  append(ids[4], clients[4], "at last");
  EXPECT_THROW(store->write([&](StoreSession& s) {
    s.insertMessage({ids[1], clients[1], "text", text("undone"), "", {}, std::nullopt, nowMs()});
    throw std::runtime_error("changed my mind");
  }),
               std::runtime_error);
  std::tie(seen, pages) = all(five);
  EXPECT_EQ(seen, (std::vector<ConversationId>{ids[4], ids[2], ids[0], ids[3], ids[1]}));

  // By the status of their request.
  store->write([&](StoreSession& s) {
    auto request = *s.findRequest(s.findConversation(ids[0])->request_id);
    request.status = RequestStatus::Completed;
    s.updateRequest(request);
  });
  ConversationListQuery done;
  done.statuses = {RequestStatus::Completed};
  std::tie(seen, pages) = all(done);
  EXPECT_EQ(seen, std::vector<ConversationId>{ids[0]});
  done.statuses = {RequestStatus::Pending, RequestStatus::Assigned};
  done.limit = 3;
  std::tie(seen, pages) = all(done);
  EXPECT_EQ(seen, (std::vector<ConversationId>{ids[4], ids[2], ids[3], ids[1]}));

  // Who is in each, for a WebSocket: every conversation, by id, without the page.
  const auto people = store->read([&](StoreSession& s) { return s.conversationPeopleOf(tech.id); });
  ASSERT_EQ(people.size(), 5u);
  for (std::size_t i = 0; i < people.size(); ++i) {
    EXPECT_EQ(people[i].id, ids[i]);
    std::vector<UserId> both{clients[i], tech.id};
    std::sort(both.begin(), both.end(), [](UserId a, UserId b) { return a.value < b.value; });
    EXPECT_EQ(people[i].people, both);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fieldlink

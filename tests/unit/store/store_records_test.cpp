// The store's records besides users, tokens and message history (store_test.cpp has those):
// requests, conversations and their people, message edits and read markers, attachments,
// notifications and tracking links. Every method, on both backends, so the two sessions
// cannot drift apart unseen.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "store_fixture.hpp"

namespace fieldlink {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

// Times a test sets itself, whole milliseconds (what both stores keep).
const TimePoint kT0 = fromEpochMs(1'900'000'000'000);

TEST_P(StoreTest, RequestsAreUpdatedAndListedByRoleStatusAndAge) {
  const User client = addUser("claire", Role::Client);
  const User other = addUser("oscar", Role::Client);
  const User tech = addUser("tom", Role::Technician);
  const auto add = [&](const User& by, const std::string& title, TimePoint at) {
    return store->write([&](StoreSession& s) {
      return s.insertRequest({by.id, title, "desc", "12 rue X", GeoPoint{48.5, 2.25}, at});
    });
  };
  const ServiceRequest first = add(client, "first", kT0);
  const ServiceRequest second = add(other, "second", kT0 + seconds(10));
  add(client, "third", kT0 + seconds(20));
  EXPECT_EQ(first.status, RequestStatus::Pending);

  ServiceRequest changed = second;
  changed.status = RequestStatus::EnRoute;
  changed.technician_id = tech.id;
  changed.updated_at = kT0 + seconds(30);
  store->write([&](StoreSession& s) { s.updateRequest(changed); });
  const auto found = store->read([&](StoreSession& s) { return s.findRequest(second.id); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, RequestStatus::EnRoute);
  EXPECT_EQ(found->technician_id, tech.id);
  EXPECT_EQ(found->updated_at, kT0 + seconds(30));
  EXPECT_EQ(found->created_at, kT0 + seconds(10));
  ASSERT_TRUE(found->location);
  EXPECT_DOUBLE_EQ(found->location->longitude, 2.25);
  EXPECT_EQ(found->address, "12 rue X");
  EXPECT_FALSE(store->read([](StoreSession& s) { return s.findRequest(RequestId(999)); }));

  const auto titles = [&](const RequestFilter& filter) {
    std::vector<std::string> out;
    for (const auto& r : store->read([&](StoreSession& s) { return s.listRequests(filter); }))
      out.push_back(r.title);
    return out;
  };
  EXPECT_EQ(titles({}), (std::vector<std::string>{"third", "second", "first"}));
  RequestFilter oldest;
  oldest.oldest_first = true;
  EXPECT_EQ(titles(oldest), (std::vector<std::string>{"first", "second", "third"}));
  RequestFilter mine;
  mine.client_id = client.id;
  EXPECT_EQ(titles(mine), (std::vector<std::string>{"third", "first"}));
  RequestFilter assigned;
  assigned.technician_id = tech.id;
  EXPECT_EQ(titles(assigned), (std::vector<std::string>{"second"}));
  RequestFilter pending;
  pending.statuses = {RequestStatus::Pending, RequestStatus::Completed};
  EXPECT_EQ(titles(pending), (std::vector<std::string>{"third", "first"}));
}

TEST_P(StoreTest, ConversationsKeepTheirPeopleAndHandOverAParticipant) {
  const ConversationId c = addConversation();
  const UserId client = users[0], tech = users[1];
  const User dispatcher = addUser("dana", Role::Dispatcher);
  const User newcomer = addUser("ted", Role::Technician);
  EXPECT_TRUE(store->read([&](StoreSession& s) { return s.takesPartInAny(tech); }));
  EXPECT_FALSE(store->read([&](StoreSession& s) { return s.takesPartInAny(newcomer.id); }));

  store->write([&](StoreSession& s) {
    s.replaceParticipant(c, tech, {newcomer.id, Role::Technician, MessageId(0)});
  });
  const auto conversation = store->read([&](StoreSession& s) { return s.findConversation(c); });
  ASSERT_TRUE(conversation);
  ASSERT_TRUE(conversation->participant(newcomer.id));
  EXPECT_EQ(conversation->participant(newcomer.id)->role, Role::Technician);
  EXPECT_FALSE(conversation->participant(tech));
  EXPECT_EQ(conversation->participant(client)->role, Role::Client);
  const auto ids = store->read([&](StoreSession& s) { return s.participantIds(c); });
  EXPECT_EQ(std::set<std::int64_t>({ids.at(0).value, ids.at(1).value}),
            std::set<std::int64_t>({client.value, newcomer.id.value}));
  EXPECT_TRUE(store->read([&](StoreSession& s) { return s.takesPartInAny(newcomer.id); }));
  EXPECT_FALSE(store->read([&](StoreSession& s) { return s.takesPartInAny(tech); }));
  EXPECT_FALSE(store->read([&](StoreSession& s) { return s.takesPartInAny(dispatcher.id); }));
  EXPECT_FALSE(
      store->read([](StoreSession& s) { return s.findConversation(ConversationId(999)); }));

  // Every conversation, in id order, a page at a time.
  const ConversationId d = addConversation();
  const ConversationId e = addConversation();
  const auto page = [&](ConversationId after, int limit) {
    return store->read([&](StoreSession& s) { return s.conversationIds(after, limit); });
  };
  EXPECT_EQ(page(ConversationId(0), 2), (std::vector<ConversationId>{c, d}));
  EXPECT_EQ(page(d, 2), (std::vector<ConversationId>{e}));
  EXPECT_TRUE(page(e, 2).empty());
}

TEST_P(StoreTest, MessagesAreFoundEditedAndReadMarkersOnlyMoveForward) {
  const ConversationId c = addConversation();
  EXPECT_EQ(store->read([](StoreSession& s) { return s.lastMessageId(); }), MessageId(0));
  const Message one = append(c, users[0], "one", "c-1");
  const Message two = append(c, users[0], "two");
  const Message three = append(c, users[0], "three");
  EXPECT_EQ(store->read([](StoreSession& s) { return s.lastMessageId(); }), three.id);

  const auto by_client_id =
      store->read([&](StoreSession& s) { return s.findMessageByClientId(users[0], "c-1"); });
  ASSERT_TRUE(by_client_id);
  EXPECT_EQ(by_client_id->id, one.id);
  EXPECT_FALSE(
      store->read([&](StoreSession& s) { return s.findMessageByClientId(users[1], "c-1"); }));

  store->write(
      [&](StoreSession& s) { s.updateMessageContent(two.id, R"({"text":"two, edited"})"); });
  const auto edited = store->read([&](StoreSession& s) { return s.findMessage(two.id); });
  ASSERT_TRUE(edited);
  const std::string body =
      edited->content ? edited->content->getValue<std::string>("text") : edited->content_json;
  EXPECT_NE(body.find("two, edited"), std::string::npos);
  EXPECT_FALSE(store->read([](StoreSession& s) { return s.findMessage(MessageId(999)); }));

  const auto unread = [&] {
    return store->read([&](StoreSession& s) { return s.unreadCount(c, users[1]); });
  };
  EXPECT_EQ(unread(), 3);
  store->write([&](StoreSession& s) { s.advanceReadMarker(c, users[1], two.id); });
  EXPECT_EQ(unread(), 1);
  store->write([&](StoreSession& s) { s.advanceReadMarker(c, users[1], one.id); });  // back
  EXPECT_EQ(unread(), 1);
  const auto marker = store->read(
      [&](StoreSession& s) { return s.findConversation(c)->participant(users[1])->last_read; });
  EXPECT_EQ(marker, two.id);
}

TEST_P(StoreTest, AttachmentsAreLinkedOnceAndUnreferencedOnesCountedAndPurged) {
  const ConversationId c = addConversation();
  const UserId owner = users[0];
  const auto upload = [&](const std::string& sha, std::int64_t size, TimePoint at,
                          const std::string& media) {
    AttachmentRecord a;
    a.owner_id = owner;
    a.sha256 = sha;
    a.content_type = "image/png";
    a.size = size;
    a.name = "photo.png";
    a.created_at = at;
    a.message_type = "file";
    a.media_json = media;
    return store->write([&](StoreSession& s) { return s.insertAttachment(a); });
  };
  const AttachmentRecord old = upload(std::string(64, 'a'), 100, kT0, "{}");
  const AttachmentRecord used =
      upload(std::string(64, 'b'), 200, kT0 + seconds(1), R"({"width":640,"height":480})");
  const AttachmentRecord fresh = upload(std::string(64, 'a'), 300, kT0 + hours(2), "{}");
  EXPECT_GT(used.id, old.id);

  const auto found = store->read([&](StoreSession& s) { return s.findAttachment(used.id); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->media_json, R"({"width":640,"height":480})");
  EXPECT_EQ(found->size, 200);
  EXPECT_EQ(found->name, "photo.png");
  EXPECT_EQ(found->created_at, kT0 + seconds(1));
  EXPECT_FALSE(found->message_id);
  EXPECT_EQ(store->read([&](StoreSession& s) { return s.unreferencedBytesOf(owner); }), 600);

  const Message message = append(c, owner, "with a photo");
  EXPECT_TRUE(
      store->write([&](StoreSession& s) { return s.linkAttachment(used.id, message.id, c); }));
  EXPECT_FALSE(  // once only
      store->write([&](StoreSession& s) { return s.linkAttachment(used.id, message.id, c); }));
  const auto linked = store->read([&](StoreSession& s) { return s.findAttachment(used.id); });
  EXPECT_EQ(linked->message_id, message.id);
  EXPECT_EQ(linked->conversation_id, c);
  EXPECT_EQ(store->read([&](StoreSession& s) { return s.unreferencedBytesOf(owner); }), 400);

  // Unused and older than the cutoff: the first upload only, and its bytes stay while the
  // later upload of the same bytes names them.
  const auto stale =
      store->read([&](StoreSession& s) { return s.unreferencedAttachments(kT0 + hours(1), 10); });
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0].id, old.id);
  EXPECT_TRUE(
      store->write([&](StoreSession& s) { return s.deleteUnreferencedAttachment(old.id); }));
  EXPECT_FALSE(
      store->write([&](StoreSession& s) { return s.deleteUnreferencedAttachment(used.id); }));
  EXPECT_FALSE(store->read([&](StoreSession& s) { return s.findAttachment(old.id); }));
  EXPECT_TRUE(store->read([&](StoreSession& s) { return s.blobInUse(std::string(64, 'a')); }));
  EXPECT_TRUE(
      store->write([&](StoreSession& s) { return s.deleteUnreferencedAttachment(fresh.id); }));
  EXPECT_FALSE(store->read([&](StoreSession& s) { return s.blobInUse(std::string(64, 'a')); }));
  EXPECT_TRUE(store->read([&](StoreSession& s) { return s.blobInUse(std::string(64, 'b')); }));
}

TEST_P(StoreTest, NotificationsAreTheirOwnersNewestFirstAndReadOnce) {
  const ConversationId c = addConversation();
  const UserId alice = users[0], tom = users[1];
  const auto request =
      store->read([&](StoreSession& s) { return s.findConversation(c); })->request_id;
  const auto notify = [&](UserId user, const std::string& kind, TimePoint at,
                          bool about_conversation) {
    Notification n;
    n.user_id = user;
    n.kind = kind;
    n.title = "Title " + kind;
    n.body = "Body";
    n.data_json = R"({"k":1})";
    n.request_id = request;
    if (about_conversation) n.conversation_id = c;
    n.created_at = at;
    return store->write([&](StoreSession& s) { return s.insertNotification(n); });
  };
  const Notification first = notify(alice, "assigned", kT0, true);
  const Notification second = notify(alice, "new_request", kT0 + seconds(1), false);
  notify(tom, "assigned", kT0, true);
  EXPECT_GT(second.id, first.id);

  const auto of = [&](UserId user, bool unread_only, int limit) {
    return store->read(
        [&](StoreSession& s) { return s.notificationsOf(user, unread_only, limit); });
  };
  auto mine = of(alice, false, 10);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, second.id);
  EXPECT_EQ(mine[0].kind, "new_request");
  EXPECT_FALSE(mine[0].conversation_id);
  EXPECT_EQ(mine[0].request_id, request);
  EXPECT_EQ(mine[1].conversation_id, c);
  EXPECT_EQ(mine[1].data_json, R"({"k":1})");
  EXPECT_EQ(mine[1].title, "Title assigned");
  EXPECT_EQ(mine[1].created_at, kT0);
  EXPECT_FALSE(mine[1].read_at);
  EXPECT_EQ(of(alice, false, 1).size(), 1u);

  EXPECT_FALSE(  // not tom's
      store->write([&](StoreSession& s) { return s.markNotificationRead(first.id, tom, kT0); }));
  EXPECT_TRUE(store->write(
      [&](StoreSession& s) { return s.markNotificationRead(first.id, alice, kT0 + seconds(5)); }));
  EXPECT_TRUE(store->write(  // twice is harmless
      [&](StoreSession& s) { return s.markNotificationRead(first.id, alice, kT0 + seconds(9)); }));
  mine = of(alice, false, 10);
  EXPECT_EQ(mine[1].read_at, kT0 + seconds(5));  // the first reading stays
  const auto unread = of(alice, true, 10);
  ASSERT_EQ(unread.size(), 1u);
  EXPECT_EQ(unread[0].id, second.id);
  EXPECT_EQ(of(tom, true, 10).size(), 1u);
}

TEST_P(StoreTest, TrackingLinksAreFoundRevokedTogetherAndExpiredOnesSwept) {
  const ConversationId c = addConversation();
  const auto request =
      store->read([&](StoreSession& s) { return s.findConversation(c); })->request_id;
  const auto link = [&](const std::string& hash, TimePoint created, TimePoint expires) {
    TrackingLinkRecord l;
    l.token_hash = hash;
    l.request_id = request;
    l.created_by = users[0];
    l.created_at = created;
    l.expires_at = expires;
    store->write([&](StoreSession& s) { s.insertTrackingLink(l); });
  };
  link("h-old", kT0, kT0 + seconds(60));
  link("h-one", kT0 + seconds(30), kT0 + hours(1));
  const auto find = [&](const std::string& hash) {
    return store->read([&](StoreSession& s) { return s.findTrackingLink(hash); });
  };
  const auto one = find("h-one");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->request_id, request);
  EXPECT_EQ(one->created_by, users[0]);
  EXPECT_EQ(one->expires_at, kT0 + hours(1));
  EXPECT_FALSE(one->revoked);
  EXPECT_TRUE(find("h-old"));
  // A link made after the first expired sweeps it away.
  link("h-two", kT0 + seconds(120), kT0 + hours(1));
  EXPECT_FALSE(find("h-old"));
  EXPECT_FALSE(find("h-unknown"));

  EXPECT_EQ(store->write([&](StoreSession& s) { return s.revokeTrackingLinks(request); }), 2);
  EXPECT_TRUE(find("h-one")->revoked);
  EXPECT_TRUE(find("h-two")->revoked);
  EXPECT_EQ(store->write([&](StoreSession& s) { return s.revokeTrackingLinks(request); }), 0);
}

}  // namespace
}  // namespace fieldlink

#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "domain/model.hpp"

namespace fieldlink {

struct RequestFilter {
  std::optional<UserId> client_id;
  std::optional<UserId> technician_id;
  std::vector<RequestStatus> statuses;  // any of these; empty: every status
  bool oldest_first = false;            // else newest first
};

struct MessageQuery {
  std::optional<MessageId> after_id;   // strictly after; oldest first
  std::optional<MessageId> before_id;  // strictly before; the newest `limit` of those
  int limit = 50;
  // Leave each message's content as the stored JSON text (Message::content_json), unparsed:
  // for callers that only write messages out (history pages, resumes). A backend may parse
  // it anyway; views handle both.
  bool content_as_text = false;
};

struct MessagePage {
  std::vector<Message> results;  // oldest first
  bool has_more = false;
};

// A row's place in a user's conversation list, whose order is the id of the conversation's
// last message (0 without one), then the conversation's id, both descending: a page goes on
// strictly after the cursor of the row that ended the one before.
struct ConversationCursor {
  std::int64_t last_message_id = 0;
  ConversationId id;
};

struct ConversationListQuery {
  std::vector<RequestStatus> statuses;  // of the conversation's request, any; empty: all
  std::optional<ConversationCursor> after;
  int limit = 50;
};

struct ConversationListPage {
  std::vector<ConversationSummary> results;  // most recently active first
  std::optional<ConversationCursor> next;    // set when more rows follow
};

// A conversation and who takes part in it (user ids, ascending).
struct ConversationPeople {
  ConversationId id;
  std::vector<UserId> people;
};

// One connection's view of the store. Reads work everywhere; writes only inside
// Store::write(), where they are part of one transaction.
class StoreSession {
 public:
  virtual ~StoreSession() = default;

  virtual std::optional<User> findUser(UserId id) = 0;
  virtual std::optional<User> findUserByUsername(const std::string& username) = 0;
  // Every user (or every user of `role`), by id.
  virtual std::vector<User> listUsers(std::optional<Role> role) = 0;
  // Users whose access changed at or after `since`, for closing their connections.
  virtual std::vector<User> usersAccessChangedSince(TimePoint since) = 0;
  virtual std::optional<ServiceRequest> findRequest(RequestId id) = 0;
  // Newest first. With no filter field set, every request.
  virtual std::vector<ServiceRequest> listRequests(const RequestFilter& filter) = 0;
  virtual std::optional<Conversation> findConversation(ConversationId id) = 0;
  // Just who takes part (user ids, ascending): the membership check on the message path.
  virtual std::vector<UserId> participantIds(ConversationId id) = 0;
  // Ids of every conversation after `after`, ascending, at most `limit`: for paging.
  virtual std::vector<ConversationId> conversationIds(ConversationId after, int limit) = 0;
  // Whether the user takes part in any conversation (who may have call credentials).
  virtual bool takesPartInAny(UserId user) = 0;
  // One page of the user's conversations, most recently active first: the cost of a page
  // does not grow with how many the user has.
  virtual ConversationListPage conversationsOf(UserId user, const ConversationListQuery& query) = 0;
  // Every conversation the user takes part in with its people, in one query, by id: what a
  // WebSocket needs to route presence and check membership, and no more.
  virtual std::vector<ConversationPeople> conversationPeopleOf(UserId user) = 0;
  virtual std::optional<Message> findMessage(MessageId id) = 0;
  virtual std::optional<Message> findMessageByClientId(UserId sender,
                                                       const std::string& client_id) = 0;
  virtual MessagePage messages(ConversationId conversation, const MessageQuery& query) = 0;
  // Messages after the user's read marker that someone else sent (system messages count).
  virtual std::int64_t unreadCount(ConversationId conversation, UserId user) = 0;
  // The highest message id of all (0 when there is none).
  virtual MessageId lastMessageId() = 0;
  virtual std::optional<AttachmentRecord> findAttachment(std::int64_t id) = 0;

  // Throws Conflict when the username is taken.
  virtual User insertUser(const NewUser& user) = 0;
  // Replaces the account's disabled flag, password hash, session generation and access
  // change time. False when there is no such user.
  virtual bool updateUserAccess(UserId id, const UserAccess& access) = 0;
  virtual ServiceRequest insertRequest(const NewServiceRequest& request) = 0;
  virtual void updateRequest(const ServiceRequest& request) = 0;
  virtual Conversation insertConversation(RequestId request,
                                          const std::vector<Participant>& participants,
                                          TimePoint created_at) = 0;
  virtual void replaceParticipant(ConversationId conversation, UserId old_user,
                                  const Participant& new_participant) = 0;
  // Assigns the id. ClientIdTaken (store_errors.hpp) when the sender used message.client_id
  // already: the statement fails alone, the transaction goes on.
  virtual Message insertMessage(const NewMessage& message) = 0;
  // Replaces a live message's content (a shared location's latest position).
  virtual void updateMessageContent(MessageId id, const std::string& content_json) = 0;
  // Moves the marker forward only; an older message id leaves it where it is.
  virtual void advanceReadMarker(ConversationId conversation, UserId user, MessageId upto) = 0;
  virtual AttachmentRecord insertAttachment(const AttachmentRecord& attachment) = 0;
  // Ties an attachment to the message that uses it. False when it is gone or already used.
  virtual bool linkAttachment(std::int64_t attachment_id, MessageId message,
                              ConversationId conversation) = 0;
  // Attachments no message uses, uploaded before `cutoff`, oldest first.
  virtual std::vector<AttachmentRecord> unreferencedAttachments(TimePoint cutoff, int limit) = 0;
  // Deletes it unless a message has started using it; true when deleted.
  virtual bool deleteUnreferencedAttachment(std::int64_t id) = 0;
  // The bytes of the user's uploads that no message uses yet (their quota).
  virtual std::int64_t unreferencedBytesOf(UserId owner) = 0;
  // Whether any attachment row still names these bytes.
  virtual bool blobInUse(const std::string& sha256) = 0;
  // Messages people wrote (system messages left out) in the conversations `participant`
  // takes part in, from `since` on, counted per hour: (the hour's start, count), oldest
  // first, hours without messages left out.
  virtual std::vector<std::pair<TimePoint, std::int64_t>> messagesPerHour(UserId participant,
                                                                          TimePoint since) = 0;
  virtual Notification insertNotification(const Notification& notification) = 0;
  // The user's newest first, at most `limit`.
  virtual std::vector<Notification> notificationsOf(UserId user, bool unread_only, int limit) = 0;
  // False when it is not the user's (or does not exist). Reading twice is harmless.
  virtual bool markNotificationRead(std::int64_t id, UserId user, TimePoint at) = 0;
  // Refresh tokens. Inserting one also deletes those expired before `now`, so the table holds
  // only tokens that could still be presented.
  virtual void insertRefreshToken(const RefreshTokenRecord& token, TimePoint now) = 0;
  virtual std::optional<RefreshTokenRecord> findRefreshToken(const std::string& id) = 0;
  // Marks it used, unless it was used or revoked already (then false): the one check that
  // holds when two nodes rotate the same token at once.
  virtual bool useRefreshToken(const std::string& id, TimePoint at) = 0;
  // Whether a token of `family` other than `except` was used at or after `since`: the
  // session moved on after that token was spent.
  virtual bool refreshFamilyUsedSince(const std::string& family, const std::string& except,
                                      TimePoint since) = 0;
  virtual void revokeRefreshFamily(const std::string& family) = 0;
  // Tracking links. Inserting one also deletes those expired before its creation.
  virtual void insertTrackingLink(const TrackingLinkRecord& link) = 0;
  virtual std::optional<TrackingLinkRecord> findTrackingLink(const std::string& token_hash) = 0;
  // Revokes every link of the request; how many were not revoked yet.
  virtual int revokeTrackingLinks(RequestId request) = 0;
};

// The persistence boundary. Implementations: SqliteStore (the embedded default) and
// MysqlStore (MySQL/MariaDB, shared by several nodes).
class Store {
 public:
  virtual ~Store() = default;

  // Runs `work` on a read-only session and returns its result.
  template <class Work>
  auto read(Work&& work) {
    return invoke(std::forward<Work>(work), [this](const auto& fn) { runRead(fn); });
  }

  // Runs `work` in one transaction, batched with concurrent writes (group commit). Returns
  // once the commit is durable. If `work` throws, its changes are rolled back and the
  // exception reaches the caller; other writes of the batch are unaffected.
  template <class Work>
  auto write(Work&& work) {
    return invoke(std::forward<Work>(work), [this](const auto& fn) { runWrite(fn, nullptr); });
  }

  // As write(), and runs `after_commit(result)` on the store's completion thread once the
  // commit is durable, in commit order: what it publishes goes out in commit order.
  template <class Work, class AfterCommit>
  auto write(Work&& work, AfterCommit&& after_commit) {
    using Result = std::invoke_result_t<Work, StoreSession&>;
    std::optional<Result> result;
    runWrite([&](StoreSession& s) { result.emplace(work(s)); },
             [&] { after_commit(static_cast<const Result&>(*result)); });
    return std::move(*result);
  }

  // Asynchronous write: `done` is called on the store's completion thread after the commit
  // (with a null exception) or the rollback, in commit order. Keep `done` short: every later
  // completion waits behind it.
  virtual void writeAsync(std::function<void(StoreSession&)> work,
                          std::function<void(std::exception_ptr)> done) = 0;

 protected:
  virtual void runRead(const std::function<void(StoreSession&)>& work) = 0;
  // `after_commit` (may be null) runs on the writer thread after a successful commit.
  virtual void runWrite(const std::function<void(StoreSession&)>& work,
                        const std::function<void()>& after_commit) = 0;

 private:
  template <class Work, class Runner>
  static auto invoke(Work&& work, Runner&& runner) {
    using Result = std::invoke_result_t<Work, StoreSession&>;
    if constexpr (std::is_void_v<Result>) {
      runner(std::function<void(StoreSession&)>([&](StoreSession& s) { work(s); }));
    } else {
      std::optional<Result> result;
      runner(std::function<void(StoreSession&)>([&](StoreSession& s) { result.emplace(work(s)); }));
      return std::move(*result);
    }
  }
};

}  // namespace fieldlink

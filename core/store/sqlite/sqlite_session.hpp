#pragma once

#include <set>

#include <Poco/Data/Session.h>

#include "store/sqlite/prepared_statements.hpp"
#include "store/store.hpp"

namespace fieldlink::sqlite {

// StoreSession over one SQLite connection. Not thread-safe: one thread uses it at a time.
class SqliteSession final : public StoreSession {
 public:
  explicit SqliteSession(Poco::Data::Session session);
  Poco::Data::Session& connection() { return db_; }
  // Runs a statement without parameters or results through the statement cache (`sql` must
  // be a string literal). For the per-unit savepoints of group commit.
  void execute(const char* sql) { prepared_.use(sql).step(); }
  // Sets last_message_id, which orders conversation lists, of the conversations this
  // transaction appended to: once per conversation per batch, from what the messages table
  // holds (so a unit rolled back to its savepoint leaves no trace), just before the commit.
  void refreshLastMessageIds();
  void forgetAppends() { conversations_appended_.clear(); }

  std::optional<User> findUser(UserId id) override;
  std::optional<User> findUserByUsername(const std::string& username) override;
  std::vector<User> listUsers(std::optional<Role> role) override;
  std::vector<User> usersAccessChangedSince(TimePoint since) override;
  std::optional<ServiceRequest> findRequest(RequestId id) override;
  std::vector<ServiceRequest> listRequests(const RequestFilter& filter) override;
  std::optional<Conversation> findConversation(ConversationId id) override;
  std::vector<UserId> participantIds(ConversationId id) override;
  std::vector<ConversationId> conversationIds(ConversationId after, int limit) override;
  bool takesPartInAny(UserId user) override;
  ConversationListPage conversationsOf(UserId user, const ConversationListQuery& query) override;
  std::vector<ConversationPeople> conversationPeopleOf(UserId user) override;
  std::optional<Message> findMessage(MessageId id) override;
  std::optional<Message> findMessageByClientId(UserId sender,
                                               const std::string& client_id) override;
  MessagePage messages(ConversationId conversation, const MessageQuery& query) override;
  std::int64_t unreadCount(ConversationId conversation, UserId user) override;
  MessageId lastMessageId() override;
  std::optional<AttachmentRecord> findAttachment(std::int64_t id) override;

  User insertUser(const NewUser& user) override;
  bool updateUserAccess(UserId id, const UserAccess& access) override;
  ServiceRequest insertRequest(const NewServiceRequest& request) override;
  void updateRequest(const ServiceRequest& request) override;
  Conversation insertConversation(RequestId request, const std::vector<Participant>& participants,
                                  TimePoint created_at) override;
  void replaceParticipant(ConversationId conversation, UserId old_user,
                          const Participant& new_participant) override;
  Message insertMessage(const NewMessage& message) override;
  void updateMessageContent(MessageId id, const std::string& content_json) override;
  void advanceReadMarker(ConversationId conversation, UserId user, MessageId upto) override;
  AttachmentRecord insertAttachment(const AttachmentRecord& attachment) override;
  bool linkAttachment(std::int64_t attachment_id, MessageId message,
                      ConversationId conversation) override;
  std::vector<AttachmentRecord> unreferencedAttachments(TimePoint cutoff, int limit) override;
  bool deleteUnreferencedAttachment(std::int64_t id) override;
  std::int64_t unreferencedBytesOf(UserId owner) override;
  bool blobInUse(const std::string& sha256) override;
  std::vector<std::pair<TimePoint, std::int64_t>> messagesPerHour(UserId participant,
                                                                  TimePoint since) override;
  Notification insertNotification(const Notification& notification) override;
  std::vector<Notification> notificationsOf(UserId user, bool unread_only, int limit) override;
  bool markNotificationRead(std::int64_t id, UserId user, TimePoint at) override;
  void insertRefreshToken(const RefreshTokenRecord& token, TimePoint now) override;
  std::optional<RefreshTokenRecord> findRefreshToken(const std::string& id) override;
  bool useRefreshToken(const std::string& id, TimePoint at) override;
  bool refreshFamilyUsedSince(const std::string& family, const std::string& except,
                              TimePoint since) override;
  void revokeRefreshFamily(const std::string& family) override;
  void insertTrackingLink(const TrackingLinkRecord& link) override;
  std::optional<TrackingLinkRecord> findTrackingLink(const std::string& token_hash) override;
  int revokeTrackingLinks(RequestId request) override;

 private:
  std::int64_t lastInsertId();

  Poco::Data::Session db_;
  PreparedStatements prepared_;  // the message path's statements, on the same connection
  // Conversations this transaction inserted messages into (refreshLastMessageIds).
  std::set<std::int64_t> conversations_appended_;
};

}  // namespace fieldlink::sqlite

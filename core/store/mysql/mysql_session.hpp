#pragma once

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "store/mysql/mysql_target.hpp"
#include "store/store.hpp"

namespace fieldlink::mysql {

// StoreSession over one MySQL/MariaDB connection (Connector/C++ 1.1), with its prepared
// statements cached for the connection's life. Not thread-safe: one thread at a time.
// Methods throw sql::SQLException; MysqlStore turns those into the core's errors and
// replaces the connection when it was lost.
class MysqlSession final : public StoreSession {
 public:
  // Connects (throws sql::SQLException when it cannot). The writer's session reads what
  // other nodes committed a moment ago (READ COMMITTED), and locks a conversation's row
  // while it appends to it, so ids grow in commit order within each conversation.
  // `read_only`: the server refuses writes on this connection (the store's readers).
  MysqlSession(const MysqlTarget& target, bool read_only);

  sql::Connection& connection() { return *connection_; }
  // A plain statement without parameters or results (transaction control).
  void execute(const char* sql);
  // Drops the connection and opens a new one (the statement cache goes with it).
  void reconnect();
  // The transaction ended (commit or rollback): the row locks it held are gone.
  void transactionEnded() {
    locked_conversations_.clear();
    participants_.clear();
    conversations_appended_.clear();
  }
  // Sets last_message_id of the conversations this transaction appended to, before it
  // commits (under their row locks, which the appends took).
  void refreshLastMessageIds();
  // Set by the store when an error said the connection is gone.
  void markLost() { lost_ = true; }
  bool lost() const { return lost_; }

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

  // A bound parameter: NULL, an integer, a real or a text.
  using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

 private:
  sql::PreparedStatement& prepared(const std::string& sql, const std::vector<Value>& values);
  // Rows of a query, each turned into a T by `map(ResultSet&)`.
  template <class T, class Map>
  std::vector<T> select(const std::string& sql, const std::vector<Value>& values, Map&& map);
  int update(const std::string& sql, const std::vector<Value>& values);  // affected rows
  std::int64_t count(const std::string& sql, const std::vector<Value>& values);
  std::int64_t lastInsertId();

  MysqlTarget target_;
  bool read_only_;
  std::unique_ptr<sql::Connection> connection_;
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>> statements_;
  bool lost_ = false;
  // Conversations whose row this transaction holds locked (InnoDB keeps row locks until the
  // transaction ends, through savepoint rollbacks): locked once, not once per message.
  std::set<std::int64_t> locked_conversations_;
  // The people of the conversations this transaction locked, as read when it locked them:
  // while the lock is held nobody else changes them (replaceParticipant takes it too), so
  // the next append to one asks the server nothing.
  std::unordered_map<std::int64_t, std::vector<UserId>> participants_;
  // Conversations this transaction inserted messages into: their last_message_id is set
  // once, just before the commit (refreshLastMessageIds).
  std::set<std::int64_t> conversations_appended_;
  // MariaDB 10.5 and later answer INSERT ... RETURNING: a new message's id in the insert's
  // own round trip, not one more for LAST_INSERT_ID().
  bool insert_returning_ = false;
};

// Whether a server of this VERSION() answers INSERT ... RETURNING (MariaDB 10.5 and later).
bool supportsInsertReturning(const std::string& version);

// Opens a connection with the store's settings: utf8mb4, READ COMMITTED, affected rows that
// count matched rows (as SQLite's changes() does), timeouts from the target.
std::unique_ptr<sql::Connection> connectTo(const MysqlTarget& target, bool read_only = false);

}  // namespace fieldlink::mysql

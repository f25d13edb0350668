#include "store/sqlite/sqlite_session.hpp"

#include <algorithm>
#include <sstream>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Nullable.h>

#include "domain/errors.hpp"
#include "store/message_rows.hpp"
#include "store/shared_sql.hpp"
#include "store/store_errors.hpp"

namespace fieldlink::sqlite {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;
using NullableInt = Poco::Nullable<Poco::Int64>;
using NullableDouble = Poco::Nullable<double>;

// Typed access to one row of a result.
class Row {
 public:
  Row(const RecordSet& rs, std::size_t row) : rs_(rs), row_(row) {}
  bool isNull(std::size_t col) const { return rs_.isNull(col, row_); }
  std::int64_t int64(std::size_t col) const { return rs_.value(col, row_).convert<Poco::Int64>(); }
  std::string text(std::size_t col) const {
    return isNull(col) ? std::string() : rs_.value(col, row_).convert<std::string>();
  }
  double real(std::size_t col) const { return rs_.value(col, row_).convert<double>(); }
  std::optional<std::int64_t> optInt64(std::size_t col) const {
    if (isNull(col)) return std::nullopt;
    return int64(col);
  }
  TimePoint time(std::size_t col) const { return fromEpochMs(int64(col)); }

 private:
  const RecordSet& rs_;
  std::size_t row_;
};

template <class T, class RowMapper>
std::vector<T> mapRows(Statement& statement, RowMapper&& map) {
  statement.execute();
  RecordSet rs(statement);
  std::vector<T> out;
  out.reserve(rs.rowCount());
  for (std::size_t r = 0; r < rs.rowCount(); ++r) out.push_back(map(Row(rs, r)));
  return out;
}

void bindAll(Statement& statement, const SqlValues& values) {
  for (const auto& value : values) {
    if (const auto* id = std::get_if<std::int64_t>(&value))
      statement, bind(static_cast<Poco::Int64>(*id));
    else
      statement, bind(std::get<std::string>(value));
  }
}

template <class T>
std::optional<T> firstOf(std::vector<T>&& rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

constexpr const char* kAttachmentColumns =
    "id, owner_id, sha256, content_type, size, name, created_at, message_type, media, "
    "message_id, conversation_id";

AttachmentRecord attachmentOf(const Row& row) {
  AttachmentRecord a;
  a.id = row.int64(0);
  a.owner_id = UserId(row.int64(1));
  a.sha256 = row.text(2);
  a.content_type = row.text(3);
  a.size = row.int64(4);
  a.name = row.text(5);
  a.created_at = row.time(6);
  a.message_type = row.text(7);
  a.media_json = row.text(8);
  if (auto message = row.optInt64(9)) a.message_id = MessageId(*message);
  if (auto conversation = row.optInt64(10)) a.conversation_id = ConversationId(*conversation);
  return a;
}

#define FIELDLINK_USER_SELECT                                                             \
  "SELECT id, username, display_name, role, phone, password_hash, created_at, disabled, " \
  "session_generation, access_changed_at FROM users "

// From a Row or a kept statement's current row.
template <class R>
User userFrom(const R& row) {
  User u;
  u.id = UserId(row.int64(0));
  u.username = row.text(1);
  u.display_name = row.text(2);
  u.role = parseRole(row.text(3)).value_or(Role::Client);
  u.phone = row.text(4);
  u.password_hash = row.text(5);
  u.created_at = fromEpochMs(row.int64(6));
  u.disabled = row.int64(7) != 0;
  u.session_generation = row.int64(8);
  u.access_changed_at = fromEpochMs(row.int64(9));
  return u;
}

constexpr const char* kRequestColumns =
    "SELECT id, client_id, technician_id, conversation_id, title, description, address, "
    "latitude, longitude, status, created_at, updated_at FROM service_requests ";

ServiceRequest requestFrom(const Row& row) {
  ServiceRequest r;
  r.id = RequestId(row.int64(0));
  r.client_id = UserId(row.int64(1));
  if (auto t = row.optInt64(2)) r.technician_id = UserId(*t);
  if (auto c = row.optInt64(3)) r.conversation_id = ConversationId(*c);
  r.title = row.text(4);
  r.description = row.text(5);
  r.address = row.text(6);
  if (!row.isNull(7) && !row.isNull(8)) r.location = GeoPoint{row.real(7), row.real(8)};
  r.status = parseRequestStatus(row.text(9)).value_or(RequestStatus::Pending);
  r.created_at = row.time(10);
  r.updated_at = row.time(11);
  return r;
}

// From FIELDLINK_MESSAGE_SELECT's columns. Messages are read on the hot paths (history pages,
// resumes): straight from a kept statement there, from a Row elsewhere.
template <class R>
Message messageFrom(const R& row, bool content_as_text = false) {
  Message m;
  m.id = MessageId(row.int64(0));
  m.conversation_id = ConversationId(row.int64(1));
  if (!row.isNull(2)) m.sender_id = UserId(row.int64(2));
  m.message_type = row.text(3);
  if (content_as_text)
    m.content_json = row.text(4);
  else
    m.content = parseContentColumn(row.text(4));
  m.attachment_ids = parseAttachmentsColumn(row.text(5));
  if (!row.isNull(6)) m.client_id = row.text(6);
  m.created_at = fromEpochMs(row.int64(7));
  return m;
}

std::vector<Message> messagesFrom(PreparedStatements::Use& query, bool content_as_text) {
  std::vector<Message> out;
  while (query.step()) out.push_back(messageFrom(query, content_as_text));
  return out;
}

NullableInt nullableId(const std::optional<std::int64_t>& v) {
  return v ? NullableInt(static_cast<Poco::Int64>(*v)) : NullableInt();
}

}  // namespace

SqliteSession::SqliteSession(Poco::Data::Session session)
    : db_(std::move(session)), prepared_(Poco::Data::SQLite::Utility::dbHandle(db_)) {}

std::int64_t SqliteSession::lastInsertId() { return sqlite3_last_insert_rowid(prepared_.db()); }

std::vector<UserId> SqliteSession::participantIds(ConversationId id) {
  auto query =
      prepared_.use("SELECT user_id FROM participants WHERE conversation_id = ? ORDER BY user_id");
  query.bind(1, id.value);
  std::vector<UserId> ids;
  while (query.step()) ids.emplace_back(query.int64(0));
  return ids;
}

bool SqliteSession::takesPartInAny(UserId user) {
  int found = 0;
  db_ << "SELECT COUNT(*) FROM (SELECT 1 FROM participants WHERE user_id = ? LIMIT 1)",
      bind(static_cast<Poco::Int64>(user.value)), into(found), now;
  return found > 0;
}

std::optional<User> SqliteSession::findUser(UserId id) {
  // Asked on every authenticated request: a kept statement.
  auto query = prepared_.use(FIELDLINK_USER_SELECT "WHERE id = ?");
  query.bind(1, id.value);
  if (!query.step()) return std::nullopt;
  return userFrom(query);
}

std::optional<User> SqliteSession::findUserByUsername(const std::string& username) {
  Statement st(db_);
  st << FIELDLINK_USER_SELECT "WHERE username = ? COLLATE NOCASE", bind(username);
  return firstOf(mapRows<User>(st, userFrom<Row>));
}

std::vector<User> SqliteSession::listUsers(std::optional<Role> role) {
  Statement st(db_);
  if (role) {
    st << FIELDLINK_USER_SELECT "WHERE role = ? ORDER BY id", bind(toString(*role));
  } else {
    st << FIELDLINK_USER_SELECT "ORDER BY id";
  }
  return mapRows<User>(st, userFrom<Row>);
}

std::vector<User> SqliteSession::usersAccessChangedSince(TimePoint since) {
  Statement st(db_);
  st << FIELDLINK_USER_SELECT "WHERE access_changed_at >= ? ORDER BY id",
      bind(static_cast<Poco::Int64>(toEpochMs(since)));
  return mapRows<User>(st, userFrom<Row>);
}

std::optional<ServiceRequest> SqliteSession::findRequest(RequestId id) {
  Statement st(db_);
  st << kRequestColumns << "WHERE id = ?", bind(static_cast<Poco::Int64>(id.value));
  return firstOf(mapRows<ServiceRequest>(st, requestFrom));
}

std::vector<ServiceRequest> SqliteSession::listRequests(const RequestFilter& filter) {
  const RequestListSql query = requestListSql(filter);
  Statement st(db_);
  st << kRequestColumns << query.where_and_order;
  bindAll(st, query.values);
  return mapRows<ServiceRequest>(st, requestFrom);
}

std::optional<Conversation> SqliteSession::findConversation(ConversationId id) {
  // Asked on every conversation request (the participant check): kept statements.
  Conversation conversation;
  {
    auto head = prepared_.use("SELECT id, request_id, created_at FROM conversations WHERE id = ?");
    head.bind(1, id.value);
    if (!head.step()) return std::nullopt;
    conversation.id = ConversationId(head.int64(0));
    conversation.request_id = RequestId(head.int64(1));
    conversation.created_at = fromEpochMs(head.int64(2));
  }
  auto members = prepared_.use(
      "SELECT user_id, role, last_read_message_id FROM participants "
      "WHERE conversation_id = ? ORDER BY user_id");
  members.bind(1, id.value);
  while (members.step())
    conversation.participants.push_back(
        Participant{UserId(members.int64(0)), parseRole(members.text(1)).value_or(Role::Client),
                    MessageId(members.int64(2))});
  return conversation;
}

std::vector<ConversationId> SqliteSession::conversationIds(ConversationId after, int limit) {
  Statement st(db_);
  st << "SELECT id FROM conversations WHERE id > ? ORDER BY id LIMIT ?",
      bind(static_cast<Poco::Int64>(after.value)), bind(limit);
  return mapRows<ConversationId>(st, [](const Row& row) { return ConversationId(row.int64(0)); });
}

ConversationListPage SqliteSession::conversationsOf(UserId user,
                                                    const ConversationListQuery& query) {
  const ConversationListSql list = conversationListSql(user, query);
  Statement st(db_);
  st << list.sql;
  bindAll(st, list.values);
  auto rows = mapRows<ConversationRow>(st, [](const Row& row) {
    return ConversationRow{ConversationId(row.int64(0)), row.int64(1)};
  });
  return conversationPage(
      std::move(rows), query.limit, [&](const SqlValues& conversations, const SqlValues& messages) {
        const ConversationPageSql sql = conversationPageSql(conversations.size(), messages.size());
        ConversationPageParts parts;
        Statement heads(db_);
        heads << sql.heads;
        bindAll(heads, conversations);
        parts.conversations = mapRows<Conversation>(heads, [](const Row& row) {
          Conversation c;
          c.id = ConversationId(row.int64(0));
          c.request_id = RequestId(row.int64(1));
          c.created_at = row.time(2);
          return c;
        });
        Statement people(db_);
        people << sql.people;
        bindAll(people, conversations);
        addPeople(parts.conversations,
                  mapRows<std::pair<std::int64_t, Participant>>(people, [](const Row& row) {
                    return std::make_pair(row.int64(3),
                                          Participant{UserId(row.int64(0)),
                                                      parseRole(row.text(1)).value_or(Role::Client),
                                                      MessageId(row.int64(2))});
                  }));
        Statement unread(db_);
        unread << sql.unread, bind(static_cast<Poco::Int64>(user.value));
        bindAll(unread, conversations);
        for (const auto& [id, count] : mapRows<std::pair<std::int64_t, std::int64_t>>(
                 unread, [](const Row& row) { return std::make_pair(row.int64(0), row.int64(1)); }))
          parts.unread[id] = count;
        if (messages.size() > 1 || std::get<std::int64_t>(messages.front()) != 0) {
          Statement last(db_);
          last << sql.last_messages;
          bindAll(last, messages);
          parts.last_messages =
              mapRows<Message>(last, [](const Row& row) { return messageFrom(row); });
        }
        return parts;
      });
}

std::vector<ConversationPeople> SqliteSession::conversationPeopleOf(UserId user) {
  Statement st(db_);
  st << kConversationPeopleSql, bind(static_cast<Poco::Int64>(user.value));
  return groupPeople(mapRows<std::pair<std::int64_t, std::int64_t>>(
      st, [](const Row& row) { return std::make_pair(row.int64(0), row.int64(1)); }));
}

std::optional<Message> SqliteSession::findMessage(MessageId id) {
  auto query = prepared_.use(FIELDLINK_MESSAGE_SELECT "WHERE id = ?");
  query.bind(1, id.value);
  if (!query.step()) return std::nullopt;
  return messageFrom(query);
}

std::optional<Message> SqliteSession::findMessageByClientId(UserId sender,
                                                            const std::string& client_id) {
  // Asked for every message that carries a client_id, and almost always absent.
  std::optional<MessageId> found;
  {
    auto query = prepared_.use("SELECT id FROM messages WHERE sender_id = ? AND client_id = ?");
    query.bind(1, sender.value).bind(2, client_id);
    if (query.step()) found = MessageId(query.int64(0));
  }
  if (!found) return std::nullopt;
  return findMessage(*found);
}

MessagePage SqliteSession::messages(ConversationId conversation, const MessageQuery& query) {
  const Poco::Int64 fetch = query.limit + 1;  // one more tells whether there are more
  const Poco::Int64 before =
      query.before_id ? query.before_id->value : std::numeric_limits<Poco::Int64>::max();
  MessagePage page;
  if (query.after_id) {
    auto rows = prepared_.use(FIELDLINK_MESSAGE_SELECT
                              "WHERE conversation_id = ? AND id > ? AND id < ? "
                              "ORDER BY id ASC LIMIT ?");
    rows.bind(1, conversation.value).bind(2, query.after_id->value).bind(3, before).bind(4, fetch);
    page.results = messagesFrom(rows, query.content_as_text);
    page.has_more = page.results.size() > static_cast<std::size_t>(query.limit);
    if (page.has_more) page.results.pop_back();
  } else {
    auto rows = prepared_.use(FIELDLINK_MESSAGE_SELECT
                              "WHERE conversation_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
    rows.bind(1, conversation.value).bind(2, before).bind(3, fetch);
    page.results = messagesFrom(rows, query.content_as_text);
    page.has_more = page.results.size() > static_cast<std::size_t>(query.limit);
    if (page.has_more) page.results.pop_back();
    std::reverse(page.results.begin(), page.results.end());
  }
  return page;
}

std::int64_t SqliteSession::unreadCount(ConversationId conversation, UserId user) {
  // Asked for each row of a conversation list page: a kept statement.
  auto query = prepared_.use(
      "SELECT COUNT(*) FROM messages m JOIN participants p "
      "ON p.conversation_id = m.conversation_id AND p.user_id = ? "
      "WHERE m.conversation_id = ? AND m.id > p.last_read_message_id "
      "AND (m.sender_id IS NULL OR m.sender_id <> p.user_id)");
  query.bind(1, user.value).bind(2, conversation.value);
  query.step();
  return query.int64(0);
}

MessageId SqliteSession::lastMessageId() {
  Poco::Int64 last = 0;
  db_ << "SELECT COALESCE(MAX(id), 0) FROM messages", into(last), now;
  return MessageId(last);
}

std::optional<AttachmentRecord> SqliteSession::findAttachment(std::int64_t id) {
  Statement st(db_);
  st << "SELECT " << kAttachmentColumns << " FROM attachments WHERE id = ?",
      bind(static_cast<Poco::Int64>(id));
  return firstOf(mapRows<AttachmentRecord>(st, attachmentOf));
}

User SqliteSession::insertUser(const NewUser& user) {
  if (findUserByUsername(user.username))
    throw Conflict("A user with that username already exists.", "username_taken");
  db_ << "INSERT INTO users (username, display_name, role, phone, password_hash, created_at) "
         "VALUES (?, ?, ?, ?, ?, ?)",
      bind(user.username), bind(user.display_name), bind(toString(user.role)), bind(user.phone),
      bind(user.password_hash), bind(static_cast<Poco::Int64>(toEpochMs(user.created_at))), now;
  return *findUser(UserId(lastInsertId()));
}

bool SqliteSession::updateUserAccess(UserId id, const UserAccess& access) {
  db_ << "UPDATE users SET disabled = ?, password_hash = ?, session_generation = ?, "
         "access_changed_at = ? WHERE id = ?",
      bind(static_cast<Poco::Int64>(access.disabled ? 1 : 0)), bind(access.password_hash),
      bind(static_cast<Poco::Int64>(access.session_generation)),
      bind(static_cast<Poco::Int64>(toEpochMs(access.access_changed_at))),
      bind(static_cast<Poco::Int64>(id.value)), now;
  return sqlite3_changes(prepared_.db()) == 1;
}

ServiceRequest SqliteSession::insertRequest(const NewServiceRequest& request) {
  const NullableDouble lat =
      request.location ? NullableDouble(request.location->latitude) : NullableDouble();
  const NullableDouble lon =
      request.location ? NullableDouble(request.location->longitude) : NullableDouble();
  const Poco::Int64 created = toEpochMs(request.created_at);
  db_ << "INSERT INTO service_requests (client_id, title, description, address, latitude, "
         "longitude, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      bind(static_cast<Poco::Int64>(request.client_id.value)), bind(request.title),
      bind(request.description), bind(request.address), bind(lat), bind(lon),
      bind(toString(RequestStatus::Pending)), bind(created), bind(created), now;
  return *findRequest(RequestId(lastInsertId()));
}

void SqliteSession::updateRequest(const ServiceRequest& request) {
  const NullableInt technician =
      request.technician_id ? nullableId(request.technician_id->value) : NullableInt();
  const NullableInt conversation =
      request.conversation_id ? nullableId(request.conversation_id->value) : NullableInt();
  db_ << "UPDATE service_requests SET technician_id = ?, conversation_id = ?, status = ?, "
         "updated_at = ? WHERE id = ?",
      bind(technician), bind(conversation), bind(toString(request.status)),
      bind(static_cast<Poco::Int64>(toEpochMs(request.updated_at))),
      bind(static_cast<Poco::Int64>(request.id.value)), now;
}

Conversation SqliteSession::insertConversation(RequestId request,
                                               const std::vector<Participant>& participants,
                                               TimePoint created_at) {
  db_ << "INSERT INTO conversations (request_id, created_at) VALUES (?, ?)",
      bind(static_cast<Poco::Int64>(request.value)),
      bind(static_cast<Poco::Int64>(toEpochMs(created_at))), now;
  const ConversationId id(lastInsertId());
  for (const auto& p : participants) {
    db_ << "INSERT INTO participants (conversation_id, user_id, role, last_read_message_id) "
           "VALUES (?, ?, ?, ?)",
        bind(static_cast<Poco::Int64>(id.value)), bind(static_cast<Poco::Int64>(p.user_id.value)),
        bind(toString(p.role)), bind(static_cast<Poco::Int64>(p.last_read.value)), now;
  }
  return *findConversation(id);
}

void SqliteSession::replaceParticipant(ConversationId conversation, UserId old_user,
                                       const Participant& new_participant) {
  db_ << "DELETE FROM participants WHERE conversation_id = ? AND user_id = ?",
      bind(static_cast<Poco::Int64>(conversation.value)),
      bind(static_cast<Poco::Int64>(old_user.value)), now;
  db_ << "INSERT OR REPLACE INTO participants (conversation_id, user_id, role, "
         "last_read_message_id) VALUES (?, ?, ?, ?)",
      bind(static_cast<Poco::Int64>(conversation.value)),
      bind(static_cast<Poco::Int64>(new_participant.user_id.value)),
      bind(toString(new_participant.role)),
      bind(static_cast<Poco::Int64>(new_participant.last_read.value)), now;
}

Message SqliteSession::insertMessage(const NewMessage& message) {
  {
    auto insert = prepared_.use(
        "INSERT INTO messages (conversation_id, sender_id, message_type, content, attachments, "
        "client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, message.conversation_id.value);
    if (message.sender_id)
      insert.bind(2, message.sender_id->value);
    else
      insert.bindNull(2);
    insert.bind(3, message.message_type);
    insert.bind(4, contentColumn(message));
    insert.bind(5, attachmentsColumn(message.attachment_ids));
    if (message.client_id)
      insert.bind(6, *message.client_id);
    else
      insert.bindNull(6);
    insert.bind(7, toEpochMs(message.created_at));
    try {
      insert.step();
    } catch (const Conflict& e) {
      // The only unique key a message has besides its id.
      if (message.client_id && e.code() == "unique") throw ClientIdTaken();
      throw;
    }
  }
  conversations_appended_.insert(message.conversation_id.value);
  return storedMessage(message, MessageId(lastInsertId()));
}

void SqliteSession::refreshLastMessageIds() {
  for (const std::int64_t conversation : conversations_appended_) {
    auto refresh = prepared_.use(
        "UPDATE conversations SET last_message_id = COALESCE("
        "(SELECT MAX(m.id) FROM messages m WHERE m.conversation_id = conversations.id), 0) "
        "WHERE id = ?");
    refresh.bind(1, conversation);
    refresh.step();
  }
  conversations_appended_.clear();
}

void SqliteSession::updateMessageContent(MessageId id, const std::string& content_json) {
  db_ << "UPDATE messages SET content = ? WHERE id = ?", bind(content_json),
      bind(static_cast<Poco::Int64>(id.value)), now;
}

void SqliteSession::advanceReadMarker(ConversationId conversation, UserId user, MessageId upto) {
  db_ << "UPDATE participants SET last_read_message_id = MAX(last_read_message_id, ?) "
         "WHERE conversation_id = ? AND user_id = ?",
      bind(static_cast<Poco::Int64>(upto.value)),
      bind(static_cast<Poco::Int64>(conversation.value)),
      bind(static_cast<Poco::Int64>(user.value)), now;
}

AttachmentRecord SqliteSession::insertAttachment(const AttachmentRecord& attachment) {
  db_ << "INSERT INTO attachments (owner_id, sha256, content_type, size, name, created_at, "
         "message_type, media) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      bind(static_cast<Poco::Int64>(attachment.owner_id.value)), bind(attachment.sha256),
      bind(attachment.content_type), bind(static_cast<Poco::Int64>(attachment.size)),
      bind(attachment.name), bind(static_cast<Poco::Int64>(toEpochMs(attachment.created_at))),
      bind(attachment.message_type), bind(attachment.media_json), now;
  return *findAttachment(lastInsertId());
}

bool SqliteSession::linkAttachment(std::int64_t attachment_id, MessageId message,
                                   ConversationId conversation) {
  db_ << "UPDATE attachments SET message_id = ?, conversation_id = ? "
         "WHERE id = ? AND message_id IS NULL",
      bind(static_cast<Poco::Int64>(message.value)),
      bind(static_cast<Poco::Int64>(conversation.value)),
      bind(static_cast<Poco::Int64>(attachment_id)), now;
  return sqlite3_changes(prepared_.db()) == 1;
}

std::vector<AttachmentRecord> SqliteSession::unreferencedAttachments(TimePoint cutoff, int limit) {
  Statement st(db_);
  st << "SELECT " << kAttachmentColumns
     << " FROM attachments WHERE message_id IS NULL AND created_at < ? "
        "ORDER BY created_at LIMIT ?",
      bind(static_cast<Poco::Int64>(toEpochMs(cutoff))), bind(limit);
  return mapRows<AttachmentRecord>(st, attachmentOf);
}

bool SqliteSession::deleteUnreferencedAttachment(std::int64_t id) {
  db_ << "DELETE FROM attachments WHERE id = ? AND message_id IS NULL",
      bind(static_cast<Poco::Int64>(id)), now;
  return sqlite3_changes(prepared_.db()) == 1;
}

std::int64_t SqliteSession::unreferencedBytesOf(UserId owner) {
  Poco::Int64 bytes = 0;
  db_ << "SELECT COALESCE(SUM(size), 0) FROM attachments WHERE owner_id = ? AND message_id IS NULL",
      bind(static_cast<Poco::Int64>(owner.value)), into(bytes), now;
  return bytes;
}

bool SqliteSession::blobInUse(const std::string& sha256) {
  int count = 0;
  db_ << "SELECT COUNT(*) FROM attachments WHERE sha256 = ?", bind(sha256), into(count), now;
  return count > 0;
}

std::vector<std::pair<TimePoint, std::int64_t>> SqliteSession::messagesPerHour(UserId participant,
                                                                               TimePoint since) {
  Statement st(db_);
  st << kMessagesPerHourSql, bind(static_cast<Poco::Int64>(participant.value)),
      bind(static_cast<Poco::Int64>(toEpochMs(since)));
  return mapRows<std::pair<TimePoint, std::int64_t>>(st, [](const Row& row) {
    return std::pair{fromEpochMs(row.int64(0)), row.int64(1)};
  });
}

Notification SqliteSession::insertNotification(const Notification& n) {
  const Poco::Nullable<Poco::Int64> request = n.request_id
                                                  ? Poco::Nullable<Poco::Int64>(n.request_id->value)
                                                  : Poco::Nullable<Poco::Int64>();
  const Poco::Nullable<Poco::Int64> conversation =
      n.conversation_id ? Poco::Nullable<Poco::Int64>(n.conversation_id->value)
                        : Poco::Nullable<Poco::Int64>();
  db_ << "INSERT INTO notifications (user_id, kind, title, body, data, request_id, "
         "conversation_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      bind(static_cast<Poco::Int64>(n.user_id.value)), bind(n.kind), bind(n.title), bind(n.body),
      bind(n.data_json), bind(request), bind(conversation),
      bind(static_cast<Poco::Int64>(toEpochMs(n.created_at))), now;
  Notification stored = n;
  stored.id = lastInsertId();
  return stored;
}

std::vector<Notification> SqliteSession::notificationsOf(UserId user, bool unread_only, int limit) {
  Statement st(db_);
  st << "SELECT id, user_id, kind, title, body, data, request_id, conversation_id, created_at, "
        "read_at FROM notifications WHERE user_id = ? "
     << (unread_only ? "AND read_at IS NULL " : "") << "ORDER BY id DESC LIMIT ?",
      bind(static_cast<Poco::Int64>(user.value)), bind(limit);
  return mapRows<Notification>(st, [](const Row& row) {
    Notification n;
    n.id = row.int64(0);
    n.user_id = UserId(row.int64(1));
    n.kind = row.text(2);
    n.title = row.text(3);
    n.body = row.text(4);
    n.data_json = row.text(5);
    if (auto request = row.optInt64(6)) n.request_id = RequestId(*request);
    if (auto conversation = row.optInt64(7)) n.conversation_id = ConversationId(*conversation);
    n.created_at = row.time(8);
    if (auto read = row.optInt64(9)) n.read_at = fromEpochMs(*read);
    return n;
  });
}

bool SqliteSession::markNotificationRead(std::int64_t id, UserId user, TimePoint at) {
  db_ << "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?",
      bind(static_cast<Poco::Int64>(toEpochMs(at))), bind(static_cast<Poco::Int64>(id)),
      bind(static_cast<Poco::Int64>(user.value)), now;
  return sqlite3_changes(prepared_.db()) == 1;
}

void SqliteSession::insertRefreshToken(const RefreshTokenRecord& token, TimePoint now) {
  db_ << "DELETE FROM refresh_tokens WHERE expires_at < ?",
      bind(static_cast<Poco::Int64>(toEpochMs(now))), Poco::Data::Keywords::now;
  db_ << "INSERT INTO refresh_tokens (id, family, user_id, expires_at) VALUES (?, ?, ?, ?)",
      bind(token.id), bind(token.family), bind(static_cast<Poco::Int64>(token.user_id.value)),
      bind(static_cast<Poco::Int64>(toEpochMs(token.expires_at))), Poco::Data::Keywords::now;
}

std::optional<RefreshTokenRecord> SqliteSession::findRefreshToken(const std::string& id) {
  Statement st(db_);
  st << "SELECT id, family, user_id, expires_at, used_at, revoked FROM refresh_tokens "
        "WHERE id = ?",
      bind(id);
  return firstOf(mapRows<RefreshTokenRecord>(st, [](const Row& row) {
    RefreshTokenRecord t;
    t.id = row.text(0);
    t.family = row.text(1);
    t.user_id = UserId(row.int64(2));
    t.expires_at = fromEpochMs(row.int64(3));
    if (auto used = row.optInt64(4)) t.used_at = fromEpochMs(*used);
    t.revoked = row.int64(5) != 0;
    return t;
  }));
}

bool SqliteSession::useRefreshToken(const std::string& id, TimePoint at) {
  db_ << "UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked = 0",
      bind(static_cast<Poco::Int64>(toEpochMs(at))), bind(id), Poco::Data::Keywords::now;
  return sqlite3_changes(prepared_.db()) == 1;
}

bool SqliteSession::refreshFamilyUsedSince(const std::string& family, const std::string& except,
                                           TimePoint since) {
  Poco::Int64 found = 0;
  db_ << "SELECT COUNT(*) FROM (SELECT 1 FROM refresh_tokens WHERE family = ? AND id <> ? AND "
         "used_at >= ? LIMIT 1)",
      bind(family), bind(except), bind(static_cast<Poco::Int64>(toEpochMs(since))), into(found),
      Poco::Data::Keywords::now;
  return found > 0;
}

void SqliteSession::revokeRefreshFamily(const std::string& family) {
  db_ << "UPDATE refresh_tokens SET revoked = 1 WHERE family = ?", bind(family),
      Poco::Data::Keywords::now;
}

void SqliteSession::insertTrackingLink(const TrackingLinkRecord& link) {
  db_ << "DELETE FROM tracking_links WHERE expires_at < ?",
      bind(static_cast<Poco::Int64>(toEpochMs(link.created_at))), Poco::Data::Keywords::now;
  db_ << "INSERT INTO tracking_links (token_hash, request_id, created_by, created_at, expires_at) "
         "VALUES (?, ?, ?, ?, ?)",
      bind(link.token_hash), bind(static_cast<Poco::Int64>(link.request_id.value)),
      bind(static_cast<Poco::Int64>(link.created_by.value)),
      bind(static_cast<Poco::Int64>(toEpochMs(link.created_at))),
      bind(static_cast<Poco::Int64>(toEpochMs(link.expires_at))), Poco::Data::Keywords::now;
}

std::optional<TrackingLinkRecord> SqliteSession::findTrackingLink(const std::string& token_hash) {
  Statement st(db_);
  st << "SELECT " << kTrackingLinkColumns << " FROM tracking_links WHERE token_hash = ?",
      bind(token_hash);
  return firstOf(mapRows<TrackingLinkRecord>(st, [](const Row& row) {
    TrackingLinkRecord link;
    link.token_hash = row.text(0);
    link.request_id = RequestId(row.int64(1));
    link.created_by = UserId(row.int64(2));
    link.created_at = fromEpochMs(row.int64(3));
    link.expires_at = fromEpochMs(row.int64(4));
    link.revoked = row.int64(5) != 0;
    return link;
  }));
}

int SqliteSession::revokeTrackingLinks(RequestId request) {
  db_ << "UPDATE tracking_links SET revoked = 1 WHERE request_id = ? AND revoked = 0",
      bind(static_cast<Poco::Int64>(request.value)), Poco::Data::Keywords::now;
  return sqlite3_changes(prepared_.db());
}

}  // namespace fieldlink::sqlite

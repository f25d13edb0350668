#include "store/mysql/mysql_session.hpp"

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <algorithm>
#include <cstdio>
#include <limits>

#include "domain/errors.hpp"
#include "store/message_rows.hpp"
#include "store/mysql/mysql_errors.hpp"
#include "store/shared_sql.hpp"
#include "store/store_errors.hpp"

namespace fieldlink::mysql {
namespace {

using Value = MysqlSession::Value;

std::string text(sql::ResultSet& rs, int column) {
  return rs.isNull(column) ? std::string() : rs.getString(column).asStdString();
}

std::optional<std::int64_t> optInt64(sql::ResultSet& rs, int column) {
  if (rs.isNull(column)) return std::nullopt;
  return rs.getInt64(column);
}

TimePoint time(sql::ResultSet& rs, int column) { return fromEpochMs(rs.getInt64(column)); }

constexpr const char* kUserColumns =
    "SELECT id, username, display_name, role, phone, password_hash, created_at, disabled, "
    "session_generation, access_changed_at FROM users ";

User userFrom(sql::ResultSet& rs) {
  User u;
  u.id = UserId(rs.getInt64(1));
  u.username = text(rs, 2);
  u.display_name = text(rs, 3);
  u.role = parseRole(text(rs, 4)).value_or(Role::Client);
  u.phone = text(rs, 5);
  u.password_hash = text(rs, 6);
  u.created_at = time(rs, 7);
  u.disabled = rs.getInt64(8) != 0;
  u.session_generation = rs.getInt64(9);
  u.access_changed_at = time(rs, 10);
  return u;
}

constexpr const char* kRequestColumns =
    "SELECT id, client_id, technician_id, conversation_id, title, description, address, "
    "latitude, longitude, status, created_at, updated_at FROM service_requests ";

ServiceRequest requestFrom(sql::ResultSet& rs) {
  ServiceRequest r;
  r.id = RequestId(rs.getInt64(1));
  r.client_id = UserId(rs.getInt64(2));
  if (auto t = optInt64(rs, 3)) r.technician_id = UserId(*t);
  if (auto c = optInt64(rs, 4)) r.conversation_id = ConversationId(*c);
  r.title = text(rs, 5);
  r.description = text(rs, 6);
  r.address = text(rs, 7);
  if (!rs.isNull(8) && !rs.isNull(9))
    r.location =
        GeoPoint{static_cast<double>(rs.getDouble(8)), static_cast<double>(rs.getDouble(9))};
  r.status = parseRequestStatus(text(rs, 10)).value_or(RequestStatus::Pending);
  r.created_at = time(rs, 11);
  r.updated_at = time(rs, 12);
  return r;
}

constexpr const char* kMessageColumns = FIELDLINK_MESSAGE_SELECT;

Message messageFrom(sql::ResultSet& rs) {
  Message m;
  m.id = MessageId(rs.getInt64(1));
  m.conversation_id = ConversationId(rs.getInt64(2));
  if (auto s = optInt64(rs, 3)) m.sender_id = UserId(*s);
  m.message_type = text(rs, 4);
  m.content = parseContentColumn(text(rs, 5));
  m.attachment_ids = parseAttachmentsColumn(text(rs, 6));
  if (!rs.isNull(7)) m.client_id = text(rs, 7);
  m.created_at = time(rs, 8);
  return m;
}

constexpr const char* kAttachmentColumns =
    "SELECT id, owner_id, sha256, content_type, size, name, created_at, message_type, media, "
    "message_id, conversation_id FROM attachments ";

AttachmentRecord attachmentFrom(sql::ResultSet& rs) {
  AttachmentRecord a;
  a.id = rs.getInt64(1);
  a.owner_id = UserId(rs.getInt64(2));
  a.sha256 = text(rs, 3);
  a.content_type = text(rs, 4);
  a.size = rs.getInt64(5);
  a.name = text(rs, 6);
  a.created_at = time(rs, 7);
  a.message_type = text(rs, 8);
  a.media_json = text(rs, 9);
  if (auto message = optInt64(rs, 10)) a.message_id = MessageId(*message);
  if (auto conversation = optInt64(rs, 11)) a.conversation_id = ConversationId(*conversation);
  return a;
}

template <class T>
std::optional<T> firstOf(std::vector<T>&& rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<MysqlSession::Value> valuesOf(const SqlValues& shared) {
  std::vector<MysqlSession::Value> values;
  values.reserve(shared.size());
  for (const auto& value : shared)
    std::visit([&](const auto& v) { values.emplace_back(v); }, value);
  return values;
}

}  // namespace

std::unique_ptr<sql::Connection> connectTo(const MysqlTarget& target, bool read_only) {
  sql::ConnectOptionsMap options;
  options["hostName"] = sql::SQLString("tcp://" + target.host + ":" + std::to_string(target.port));
  options["userName"] = sql::SQLString(target.user);
  options["password"] = sql::SQLString(target.password);
  options["schema"] = sql::SQLString(target.database);
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  options["OPT_CONNECT_TIMEOUT"] = static_cast<int>(target.connect_timeout.count());
  options["OPT_READ_TIMEOUT"] = static_cast<int>(target.io_timeout.count());
  options["OPT_WRITE_TIMEOUT"] = static_cast<int>(target.io_timeout.count());
  // The store replaces lost connections itself: a silent reconnect would lose the session's
  // transaction and settings without telling anyone.
  options["OPT_RECONNECT"] = false;
  options["CLIENT_FOUND_ROWS"] = true;
  std::unique_ptr<sql::Connection> connection(
      sql::mysql::get_mysql_driver_instance()->connect(options));
  std::unique_ptr<sql::Statement> setup(connection->createStatement());
  setup->execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
  setup->execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION'");
  setup->execute("SET NAMES utf8mb4 COLLATE utf8mb4_bin");
  if (read_only) setup->execute("SET SESSION TRANSACTION READ ONLY");
  return connection;
}

bool supportsInsertReturning(const std::string& version) {
  if (version.find("MariaDB") == std::string::npos) return false;  // MySQL has no RETURNING
  int major = 0, minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) return false;
  return major > 10 || (major == 10 && minor >= 5);
}

MysqlSession::MysqlSession(const MysqlTarget& target, bool read_only)
    : target_(target), read_only_(read_only), connection_(connectTo(target, read_only)) {
  std::unique_ptr<sql::Statement> statement(connection_->createStatement());
  std::unique_ptr<sql::ResultSet> rs(statement->executeQuery("SELECT VERSION()"));
  insert_returning_ = rs->next() && supportsInsertReturning(std::string(rs->getString(1)));
}

void MysqlSession::reconnect() {
  statements_.clear();
  connection_.reset();
  connection_ = connectTo(target_, read_only_);
  lost_ = false;
}

void MysqlSession::execute(const char* sql) {
  std::unique_ptr<sql::Statement> statement(connection_->createStatement());
  statement->execute(sql);
}

sql::PreparedStatement& MysqlSession::prepared(const std::string& sql,
                                               const std::vector<Value>& values) {
  auto found = statements_.find(sql);
  if (found == statements_.end())
    found = statements_.emplace(sql, connection_->prepareStatement(sql)).first;
  sql::PreparedStatement& statement = *found->second;
  statement.clearParameters();
  unsigned index = 1;
  for (const Value& value : values) {
    if (std::holds_alternative<std::monostate>(value))
      statement.setNull(index, 0);
    else if (const auto* i = std::get_if<std::int64_t>(&value))
      statement.setInt64(index, *i);
    else if (const auto* d = std::get_if<double>(&value))
      statement.setDouble(index, *d);
    else
      statement.setString(index, std::get<std::string>(value));
    ++index;
  }
  return statement;
}

template <class T, class Map>
std::vector<T> MysqlSession::select(const std::string& sql, const std::vector<Value>& values,
                                    Map&& map) {
  std::unique_ptr<sql::ResultSet> rs(prepared(sql, values).executeQuery());
  std::vector<T> out;
  while (rs->next()) out.push_back(map(*rs));
  return out;
}

int MysqlSession::update(const std::string& sql, const std::vector<Value>& values) {
  return prepared(sql, values).executeUpdate();
}

std::int64_t MysqlSession::count(const std::string& sql, const std::vector<Value>& values) {
  std::unique_ptr<sql::ResultSet> rs(prepared(sql, values).executeQuery());
  return rs->next() ? rs->getInt64(1) : 0;
}

std::int64_t MysqlSession::lastInsertId() { return count("SELECT LAST_INSERT_ID()", {}); }

std::optional<User> MysqlSession::findUser(UserId id) {
  return firstOf(select<User>(std::string(kUserColumns) + "WHERE id = ?", {id.value}, userFrom));
}

std::optional<User> MysqlSession::findUserByUsername(const std::string& username) {
  // The column's collation ignores case, as the unique key does.
  return firstOf(
      select<User>(std::string(kUserColumns) + "WHERE username = ?", {username}, userFrom));
}

std::vector<User> MysqlSession::listUsers(std::optional<Role> role) {
  if (role)
    return select<User>(std::string(kUserColumns) + "WHERE role = ? ORDER BY id", {toString(*role)},
                        userFrom);
  return select<User>(std::string(kUserColumns) + "ORDER BY id", {}, userFrom);
}

std::vector<User> MysqlSession::usersAccessChangedSince(TimePoint since) {
  return select<User>(std::string(kUserColumns) + "WHERE access_changed_at >= ? ORDER BY id",
                      {toEpochMs(since)}, userFrom);
}

std::optional<ServiceRequest> MysqlSession::findRequest(RequestId id) {
  return firstOf(select<ServiceRequest>(std::string(kRequestColumns) + "WHERE id = ?", {id.value},
                                        requestFrom));
}

std::vector<ServiceRequest> MysqlSession::listRequests(const RequestFilter& filter) {
  const RequestListSql query = requestListSql(filter);
  return select<ServiceRequest>(std::string(kRequestColumns) + query.where_and_order,
                                valuesOf(query.values), requestFrom);
}

std::optional<Conversation> MysqlSession::findConversation(ConversationId id) {
  auto conversation = firstOf(
      select<Conversation>("SELECT id, request_id, created_at FROM conversations WHERE id = ?",
                           {id.value}, [](sql::ResultSet& rs) {
                             Conversation c;
                             c.id = ConversationId(rs.getInt64(1));
                             c.request_id = RequestId(rs.getInt64(2));
                             c.created_at = time(rs, 3);
                             return c;
                           }));
  if (!conversation) return std::nullopt;
  conversation->participants = select<Participant>(
      "SELECT user_id, role, last_read_message_id FROM participants "
      "WHERE conversation_id = ? ORDER BY user_id",
      {id.value}, [](sql::ResultSet& rs) {
        return Participant{UserId(rs.getInt64(1)), parseRole(text(rs, 2)).value_or(Role::Client),
                           MessageId(rs.getInt64(3))};
      });
  return conversation;
}

bool MysqlSession::takesPartInAny(UserId user) {
  return count("SELECT COUNT(*) FROM (SELECT 1 FROM participants WHERE user_id = ? LIMIT 1) AS t",
               {user.value}) > 0;
}

std::vector<UserId> MysqlSession::participantIds(ConversationId id) {
  const auto toUser = [](sql::ResultSet& rs) { return UserId(rs.getInt64(1)); };
  if (read_only_)
    return select<UserId>(
        "SELECT user_id FROM participants WHERE conversation_id = ? ORDER BY user_id", {id.value},
        toUser);
  // On the writer this is the membership check of an append: take the conversation's lock
  // (see insertMessage) in the same round trip, once per transaction.
  if (const auto known = participants_.find(id.value); known != participants_.end())
    return known->second;
  auto ids = select<UserId>(
      "SELECT p.user_id FROM conversations c JOIN participants p ON p.conversation_id = c.id "
      "WHERE c.id = ? ORDER BY p.user_id FOR UPDATE",
      {id.value}, toUser);
  if (!ids.empty()) {
    locked_conversations_.insert(id.value);
    participants_[id.value] = ids;
  }
  return ids;
}

std::vector<ConversationId> MysqlSession::conversationIds(ConversationId after, int limit) {
  return select<ConversationId>("SELECT id FROM conversations WHERE id > ? ORDER BY id LIMIT ?",
                                {after.value, static_cast<std::int64_t>(limit)},
                                [](sql::ResultSet& rs) { return ConversationId(rs.getInt64(1)); });
}

ConversationListPage MysqlSession::conversationsOf(UserId user,
                                                   const ConversationListQuery& query) {
  const ConversationListSql list = conversationListSql(user, query);
  auto rows = select<ConversationRow>(list.sql, valuesOf(list.values), [](sql::ResultSet& rs) {
    return ConversationRow{ConversationId(rs.getInt64(1)), rs.getInt64(2)};
  });
  // Four round trips for the page, whatever its length; the padded id lists keep the
  // statements few enough to stay prepared.
  return conversationPage(
      std::move(rows), query.limit, [&](const SqlValues& conversations, const SqlValues& messages) {
        const ConversationPageSql sql = conversationPageSql(conversations.size(), messages.size());
        const std::vector<Value> ids = valuesOf(conversations);
        ConversationPageParts parts;
        parts.conversations = select<Conversation>(sql.heads, ids, [](sql::ResultSet& rs) {
          Conversation c;
          c.id = ConversationId(rs.getInt64(1));
          c.request_id = RequestId(rs.getInt64(2));
          c.created_at = time(rs, 3);
          return c;
        });
        addPeople(
            parts.conversations,
            select<std::pair<std::int64_t, Participant>>(sql.people, ids, [](sql::ResultSet& rs) {
              return std::make_pair(
                  static_cast<std::int64_t>(rs.getInt64(4)),
                  Participant{UserId(rs.getInt64(1)), parseRole(text(rs, 2)).value_or(Role::Client),
                              MessageId(rs.getInt64(3))});
            }));
        std::vector<Value> reader_and_ids{user.value};
        reader_and_ids.insert(reader_and_ids.end(), ids.begin(), ids.end());
        for (const auto& [id, count] : select<std::pair<std::int64_t, std::int64_t>>(
                 sql.unread, reader_and_ids,
                 [](sql::ResultSet& rs) { return std::make_pair(rs.getInt64(1), rs.getInt64(2)); }))
          parts.unread[id] = count;
        if (messages.size() > 1 || std::get<std::int64_t>(messages.front()) != 0)
          parts.last_messages = select<Message>(sql.last_messages, valuesOf(messages), messageFrom);
        return parts;
      });
}

std::vector<ConversationPeople> MysqlSession::conversationPeopleOf(UserId user) {
  return groupPeople(select<std::pair<std::int64_t, std::int64_t>>(
      kConversationPeopleSql, {user.value},
      [](sql::ResultSet& rs) { return std::make_pair(rs.getInt64(1), rs.getInt64(2)); }));
}

void MysqlSession::refreshLastMessageIds() {
  // One statement for the batch rather than one per message: each would be a round trip.
  // Lists of 1, 2, 4 ... 64 ids (the last repeated to fill one), so that a handful of
  // statements are prepared and kept, whatever the batch.
  constexpr std::size_t kMostPerStatement = 64;
  std::vector<std::int64_t> ids(conversations_appended_.begin(), conversations_appended_.end());
  for (std::size_t from = 0; from < ids.size(); from += kMostPerStatement) {
    const std::size_t count = std::min(kMostPerStatement, ids.size() - from);
    std::size_t slots = 1;
    while (slots < count) slots *= 2;
    std::string sql =
        "UPDATE conversations SET last_message_id = COALESCE((SELECT MAX(m.id) FROM messages m "
        "WHERE m.conversation_id = conversations.id), 0) WHERE id IN (?";
    std::vector<Value> values{ids[from]};
    for (std::size_t i = 1; i < slots; ++i) {
      sql += ", ?";
      values.emplace_back(ids[from + std::min(i, count - 1)]);
    }
    update(sql + ")", values);
  }
  conversations_appended_.clear();
}

std::optional<Message> MysqlSession::findMessage(MessageId id) {
  return firstOf(
      select<Message>(std::string(kMessageColumns) + "WHERE id = ?", {id.value}, messageFrom));
}

std::optional<Message> MysqlSession::findMessageByClientId(UserId sender,
                                                           const std::string& client_id) {
  return firstOf(
      select<Message>(std::string(kMessageColumns) + "WHERE sender_id = ? AND client_id = ?",
                      {sender.value, client_id}, messageFrom));
}

MessagePage MysqlSession::messages(ConversationId conversation, const MessageQuery& query) {
  const std::int64_t fetch = query.limit + 1;  // one more tells whether there are more
  const std::int64_t before =
      query.before_id ? query.before_id->value : std::numeric_limits<std::int64_t>::max();
  MessagePage page;
  if (query.after_id) {
    page.results = select<Message>(
        std::string(kMessageColumns) +
            "WHERE conversation_id = ? AND id > ? AND id < ? ORDER BY id ASC LIMIT ?",
        {conversation.value, query.after_id->value, before, fetch}, messageFrom);
  } else {
    page.results =
        select<Message>(std::string(kMessageColumns) +
                            "WHERE conversation_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                        {conversation.value, before, fetch}, messageFrom);
  }
  page.has_more = page.results.size() > static_cast<std::size_t>(query.limit);
  if (page.has_more) page.results.pop_back();
  if (!query.after_id) std::reverse(page.results.begin(), page.results.end());
  return page;
}

std::int64_t MysqlSession::unreadCount(ConversationId conversation, UserId user) {
  return count(
      "SELECT COUNT(*) FROM messages m JOIN participants p "
      "ON p.conversation_id = m.conversation_id AND p.user_id = ? "
      "WHERE m.conversation_id = ? AND m.id > p.last_read_message_id "
      "AND (m.sender_id IS NULL OR m.sender_id <> p.user_id)",
      {user.value, conversation.value});
}

MessageId MysqlSession::lastMessageId() {
  return MessageId(count("SELECT COALESCE(MAX(id), 0) FROM messages", {}));
}

std::optional<AttachmentRecord> MysqlSession::findAttachment(std::int64_t id) {
  return firstOf(select<AttachmentRecord>(std::string(kAttachmentColumns) + "WHERE id = ?", {id},
                                          attachmentFrom));
}

User MysqlSession::insertUser(const NewUser& user) {
  if (findUserByUsername(user.username))
    throw Conflict("A user with that username already exists.", "username_taken");
  update(
      "INSERT INTO users (username, display_name, role, phone, password_hash, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {user.username, user.display_name, toString(user.role), user.phone, user.password_hash,
       toEpochMs(user.created_at)});
  return *findUser(UserId(lastInsertId()));
}

bool MysqlSession::updateUserAccess(UserId id, const UserAccess& access) {
  // Affected rows count changed rows only: a user found but unchanged counts as found.
  const int changed = update(
      "UPDATE users SET disabled = ?, password_hash = ?, session_generation = ?, "
      "access_changed_at = ? WHERE id = ?",
      {std::int64_t{access.disabled ? 1 : 0}, access.password_hash, access.session_generation,
       toEpochMs(access.access_changed_at), id.value});
  return changed == 1 || findUser(id).has_value();
}

ServiceRequest MysqlSession::insertRequest(const NewServiceRequest& request) {
  const std::int64_t created = toEpochMs(request.created_at);
  const auto& at = request.location;
  update(
      "INSERT INTO service_requests (client_id, title, description, address, latitude, "
      "longitude, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {request.client_id.value, request.title, request.description, request.address,
       at ? Value(at->latitude) : Value(), at ? Value(at->longitude) : Value(),
       toString(RequestStatus::Pending), created, created});
  return *findRequest(RequestId(lastInsertId()));
}

void MysqlSession::updateRequest(const ServiceRequest& request) {
  update(
      "UPDATE service_requests SET technician_id = ?, conversation_id = ?, status = ?, "
      "updated_at = ? WHERE id = ?",
      {request.technician_id ? Value(request.technician_id->value) : Value(),
       request.conversation_id ? Value(request.conversation_id->value) : Value(),
       toString(request.status), toEpochMs(request.updated_at), request.id.value});
}

Conversation MysqlSession::insertConversation(RequestId request,
                                              const std::vector<Participant>& participants,
                                              TimePoint created_at) {
  update("INSERT INTO conversations (request_id, created_at) VALUES (?, ?)",
         {request.value, toEpochMs(created_at)});
  const ConversationId id(lastInsertId());
  for (const auto& p : participants)
    update(
        "INSERT INTO participants (conversation_id, user_id, role, last_read_message_id) "
        "VALUES (?, ?, ?, ?)",
        {id.value, p.user_id.value, toString(p.role), p.last_read.value});
  return *findConversation(id);
}

void MysqlSession::replaceParticipant(ConversationId conversation, UserId old_user,
                                      const Participant& new_participant) {
  // Not while another node's batch appends to it (it holds this lock, and reads the people
  // once per batch).
  if (locked_conversations_.insert(conversation.value).second)
    count("SELECT id FROM conversations WHERE id = ? FOR UPDATE", {conversation.value});
  participants_.erase(conversation.value);
  update("DELETE FROM participants WHERE conversation_id = ? AND user_id = ?",
         {conversation.value, old_user.value});
  update(
      "INSERT INTO participants (conversation_id, user_id, role, last_read_message_id) "
      "VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE role = VALUES(role), "
      "last_read_message_id = VALUES(last_read_message_id)",
      {conversation.value, new_participant.user_id.value, toString(new_participant.role),
       new_participant.last_read.value});
}

Message MysqlSession::insertMessage(const NewMessage& message) {
  // Appends to one conversation take turns on its row, from every node: an id is handed out
  // only once the previous append has committed, so a reader that has seen id N will never
  // later find a smaller id appear in that conversation.
  if (locked_conversations_.insert(message.conversation_id.value).second)
    count("SELECT id FROM conversations WHERE id = ? FOR UPDATE", {message.conversation_id.value});
  conversations_appended_.insert(message.conversation_id.value);
  static const std::string kInsert =
      "INSERT INTO messages (conversation_id, sender_id, message_type, content, attachments, "
      "client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
  const std::vector<Value> values{message.conversation_id.value,
                                  message.sender_id ? Value(message.sender_id->value) : Value(),
                                  message.message_type,
                                  contentColumn(message),
                                  attachmentsColumn(message.attachment_ids),
                                  message.client_id ? Value(*message.client_id) : Value(),
                                  toEpochMs(message.created_at)};
  try {
    if (insert_returning_)
      return storedMessage(message, MessageId(count(kInsert + " RETURNING id", values)));
    update(kInsert, values);
  } catch (const sql::SQLException& e) {
    // The only unique key a message has besides its id.
    if (message.client_id && classify(e) == ErrorKind::Duplicate) throw ClientIdTaken();
    throw;
  }
  return storedMessage(message, MessageId(lastInsertId()));
}

void MysqlSession::updateMessageContent(MessageId id, const std::string& content_json) {
  update("UPDATE messages SET content = ? WHERE id = ?", {content_json, id.value});
}

void MysqlSession::advanceReadMarker(ConversationId conversation, UserId user, MessageId upto) {
  update(
      "UPDATE participants SET last_read_message_id = GREATEST(last_read_message_id, ?) "
      "WHERE conversation_id = ? AND user_id = ?",
      {upto.value, conversation.value, user.value});
}

AttachmentRecord MysqlSession::insertAttachment(const AttachmentRecord& attachment) {
  update(
      "INSERT INTO attachments (owner_id, sha256, content_type, size, name, created_at, "
      "message_type, media) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {attachment.owner_id.value, attachment.sha256, attachment.content_type, attachment.size,
       attachment.name, toEpochMs(attachment.created_at), attachment.message_type,
       attachment.media_json});
  return *findAttachment(lastInsertId());
}

bool MysqlSession::linkAttachment(std::int64_t attachment_id, MessageId message,
                                  ConversationId conversation) {
  return update(
             "UPDATE attachments SET message_id = ?, conversation_id = ? "
             "WHERE id = ? AND message_id IS NULL",
             {message.value, conversation.value, attachment_id}) == 1;
}

std::vector<AttachmentRecord> MysqlSession::unreferencedAttachments(TimePoint cutoff, int limit) {
  return select<AttachmentRecord>(
      std::string(kAttachmentColumns) +
          "WHERE message_id IS NULL AND created_at < ? ORDER BY created_at LIMIT ?",
      {toEpochMs(cutoff), static_cast<std::int64_t>(limit)}, attachmentFrom);
}

bool MysqlSession::deleteUnreferencedAttachment(std::int64_t id) {
  return update("DELETE FROM attachments WHERE id = ? AND message_id IS NULL", {id}) == 1;
}

std::int64_t MysqlSession::unreferencedBytesOf(UserId owner) {
  return count(
      "SELECT COALESCE(SUM(size), 0) FROM attachments WHERE owner_id = ? AND message_id IS NULL",
      {owner.value});
}

bool MysqlSession::blobInUse(const std::string& sha256) {
  return count("SELECT COUNT(*) FROM attachments WHERE sha256 = ?", {sha256}) > 0;
}

std::vector<std::pair<TimePoint, std::int64_t>> MysqlSession::messagesPerHour(UserId participant,
                                                                              TimePoint since) {
  return select<std::pair<TimePoint, std::int64_t>>(
      kMessagesPerHourSql, {participant.value, toEpochMs(since)}, [](sql::ResultSet& rs) {
        return std::pair{fromEpochMs(rs.getInt64(1)), rs.getInt64(2)};
      });
}

Notification MysqlSession::insertNotification(const Notification& n) {
  update(
      "INSERT INTO notifications (user_id, kind, title, body, data, request_id, "
      "conversation_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {n.user_id.value, n.kind, n.title, n.body, n.data_json,
       n.request_id ? Value(n.request_id->value) : Value(),
       n.conversation_id ? Value(n.conversation_id->value) : Value(), toEpochMs(n.created_at)});
  Notification stored = n;
  stored.id = lastInsertId();
  return stored;
}

std::vector<Notification> MysqlSession::notificationsOf(UserId user, bool unread_only, int limit) {
  return select<Notification>(
      std::string("SELECT id, user_id, kind, title, body, data, request_id, conversation_id, "
                  "created_at, read_at FROM notifications WHERE user_id = ? ") +
          (unread_only ? "AND read_at IS NULL " : "") + "ORDER BY id DESC LIMIT ?",
      {user.value, static_cast<std::int64_t>(limit)}, [](sql::ResultSet& rs) {
        Notification n;
        n.id = rs.getInt64(1);
        n.user_id = UserId(rs.getInt64(2));
        n.kind = text(rs, 3);
        n.title = text(rs, 4);
        n.body = text(rs, 5);
        n.data_json = text(rs, 6);
        if (auto request = optInt64(rs, 7)) n.request_id = RequestId(*request);
        if (auto conversation = optInt64(rs, 8)) n.conversation_id = ConversationId(*conversation);
        n.created_at = time(rs, 9);
        if (auto read = optInt64(rs, 10)) n.read_at = fromEpochMs(*read);
        return n;
      });
}

bool MysqlSession::markNotificationRead(std::int64_t id, UserId user, TimePoint at) {
  // Affected rows count matched rows (CLIENT_FOUND_ROWS): reading twice is still true.
  return update(
             "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND "
             "user_id = ?",
             {toEpochMs(at), id, user.value}) == 1;
}

void MysqlSession::insertRefreshToken(const RefreshTokenRecord& token, TimePoint now) {
  update("DELETE FROM refresh_tokens WHERE expires_at < ?", {toEpochMs(now)});
  update("INSERT INTO refresh_tokens (id, family, user_id, expires_at) VALUES (?, ?, ?, ?)",
         {token.id, token.family, token.user_id.value, toEpochMs(token.expires_at)});
}

std::optional<RefreshTokenRecord> MysqlSession::findRefreshToken(const std::string& id) {
  return firstOf(select<RefreshTokenRecord>(
      "SELECT id, family, user_id, expires_at, used_at, revoked FROM refresh_tokens WHERE id = ?",
      {id}, [](sql::ResultSet& rs) {
        RefreshTokenRecord t;
        t.id = text(rs, 1);
        t.family = text(rs, 2);
        t.user_id = UserId(rs.getInt64(3));
        t.expires_at = time(rs, 4);
        if (auto used = optInt64(rs, 5)) t.used_at = fromEpochMs(*used);
        t.revoked = rs.getInt64(6) != 0;
        return t;
      }));
}

bool MysqlSession::useRefreshToken(const std::string& id, TimePoint at) {
  return update(
             "UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND "
             "revoked = 0",
             {toEpochMs(at), id}) == 1;
}

bool MysqlSession::refreshFamilyUsedSince(const std::string& family, const std::string& except,
                                          TimePoint since) {
  return count(
             "SELECT COUNT(*) FROM (SELECT 1 FROM refresh_tokens WHERE family = ? AND id <> ? "
             "AND used_at >= ? LIMIT 1) AS t",
             {family, except, toEpochMs(since)}) > 0;
}

void MysqlSession::revokeRefreshFamily(const std::string& family) {
  update("UPDATE refresh_tokens SET revoked = 1 WHERE family = ?", {family});
}

void MysqlSession::insertTrackingLink(const TrackingLinkRecord& link) {
  update("DELETE FROM tracking_links WHERE expires_at < ?", {toEpochMs(link.created_at)});
  update(
      "INSERT INTO tracking_links (token_hash, request_id, created_by, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {link.token_hash, link.request_id.value, link.created_by.value, toEpochMs(link.created_at),
       toEpochMs(link.expires_at)});
}

std::optional<TrackingLinkRecord> MysqlSession::findTrackingLink(const std::string& token_hash) {
  return firstOf(select<TrackingLinkRecord>(
      std::string("SELECT ") + kTrackingLinkColumns + " FROM tracking_links WHERE token_hash = ?",
      {token_hash}, [](sql::ResultSet& rs) {
        TrackingLinkRecord link;
        link.token_hash = text(rs, 1);
        link.request_id = RequestId(rs.getInt64(2));
        link.created_by = UserId(rs.getInt64(3));
        link.created_at = time(rs, 4);
        link.expires_at = time(rs, 5);
        link.revoked = rs.getInt64(6) != 0;
        return link;
      }));
}

int MysqlSession::revokeTrackingLinks(RequestId request) {
  return update("UPDATE tracking_links SET revoked = 1 WHERE request_id = ? AND revoked = 0",
                {request.value});
}

}  // namespace fieldlink::mysql

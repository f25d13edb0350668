#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "store/store.hpp"

// SQL that every store backend runs as it is, written once.
namespace fieldlink {

using SqlValues = std::vector<std::variant<std::int64_t, std::string>>;

// The WHERE and ORDER BY of a list of service requests: the same SQL on every backend, with
// the values to bind to its placeholders, in order.
struct RequestListSql {
  std::string where_and_order;
  SqlValues values;
};
RequestListSql requestListSql(const RequestFilter& filter);

// One page of a user's conversation list (StoreSession::conversationsOf), as the ids and
// last message ids of its rows plus one more row when more follow: a join of the user's
// participant rows with their conversations, sorted on conversations.last_message_id, with
// nothing computed per conversation before the page is chosen.
struct ConversationListSql {
  std::string sql;  // answers (conversation id, last message id) per row
  SqlValues values;
};
ConversationListSql conversationListSql(UserId user, const ConversationListQuery& query);

// Every conversation of a user with its people (StoreSession::conversationPeopleOf): binds
// the user's id; answers (conversation id, user id) rows by conversation, then user.
inline constexpr const char* kConversationPeopleSql =
    "SELECT p.conversation_id, q.user_id FROM participants p "
    "JOIN participants q ON q.conversation_id = p.conversation_id "
    "WHERE p.user_id = ? ORDER BY p.conversation_id, q.user_id";

// The columns every message query reads, in the order both stores' row mappers take them.
#define FIELDLINK_MESSAGE_SELECT                                                           \
  "SELECT id, conversation_id, sender_id, message_type, content, attachments, client_id, " \
  "created_at FROM messages "

// An IN list of `count` placeholders, "(?, ?, ...)", rounded up to a power of two so that a
// few statements, prepared once, serve lists of any length; paddedIds() fills its slots,
// repeating the last id (a repeat changes nothing in an IN).
std::string idPlaceholders(std::size_t count);
SqlValues paddedIds(const std::vector<std::int64_t>& ids);

// What one page of a conversation list is made of, each read for all of the page's
// conversations at once rather than a few queries per row: the same SQL on every backend.
struct ConversationPageSql {
  std::string heads;          // binds the ids; answers id, request_id, created_at
  std::string people;         // binds the ids; user_id, role, last read id, conversation_id
  std::string unread;         // binds the user, then the ids; conversation_id, count
  std::string last_messages;  // binds the message ids; FIELDLINK_MESSAGE_SELECT's columns
};
ConversationPageSql conversationPageSql(std::size_t conversations, std::size_t messages);

inline constexpr const char* kTrackingLinkColumns =
    "token_hash, request_id, created_by, created_at, expires_at, revoked";

// Messages per hour (StoreSession::messagesPerHour), the same SQL on every backend: binds
// the participant's id, then the first instant in epoch milliseconds; answers each hour's
// start in epoch milliseconds and its count.
inline constexpr const char* kMessagesPerHourSql =
    "SELECT m.created_at - m.created_at % 3600000 AS hour, COUNT(*) FROM messages m "
    "JOIN participants p ON p.conversation_id = m.conversation_id AND p.user_id = ? "
    "WHERE m.created_at >= ? AND m.message_type <> 'system' "
    "GROUP BY m.created_at - m.created_at % 3600000 ORDER BY hour";

}  // namespace fieldlink

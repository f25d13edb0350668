#include "store/shared_sql.hpp"

namespace fieldlink {

namespace {

void appendStatuses(std::string& sql, SqlValues& values,
                    const std::vector<RequestStatus>& statuses) {
  sql += " IN (";
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    sql += i == 0 ? "?" : ", ?";
    values.emplace_back(toString(statuses[i]));
  }
  sql += ")";
}

}  // namespace

RequestListSql requestListSql(const RequestFilter& filter) {
  RequestListSql out;
  out.where_and_order = "WHERE 1 = 1";
  if (filter.client_id) {
    out.where_and_order += " AND client_id = ?";
    out.values.emplace_back(filter.client_id->value);
  }
  if (filter.technician_id) {
    out.where_and_order += " AND technician_id = ?";
    out.values.emplace_back(filter.technician_id->value);
  }
  if (!filter.statuses.empty()) {
    out.where_and_order += " AND status";
    appendStatuses(out.where_and_order, out.values, filter.statuses);
  }
  // Ids grow with creation: ordering by id orders by created_at, on the primary key.
  out.where_and_order += filter.oldest_first ? " ORDER BY id ASC" : " ORDER BY id DESC";
  return out;
}

ConversationListSql conversationListSql(UserId user, const ConversationListQuery& query) {
  ConversationListSql out;
  out.sql =
      "SELECT c.id, c.last_message_id FROM participants p "
      "JOIN conversations c ON c.id = p.conversation_id ";
  if (!query.statuses.empty()) out.sql += "JOIN service_requests r ON r.id = c.request_id ";
  out.sql += "WHERE p.user_id = ?";
  out.values.emplace_back(user.value);
  if (!query.statuses.empty()) {
    out.sql += " AND r.status";
    appendStatuses(out.sql, out.values, query.statuses);
  }
  if (query.after) {
    out.sql += " AND (c.last_message_id < ? OR (c.last_message_id = ? AND c.id < ?))";
    out.values.emplace_back(query.after->last_message_id);
    out.values.emplace_back(query.after->last_message_id);
    out.values.emplace_back(query.after->id.value);
  }
  out.sql += " ORDER BY c.last_message_id DESC, c.id DESC LIMIT ?";
  out.values.emplace_back(static_cast<std::int64_t>(query.limit) + 1);
  return out;
}

std::string idPlaceholders(std::size_t count) {
  std::size_t slots = 1;
  while (slots < count) slots *= 2;
  std::string out = "(?";
  for (std::size_t i = 1; i < slots; ++i) out += ", ?";
  return out + ")";
}

SqlValues paddedIds(const std::vector<std::int64_t>& ids) {
  SqlValues values(ids.begin(), ids.end());
  std::size_t slots = 1;
  while (slots < ids.size()) slots *= 2;
  values.resize(slots, ids.empty() ? std::int64_t{0} : ids.back());
  return values;
}

ConversationPageSql conversationPageSql(std::size_t conversations, std::size_t messages) {
  const std::string ids = idPlaceholders(conversations);
  ConversationPageSql sql;
  sql.heads = "SELECT id, request_id, created_at FROM conversations WHERE id IN " + ids;
  sql.people =
      "SELECT user_id, role, last_read_message_id, conversation_id FROM participants "
      "WHERE conversation_id IN " +
      ids + " ORDER BY conversation_id, user_id";
  sql.unread =
      "SELECT p.conversation_id, COUNT(*) FROM participants p JOIN messages m "
      "ON m.conversation_id = p.conversation_id AND m.id > p.last_read_message_id "
      "AND (m.sender_id IS NULL OR m.sender_id <> p.user_id) "
      "WHERE p.user_id = ? AND p.conversation_id IN " +
      ids + " GROUP BY p.conversation_id";
  sql.last_messages = FIELDLINK_MESSAGE_SELECT "WHERE id IN " + idPlaceholders(messages);
  return sql;
}

}  // namespace fieldlink

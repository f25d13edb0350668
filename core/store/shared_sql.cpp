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

}  // namespace fieldlink

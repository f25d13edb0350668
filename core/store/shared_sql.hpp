#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "store/store.hpp"

// SQL that every store backend runs as it is, written once.
namespace fieldlink {

// The WHERE and ORDER BY of a list of service requests: the same SQL on every backend, with
// the values to bind to its placeholders, in order.
struct RequestListSql {
  std::string where_and_order;
  std::vector<std::variant<std::int64_t, std::string>> values;
};
RequestListSql requestListSql(const RequestFilter& filter);

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

#include "store/shared_sql.hpp"

namespace fieldlink {

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
    out.where_and_order += " AND status IN (";
    for (std::size_t i = 0; i < filter.statuses.size(); ++i) {
      out.where_and_order += i == 0 ? "?" : ", ?";
      out.values.emplace_back(toString(filter.statuses[i]));
    }
    out.where_and_order += ")";
  }
  // Ids grow with creation: ordering by id orders by created_at, on the primary key.
  out.where_and_order += filter.oldest_first ? " ORDER BY id ASC" : " ORDER BY id DESC";
  return out;
}

}  // namespace fieldlink

#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "store/store.hpp"

namespace fieldlink {

// The WHERE and ORDER BY of a list of service requests: the same SQL on every backend, with
// the values to bind to its placeholders, in order.
struct RequestListSql {
  std::string where_and_order;
  std::vector<std::variant<std::int64_t, std::string>> values;
};
RequestListSql requestListSql(const RequestFilter& filter);

}  // namespace fieldlink

#include "store/sqlite/prepared_statements.hpp"

#include <stdexcept>

#include "domain/errors.hpp"

namespace fieldlink::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc) {
  if (rc == SQLITE_CONSTRAINT) {
    // A unique key apart from the other constraints: what insertMessage needs to tell.
    throw Conflict(sqlite3_errmsg(db), sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE
                                           ? "unique"
                                           : "constraint");
  }
  throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
}

}  // namespace

PreparedStatements::~PreparedStatements() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
}

PreparedStatements::Use PreparedStatements::use(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc);
    it = statements_.emplace(sql, statement).first;
  }
  return Use(db_, it->second);
}

PreparedStatements::Use& PreparedStatements::Use::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

PreparedStatements::Use& PreparedStatements::Use::bind(int index, const std::string& value) {
  sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

PreparedStatements::Use& PreparedStatements::Use::bindNull(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

bool PreparedStatements::Use::step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, rc);
}

}  // namespace fieldlink::sqlite

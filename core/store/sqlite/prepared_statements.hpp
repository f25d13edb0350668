#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <unordered_map>

namespace fieldlink::sqlite {

// Compiled statements kept for the life of a connection, for the queries on the message
// path: compiling SQL costs more than running these small statements does. Not thread-safe,
// like the connection it belongs to.
class PreparedStatements {
 public:
  explicit PreparedStatements(sqlite3* db) : db_(db) {}
  ~PreparedStatements();
  PreparedStatements(const PreparedStatements&) = delete;
  PreparedStatements& operator=(const PreparedStatements&) = delete;

  // A statement reset and ready to bind. `sql` must be a string literal (it is the key).
  class Use {
   public:
    Use(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
    ~Use() {
      sqlite3_reset(statement_);
      sqlite3_clear_bindings(statement_);
    }
    Use& bind(int index, std::int64_t value);
    Use& bind(int index, const std::string& value);
    Use& bindNull(int index);
    // True while a row is available; throws on an error.
    bool step();
    std::int64_t int64(int column) const { return sqlite3_column_int64(statement_, column); }
    bool isNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
    // The column as text ("" for NULL).
    std::string text(int column) const {
      const auto* bytes = sqlite3_column_text(statement_, column);
      if (!bytes) return {};
      return std::string(reinterpret_cast<const char*>(bytes),
                         static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
    }
    double real(int column) const { return sqlite3_column_double(statement_, column); }

   private:
    sqlite3* db_;
    sqlite3_stmt* statement_;
  };
  Use use(const char* sql);
  sqlite3* db() const { return db_; }

 private:
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

}  // namespace fieldlink::sqlite

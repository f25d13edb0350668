#pragma once

#include <cppconn/exception.h>

#include <string>

namespace fieldlink::mysql {

// What a MySQL/MariaDB error means to the store.
enum class ErrorKind {
  ConnectionLost,      // the server went away, cannot be reached or refuses us: reconnect, 503
  TransactionAborted,  // deadlock or lock wait timeout: the server rolled the transaction back
  Duplicate,           // a unique key refused the row
  Other,
};

ErrorKind classify(const sql::SQLException& error);

// Turns a driver error into the core's errors (domain/errors.hpp, store/store_errors.hpp) and
// throws it: Unavailable for a lost server, TransactionAborted, Conflict for a duplicate,
// std::runtime_error with the server's text otherwise. `what` says what was being done.
[[noreturn]] void throwStoreError(const sql::SQLException& error, const std::string& what);

}  // namespace fieldlink::mysql

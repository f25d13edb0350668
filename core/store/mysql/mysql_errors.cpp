#include "store/mysql/mysql_errors.hpp"

#include <stdexcept>

#include <Poco/Logger.h>

#include "domain/errors.hpp"
#include "store/store_errors.hpp"

namespace fieldlink::mysql {

ErrorKind classify(const sql::SQLException& error) {
  switch (error.getErrorCode()) {
    case 1044:  // ER_DBACCESS_DENIED_ERROR
    case 1045:  // ER_ACCESS_DENIED_ERROR
    case 1049:  // ER_BAD_DB_ERROR: no such database
    case 1040:  // ER_CON_COUNT_ERROR: too many connections
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED (MariaDB)
    case 2002:  // CR_CONNECTION_ERROR (socket)
    case 2003:  // CR_CONN_HOST_ERROR
    case 2005:  // CR_UNKNOWN_HOST
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2026:  // CR_SSL_CONNECTION_ERROR
    case 2055:  // CR_SERVER_LOST_EXTENDED
      return ErrorKind::ConnectionLost;
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1213:  // ER_LOCK_DEADLOCK
      return ErrorKind::TransactionAborted;
    case 1062:  // ER_DUP_ENTRY
      return ErrorKind::Duplicate;
    default:
      // The driver reports a closed connection without a server error number.
      if (error.getErrorCode() == 0 && error.getSQLState() == "08S01")
        return ErrorKind::ConnectionLost;
      return ErrorKind::Other;
  }
}

void throwStoreError(const sql::SQLException& error, const std::string& what) {
  switch (classify(error)) {
    case ErrorKind::ConnectionLost:
      // Once per refused call while the database is away: the operator needs the reason
      // (refused, access denied, unknown database) and the client must not see it.
      Poco::Logger::get("fieldlink.store")
          .warning("%s: database unavailable: MySQL error %d: %s", what, error.getErrorCode(),
                   std::string(error.what()));
      throw Unavailable("The database is unavailable; try again shortly.", "store_unavailable");
    case ErrorKind::TransactionAborted:
      throw TransactionAborted(what + ": " + error.what());
    case ErrorKind::Duplicate:
      throw Conflict("This conflicts with something that already exists.");
    case ErrorKind::Other:
      break;
  }
  throw std::runtime_error(what + ": MySQL error " + std::to_string(error.getErrorCode()) + " (" +
                           error.getSQLState() + "): " + error.what());
}

}  // namespace fieldlink::mysql

#pragma once

#include <cppconn/connection.h>

namespace fieldlink::mysql {

// Brings the schema up to date: the same versions as the SQLite store's migrations, in
// MySQL's dialect (utf8mb4 throughout). Several nodes starting at once take turns through a
// named server lock. Throws Unavailable for a schema newer than this build.
void migrate(sql::Connection& connection);

}  // namespace fieldlink::mysql

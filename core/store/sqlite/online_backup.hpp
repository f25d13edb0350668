#pragma once

#include <string>

namespace fieldlink::sqlite {

// Copies the database at `from` to a new file `to` with SQLite's online backup API: a
// consistent snapshot as of one commit, taken while a server keeps writing (WAL lets the
// writer go on). The copy is checked with PRAGMA integrity_check. Throws std::runtime_error.
void backupDatabase(const std::string& from, const std::string& to);

// PRAGMA integrity_check on a database file, opened read-only; throws when it is not "ok".
void checkDatabase(const std::string& path);

}  // namespace fieldlink::sqlite

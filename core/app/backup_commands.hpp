#pragma once

#include <ostream>
#include <string>

#include "app/settings.hpp"

// fieldlinkd --backup=DIR and --restore=DIR.
namespace fieldlink {

// Takes a consistent copy of the database (online: the server may be running and writing)
// into DIR/fieldlink.db, then the attachments into DIR/attachments/, then writes
// DIR/backup.json last, so a backup without it is incomplete. DIR must not exist or be
// empty. Throws std::runtime_error.
void backupTo(const Settings& settings, const std::string& dir, std::ostream& out);

// --backup without a folder (the systemd timer's): a backup into a new dated folder of
// settings.backup_dir, then the oldest complete backups there beyond settings.backup_keep
// deleted, and incomplete ones (cut short) older than the new one. Returns the new folder.
std::string backupRotating(const Settings& settings, std::ostream& out);

// Puts a complete backup in place of a server's data: checks the backup's database, takes
// the data lock (the server must be stopped), and refuses when a database is already there.
// Attachments are checked against their checksums as they are copied. Throws
// std::runtime_error.
void restoreFrom(const Settings& settings, const std::string& dir, std::ostream& out);

}  // namespace fieldlink

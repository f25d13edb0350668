#include "app/backup_commands.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <Poco/DateTimeFormatter.h>
#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/Timestamp.h>
#include <fieldlink/sdk/time.hpp>

#include "app/data_lock.hpp"
#include "attachments/blob_copy.hpp"
#include "store/sqlite/online_backup.hpp"

namespace fieldlink {
namespace {

constexpr const char* kDatabaseFile = "fieldlink.db";
constexpr const char* kAttachmentsFolder = "attachments";
constexpr const char* kManifestFile = "backup.json";
const std::string kRotatingPrefix = "fieldlink-";

std::string inside(const std::string& dir, const std::string& name) {
  return Poco::Path(dir).makeDirectory().setFileName(name).toString();
}

bool isEmptyFolder(const std::string& dir) {
  return Poco::DirectoryIterator(dir) == Poco::DirectoryIterator();
}

}  // namespace

void backupTo(const Settings& settings, const std::string& dir, std::ostream& out) {
  if (settings.mysql)
    throw std::runtime_error(
        "--backup copies the SQLite store; back MySQL/MariaDB up with mariadb-dump "
        "--single-transaction (docs/operations.md) and copy the attachments folder after it");
  if (!Poco::File(settings.database_path).exists())
    throw std::runtime_error("no database at " + settings.database_path);
  Poco::File folder(dir);
  if (folder.exists() && (!folder.isDirectory() || !isEmptyFolder(dir)))
    throw std::runtime_error(dir + " exists and is not an empty folder");
  folder.createDirectories();

  // The database first: every attachment it refers to is then already in the folder,
  // because attachments are written before the rows that use them and never change.
  const std::string database = inside(dir, kDatabaseFile);
  sqlite::backupDatabase(settings.database_path, database);
  const std::size_t blobs =
      attachments::copyBlobs(settings.attachments_dir, inside(dir, kAttachmentsFolder));

  Poco::JSON::Object manifest;
  manifest.set("created_at", sdk::formatTime(std::chrono::system_clock::now()));
  manifest.set("database", kDatabaseFile);
  manifest.set("database_bytes", static_cast<Poco::Int64>(Poco::File(database).getSize()));
  manifest.set("attachments", static_cast<Poco::Int64>(blobs));
  const std::string manifest_path = inside(dir, kManifestFile);
  {
    std::ofstream file(manifest_path + ".partial");
    manifest.stringify(file, 2);
    if (!file.flush()) throw std::runtime_error("cannot write " + manifest_path);
  }
  Poco::File(manifest_path + ".partial").renameTo(manifest_path);
  out << "backed up " << settings.database_path << " and " << blobs << " attachments to " << dir
      << std::endl;
}

std::string backupRotating(const Settings& settings, std::ostream& out) {
  Poco::File(settings.backup_dir).createDirectories();
  // Names sort as the times they were made: fieldlink-20261203T120000.123Z.
  const std::string name =
      kRotatingPrefix + Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y%m%dT%H%M%S.%iZ");
  const std::string dir =
      Poco::Path(settings.backup_dir).makeDirectory().pushDirectory(name).toString();
  backupTo(settings, dir, out);

  std::vector<std::string> complete;
  for (Poco::DirectoryIterator it(settings.backup_dir), end; it != end; ++it) {
    if (!it->isDirectory() || it.name().rfind(kRotatingPrefix, 0) != 0) continue;
    if (Poco::File(inside(it.path().toString(), kManifestFile)).exists()) {
      complete.push_back(it.name());
    } else if (it.name() < name) {
      out << "removed incomplete backup " << it.path().toString() << std::endl;
      it->remove(true);
    }
  }
  std::sort(complete.begin(), complete.end());
  const std::size_t keep = static_cast<std::size_t>(settings.backup_keep);
  for (std::size_t i = 0; i + keep < complete.size(); ++i) {
    const std::string old =
        Poco::Path(settings.backup_dir).makeDirectory().pushDirectory(complete[i]).toString();
    Poco::File(old).remove(true);
    out << "removed old backup " << old << std::endl;
  }
  return dir;
}

void restoreFrom(const Settings& settings, const std::string& dir, std::ostream& out) {
  if (settings.mysql)
    throw std::runtime_error(
        "--restore puts back a SQLite backup; restore MySQL/MariaDB with "
        "its own tools (docs/operations.md)");
  if (!Poco::File(inside(dir, kManifestFile)).exists())
    throw std::runtime_error(dir + " holds no complete backup (no " + kManifestFile + ")");
  const std::string database = inside(dir, kDatabaseFile);
  sqlite::checkDatabase(database);

  Poco::File(Poco::Path(settings.database_path).parent()).createDirectories();
  DataLock lock(settings.database_path);
  for (const char* suffix : {"", "-wal", "-shm"})
    if (Poco::File(settings.database_path + suffix).exists())
      throw std::runtime_error(settings.database_path + suffix +
                               " exists: move the current data aside before restoring");

  const std::size_t blobs =
      attachments::copyBlobs(inside(dir, kAttachmentsFolder), settings.attachments_dir);
  // The database last and by rename, so a restore cut short leaves no database behind and
  // can simply be run again.
  const std::string partial = settings.database_path + ".restoring";
  Poco::File(database).copyTo(partial);
  Poco::File(partial).renameTo(settings.database_path);
  out << "restored " << settings.database_path << " and " << blobs << " attachments from " << dir
      << std::endl;
}

}  // namespace fieldlink

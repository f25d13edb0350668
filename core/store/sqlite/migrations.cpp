#include "store/sqlite/migrations.hpp"

#include <string>
#include <vector>

#include <Poco/Data/Statement.h>

#include "domain/errors.hpp"
#include "util/clock.hpp"

namespace fieldlink::sqlite {
namespace {

using namespace Poco::Data::Keywords;

struct Migration {
  int version;
  std::vector<std::string> statements;
};

constexpr const char* kFillLastMessageIds =
    "UPDATE conversations SET last_message_id = COALESCE("
    "(SELECT MAX(m.id) FROM messages m WHERE m.conversation_id = conversations.id), 0)";

// Append only: a released migration never changes.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1,
       {R"(CREATE TABLE users (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             username TEXT NOT NULL,
             display_name TEXT NOT NULL,
             role TEXT NOT NULL,
             phone TEXT NOT NULL DEFAULT '',
             password_hash TEXT NOT NULL,
             created_at INTEGER NOT NULL))",
        "CREATE UNIQUE INDEX users_username ON users (username COLLATE NOCASE)",
        R"(CREATE TABLE service_requests (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             client_id INTEGER NOT NULL REFERENCES users (id),
             technician_id INTEGER REFERENCES users (id),
             conversation_id INTEGER,
             title TEXT NOT NULL,
             description TEXT NOT NULL DEFAULT '',
             address TEXT NOT NULL DEFAULT '',
             latitude REAL,
             longitude REAL,
             status TEXT NOT NULL,
             created_at INTEGER NOT NULL,
             updated_at INTEGER NOT NULL))",
        "CREATE INDEX service_requests_client ON service_requests (client_id)",
        "CREATE INDEX service_requests_technician ON service_requests (technician_id)",
        R"(CREATE TABLE conversations (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             request_id INTEGER NOT NULL UNIQUE REFERENCES service_requests (id),
             created_at INTEGER NOT NULL))",
        R"(CREATE TABLE participants (
             conversation_id INTEGER NOT NULL REFERENCES conversations (id),
             user_id INTEGER NOT NULL REFERENCES users (id),
             role TEXT NOT NULL,
             last_read_message_id INTEGER NOT NULL DEFAULT 0,
             PRIMARY KEY (conversation_id, user_id)))",
        "CREATE INDEX participants_user ON participants (user_id)",
        R"(CREATE TABLE messages (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             conversation_id INTEGER NOT NULL REFERENCES conversations (id),
             sender_id INTEGER REFERENCES users (id),
             message_type TEXT NOT NULL,
             content TEXT NOT NULL,
             attachments TEXT NOT NULL DEFAULT '[]',
             client_id TEXT,
             created_at INTEGER NOT NULL))",
        "CREATE INDEX messages_conversation ON messages (conversation_id, id)",
        "CREATE UNIQUE INDEX messages_client_id ON messages (sender_id, client_id) "
        "WHERE client_id IS NOT NULL",
        R"(CREATE TABLE attachments (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             owner_id INTEGER NOT NULL REFERENCES users (id),
             sha256 TEXT NOT NULL,
             content_type TEXT NOT NULL,
             size INTEGER NOT NULL,
             name TEXT NOT NULL DEFAULT '',
             created_at INTEGER NOT NULL))",
        "CREATE INDEX attachments_sha256 ON attachments (sha256)"}},
      {2,
       {// The message type the upload was accepted for, what the probe found, and the one
        // message that uses it (NULL until sent: such rows are purged after a while).
        "ALTER TABLE attachments ADD COLUMN message_type TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE attachments ADD COLUMN media TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE attachments ADD COLUMN message_id INTEGER REFERENCES messages (id)",
        "ALTER TABLE attachments ADD COLUMN conversation_id INTEGER REFERENCES conversations (id)",
        "CREATE INDEX attachments_unreferenced ON attachments (created_at) "
        "WHERE message_id IS NULL"}},
      {3,
       {R"(CREATE TABLE notifications (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             user_id INTEGER NOT NULL REFERENCES users (id),
             kind TEXT NOT NULL,
             title TEXT NOT NULL,
             body TEXT NOT NULL DEFAULT '',
             data TEXT NOT NULL DEFAULT '{}',
             request_id INTEGER REFERENCES service_requests (id),
             conversation_id INTEGER REFERENCES conversations (id),
             created_at INTEGER NOT NULL,
             read_at INTEGER))",
        "CREATE INDEX notifications_user ON notifications (user_id, id)"}},
      {4,
       {// Accounts an administrator disabled; the generation tokens must carry (a new password
        // moves it on); when either last changed (epoch ms), for servers to find such users.
        "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE users ADD COLUMN access_changed_at INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX users_access_changed_at ON users (access_changed_at)"}},
      {5,
       {// Refresh tokens that can still be presented, by id (the token's jti), for rotation
        // and reuse detection; expired rows are deleted as new ones come.
        R"(CREATE TABLE refresh_tokens (
             id TEXT PRIMARY KEY,
             family TEXT NOT NULL,
             user_id INTEGER NOT NULL REFERENCES users (id),
             expires_at INTEGER NOT NULL,
             used_at INTEGER,
             revoked INTEGER NOT NULL DEFAULT 0))",
        "CREATE INDEX refresh_tokens_family ON refresh_tokens (family)",
        "CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at)"}},
      {6,
       {// Each user's uploads that no message uses yet: their quota.
        "CREATE INDEX attachments_owner_unreferenced ON attachments (owner_id) "
        "WHERE message_id IS NULL"}},
      {7,
       {// Messages per hour over a recent window (the dashboard's series): a range of this
        // index, not a scan of all history.
        "CREATE INDEX messages_created_at ON messages (created_at)"}},
      {8,
       {R"(CREATE TABLE tracking_links (
             token_hash TEXT PRIMARY KEY,
             request_id INTEGER NOT NULL REFERENCES service_requests (id),
             created_by INTEGER NOT NULL REFERENCES users (id),
             created_at INTEGER NOT NULL,
             expires_at INTEGER NOT NULL,
             revoked INTEGER NOT NULL DEFAULT 0))",
        "CREATE INDEX tracking_links_request ON tracking_links (request_id)",
        "CREATE INDEX tracking_links_expires_at ON tracking_links (expires_at)"}},
      // MySQL's attachments.media becomes NOT NULL, as it always was here: same numbers on
      // both backends, so "schema 9" means one thing.
      {9, {}},
      {10,
       {// The id of each conversation's newest message (0 without one), kept by every insert:
        // conversation lists are ordered on it, so a page reads only its own rows.
        "ALTER TABLE conversations ADD COLUMN last_message_id INTEGER NOT NULL DEFAULT 0",
        kFillLastMessageIds}},
  };
  return all;
}

int currentVersion(Poco::Data::Session& session) {
  session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
      now;
  int version = 0;
  session << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(version), now;
  return version;
}

}  // namespace

int latestSchemaVersion() { return migrations().back().version; }

void migrate(Poco::Data::Session& session) {
  const int current = currentVersion(session);
  if (current > latestSchemaVersion())
    throw Unavailable("The database has schema version " + std::to_string(current) +
                      ", newer than this build knows (" + std::to_string(latestSchemaVersion()) +
                      ").");
  for (const auto& migration : migrations()) {
    if (migration.version <= current) continue;
    session << "BEGIN IMMEDIATE", now;
    try {
      for (const auto& sql : migration.statements) session << sql, now;
      int version = migration.version;
      Poco::Int64 applied = toEpochMs(nowMs());
      session << "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", use(version),
          use(applied), now;
      session << "COMMIT", now;
    } catch (...) {
      session << "ROLLBACK", now;
      throw;
    }
  }
}

}  // namespace fieldlink::sqlite

#include "store/mysql/mysql_migrations.hpp"

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <memory>
#include <string>
#include <vector>

#include "domain/errors.hpp"
#include "store/sqlite/migrations.hpp"
#include "util/clock.hpp"

namespace fieldlink::mysql {
namespace {

struct Migration {
  int version;
  std::vector<std::string> statements;
};

// Append only, version for version with store/sqlite/migrations.cpp: a released migration
// never changes. Times are epoch milliseconds (BIGINT), as on SQLite. Usernames compare
// without case (the column's collation); everything else compares byte for byte.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1,
       {R"(CREATE TABLE users (
             id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
             username VARCHAR(150) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
             display_name VARCHAR(500) NOT NULL,
             role VARCHAR(32) NOT NULL,
             phone VARCHAR(100) NOT NULL DEFAULT '',
             password_hash VARCHAR(500) NOT NULL,
             created_at BIGINT NOT NULL,
             UNIQUE KEY users_username (username)))",
        R"(CREATE TABLE service_requests (
             id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
             client_id BIGINT NOT NULL,
             technician_id BIGINT NULL,
             conversation_id BIGINT NULL,
             title TEXT NOT NULL,
             description MEDIUMTEXT NOT NULL,
             address TEXT NOT NULL,
             latitude DOUBLE NULL,
             longitude DOUBLE NULL,
             status VARCHAR(32) NOT NULL,
             created_at BIGINT NOT NULL,
             updated_at BIGINT NOT NULL,
             KEY service_requests_client (client_id),
             KEY service_requests_technician (technician_id),
             CONSTRAINT service_requests_client_fk FOREIGN KEY (client_id) REFERENCES users (id),
             CONSTRAINT service_requests_technician_fk FOREIGN KEY (technician_id)
               REFERENCES users (id)))",
        R"(CREATE TABLE conversations (
             id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
             request_id BIGINT NOT NULL,
             created_at BIGINT NOT NULL,
             UNIQUE KEY conversations_request (request_id),
             CONSTRAINT conversations_request_fk FOREIGN KEY (request_id)
               REFERENCES service_requests (id)))",
        R"(CREATE TABLE participants (
             conversation_id BIGINT NOT NULL,
             user_id BIGINT NOT NULL,
             role VARCHAR(32) NOT NULL,
             last_read_message_id BIGINT NOT NULL DEFAULT 0,
             PRIMARY KEY (conversation_id, user_id),
             KEY participants_user (user_id),
             CONSTRAINT participants_conversation_fk FOREIGN KEY (conversation_id)
               REFERENCES conversations (id),
             CONSTRAINT participants_user_fk FOREIGN KEY (user_id) REFERENCES users (id)))",
        R"(CREATE TABLE messages (
             id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
             conversation_id BIGINT NOT NULL,
             sender_id BIGINT NULL,
             message_type VARCHAR(64) NOT NULL,
             content MEDIUMTEXT NOT NULL,
             attachments TEXT NOT NULL,
             client_id VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
             created_at BIGINT NOT NULL,
             KEY messages_conversation (conversation_id, id),
             UNIQUE KEY messages_client_id (sender_id, client_id),
             CONSTRAINT messages_conversation_fk FOREIGN KEY (conversation_id)
               REFERENCES conversations (id),
             CONSTRAINT messages_sender_fk FOREIGN KEY (sender_id) REFERENCES users (id)))",
        R"(CREATE TABLE attachments (
             id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
             owner_id BIGINT NOT NULL,
             sha256 CHAR(64) CHARACTER SET ascii NOT NULL,
             content_type VARCHAR(255) NOT NULL,
             size BIGINT NOT NULL,
             name VARCHAR(1000) NOT NULL DEFAULT '',
             created_at BIGINT NOT NULL,
             KEY attachments_sha256 (sha256),
             CONSTRAINT attachments_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)))"}},
      {2,
       {"ALTER TABLE attachments ADD COLUMN message_type VARCHAR(64) NOT NULL DEFAULT '', "
        "ADD COLUMN media TEXT NULL, "
        "ADD COLUMN message_id BIGINT NULL, "
        "ADD COLUMN conversation_id BIGINT NULL, "
        "ADD KEY attachments_unreferenced (message_id, created_at), "
        "ADD CONSTRAINT attachments_message_fk FOREIGN KEY (message_id) REFERENCES messages (id), "
        "ADD CONSTRAINT attachments_conversation_fk FOREIGN KEY (conversation_id) "
        "REFERENCES conversations (id)"}},
      {3, {R"(CREATE TABLE notifications (
             id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
             user_id BIGINT NOT NULL,
             kind VARCHAR(64) NOT NULL,
             title TEXT NOT NULL,
             body TEXT NOT NULL,
             data MEDIUMTEXT NOT NULL,
             request_id BIGINT NULL,
             conversation_id BIGINT NULL,
             created_at BIGINT NOT NULL,
             read_at BIGINT NULL,
             KEY notifications_user (user_id, id),
             CONSTRAINT notifications_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
             CONSTRAINT notifications_request_fk FOREIGN KEY (request_id)
               REFERENCES service_requests (id),
             CONSTRAINT notifications_conversation_fk FOREIGN KEY (conversation_id)
               REFERENCES conversations (id)))"}},
      {4,
       {"ALTER TABLE users ADD COLUMN disabled TINYINT NOT NULL DEFAULT 0, "
        "ADD COLUMN session_generation BIGINT NOT NULL DEFAULT 0, "
        "ADD COLUMN access_changed_at BIGINT NOT NULL DEFAULT 0, "
        "ADD KEY users_access_changed_at (access_changed_at)"}},
      {5, {R"(CREATE TABLE refresh_tokens (
             id CHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
             family CHAR(32) CHARACTER SET ascii NOT NULL,
             user_id BIGINT NOT NULL,
             expires_at BIGINT NOT NULL,
             used_at BIGINT NULL,
             revoked TINYINT NOT NULL DEFAULT 0,
             KEY refresh_tokens_family (family),
             KEY refresh_tokens_expires_at (expires_at),
             CONSTRAINT refresh_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id)))"}},
      {6,
       {"ALTER TABLE attachments ADD KEY attachments_owner_unreferenced (owner_id, message_id)"}},
      {7, {"ALTER TABLE messages ADD KEY messages_created_at (created_at)"}},
      {8, {R"(CREATE TABLE tracking_links (
             token_hash CHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
             request_id BIGINT NOT NULL,
             created_by BIGINT NOT NULL,
             created_at BIGINT NOT NULL,
             expires_at BIGINT NOT NULL,
             revoked TINYINT NOT NULL DEFAULT 0,
             KEY tracking_links_request (request_id),
             KEY tracking_links_expires_at (expires_at),
             CONSTRAINT tracking_links_request_fk FOREIGN KEY (request_id)
               REFERENCES service_requests (id),
             CONSTRAINT tracking_links_creator_fk FOREIGN KEY (created_by) REFERENCES users (id)))"}},
      // attachments.media was nullable here and NOT NULL on SQLite (tests/unit/store/
      // schema_parity_test.cpp now holds the two schemas together). Every upload stores it.
      {9,
       {"UPDATE attachments SET media = '{}' WHERE media IS NULL",
        "ALTER TABLE attachments MODIFY media TEXT NOT NULL"}},
      // As SQLite's 10: the newest message's id, which orders conversation lists.
      {10,
       {"ALTER TABLE conversations ADD COLUMN last_message_id BIGINT NOT NULL DEFAULT 0",
        "UPDATE conversations SET last_message_id = COALESCE("
        "(SELECT MAX(m.id) FROM messages m WHERE m.conversation_id = conversations.id), 0)"}},
  };
  return all;
}

int currentVersion(sql::Statement& statement) {
  statement.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "version INT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)");
  std::unique_ptr<sql::ResultSet> rs(
      statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return rs->next() ? rs->getInt(1) : 0;
}

// MySQL commits DDL as it goes, so a migration is not atomic here: each statement is
// written to be applied once, and the version row is the last thing written.
void applyPending(sql::Connection& connection, sql::Statement& statement) {
  const int current = currentVersion(statement);
  const int latest = migrations().back().version;
  if (latest != sqlite::latestSchemaVersion())
    throw std::logic_error("MySQL and SQLite migrations are out of step");
  if (current > latest)
    throw Unavailable("The database has schema version " + std::to_string(current) +
                      ", newer than this build knows (" + std::to_string(latest) + ").");
  for (const auto& migration : migrations()) {
    if (migration.version <= current) continue;
    for (const auto& sql : migration.statements) statement.execute(sql);
    std::unique_ptr<sql::PreparedStatement> record(connection.prepareStatement(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"));
    record->setInt(1, migration.version);
    record->setInt64(2, toEpochMs(nowMs()));
    record->executeUpdate();
  }
}

}  // namespace

void migrate(sql::Connection& connection) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  {
    std::unique_ptr<sql::ResultSet> locked(
        statement->executeQuery("SELECT GET_LOCK('fieldlink_migrations', 60)"));
    if (!locked->next() || locked->getInt(1) != 1)
      throw Unavailable("Another node has been migrating the database for a minute; giving up.");
  }
  try {
    applyPending(connection, *statement);
  } catch (...) {
    statement->execute("DO RELEASE_LOCK('fieldlink_migrations')");
    throw;
  }
  statement->execute("DO RELEASE_LOCK('fieldlink_migrations')");
}

}  // namespace fieldlink::mysql

#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "domain/ids.hpp"
#include "util/clock.hpp"

namespace fieldlink {

enum class Role { Client, Technician, Dispatcher };
std::string toString(Role role);
std::optional<Role> parseRole(const std::string& text);

struct User {
  UserId id;
  std::string username;
  std::string display_name;
  Role role = Role::Client;
  std::string phone;
  std::string password_hash;
  TimePoint created_at;
  // A disabled account cannot log in, refresh or use a token; an administrator's choice.
  bool disabled = false;
  // Tokens carry the generation they were issued in; a new password or a disabled account
  // moves it on, and every older token stops working (on every node: it is in the store).
  std::int64_t session_generation = 0;
  // When `disabled` or the generation last changed: running servers look for such users to
  // close their connections.
  TimePoint access_changed_at{};
};

// What an administrator changes of an account's access (fieldlinkd --disable-user, ...).
struct UserAccess {
  bool disabled = false;
  std::string password_hash;
  std::int64_t session_generation = 0;
  TimePoint access_changed_at{};
};

// One refresh token of a family: every token rotated from one sign-in. Using a token twice
// revokes its family (reuse detection, OAuth 2.0 Security BCP).
struct RefreshTokenRecord {
  std::string id;  // the token's jti
  std::string family;
  UserId user_id;
  TimePoint expires_at;
  std::optional<TimePoint> used_at;  // rotated already
  bool revoked = false;
};

// A link that shows one request's tracking without an account. Only the token's SHA-256 is
// kept: the database never holds a working link.
struct TrackingLinkRecord {
  std::string token_hash;  // hex
  RequestId request_id;
  UserId created_by;
  TimePoint created_at;
  TimePoint expires_at;
  bool revoked = false;
};

struct NewUser {
  std::string username;
  std::string display_name;
  Role role = Role::Client;
  std::string phone;
  std::string password_hash;
  TimePoint created_at;
};

enum class RequestStatus { Pending, Assigned, EnRoute, OnSite, Completed, Cancelled };
std::string toString(RequestStatus status);
std::optional<RequestStatus> parseRequestStatus(const std::string& text);
inline bool isFinal(RequestStatus s) {
  return s == RequestStatus::Completed || s == RequestStatus::Cancelled;
}

struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
};

struct ServiceRequest {
  RequestId id;
  UserId client_id;
  std::optional<UserId> technician_id;
  std::optional<ConversationId> conversation_id;
  std::string title;
  std::string description;
  std::string address;
  std::optional<GeoPoint> location;
  RequestStatus status = RequestStatus::Pending;
  TimePoint created_at;
  TimePoint updated_at;
};

struct NewServiceRequest {
  UserId client_id;
  std::string title;
  std::string description;
  std::string address;
  std::optional<GeoPoint> location;
  TimePoint created_at;
};

struct Participant {
  UserId user_id;
  Role role = Role::Client;
  MessageId last_read;  // 0 when nothing was read
};

struct Conversation {
  ConversationId id;
  RequestId request_id;
  std::vector<Participant> participants;
  TimePoint created_at;

  const Participant* participant(UserId user) const {
    for (const auto& p : participants)
      if (p.user_id == user) return &p;
    return nullptr;
  }
};

struct Message {
  MessageId id;
  ConversationId conversation_id;
  std::optional<UserId> sender_id;  // empty for system messages
  std::string message_type;
  Poco::JSON::Object::Ptr content;  // null when read as text (content_json) only
  std::string content_json;         // the stored text, when content was not parsed
  std::vector<std::int64_t> attachment_ids;
  std::optional<std::string> client_id;
  TimePoint created_at;
};

struct NewMessage {
  ConversationId conversation_id;
  std::optional<UserId> sender_id;
  std::string message_type;
  Poco::JSON::Object::Ptr content;
  std::string content_json;  // `content` serialised, when done ahead (off the writer thread)
  std::vector<std::int64_t> attachment_ids;
  std::optional<std::string> client_id;
  TimePoint created_at;
};

struct ConversationSummary {
  Conversation conversation;
  std::int64_t unread_count = 0;
  std::optional<Message> last_message;
};

// An uploaded file (its bytes live in the attachment store under sha256).
struct AttachmentRecord {
  std::int64_t id = 0;
  UserId owner_id;
  std::string sha256;
  std::string content_type;
  std::int64_t size = 0;
  std::string name;
  TimePoint created_at;
  std::string message_type;             // the type that accepted the upload
  std::string media_json = "{}";        // the probe's findings (sdk::MediaInfo as JSON)
  std::optional<MessageId> message_id;  // the message that uses it, once sent
  std::optional<ConversationId> conversation_id;
};

// Something a user is told about (assignment, a status change, an arriving technician...).
struct Notification {
  std::int64_t id = 0;
  UserId user_id;
  std::string kind;
  std::string title;
  std::string body;
  std::string data_json = "{}";
  std::optional<RequestId> request_id;
  std::optional<ConversationId> conversation_id;
  TimePoint created_at;
  std::optional<TimePoint> read_at;
};

}  // namespace fieldlink

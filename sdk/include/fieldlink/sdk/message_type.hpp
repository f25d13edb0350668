#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "fieldlink/sdk/media.hpp"

namespace fieldlink::sdk {

// The outcome of validating a message's content: a value, never an exception.
class ValidationResult {
 public:
  static ValidationResult accept(Poco::JSON::Object::Ptr normalised) {
    ValidationResult r;
    r.content_ = std::move(normalised);
    return r;
  }
  // `field` names the offending key inside `content` (e.g. "text"); `reason` is shown to
  // the client as is.
  static ValidationResult reject(std::string field, std::string reason) {
    ValidationResult r;
    r.field_ = std::move(field);
    r.reason_ = std::move(reason);
    return r;
  }

  bool ok() const { return !content_.isNull(); }
  const Poco::JSON::Object::Ptr& content() const { return content_; }
  const std::string& field() const { return field_; }
  const std::string& reason() const { return reason_; }

 private:
  Poco::JSON::Object::Ptr content_;
  std::string field_;
  std::string reason_;
};

// Who is sending what, where: handed to validate().
struct MessageContext {
  std::int64_t conversation_id = 0;
  std::int64_t sender_id = 0;
  // The upload named by `content.attachment_id`, already checked by the host: it exists,
  // the sender uploaded it, and this message type accepted it. Empty when there is none.
  std::vector<Attachment> attachments;
};

// A message type ("text", "voice", ...). The plugin's name is the `message_type` clients send.
// validate() and summary() are called concurrently from many threads on the message path:
// they must be thread-safe and must not block.
class MessageTypePlugin {
 public:
  virtual ~MessageTypePlugin() = default;
  // Checks `content` and returns the normalised form that is stored and delivered.
  virtual ValidationResult validate(const Poco::JSON::Object& content,
                                    const MessageContext& context) const = 0;
  // A short plain-text line for previews and notifications.
  virtual std::string summary(const Poco::JSON::Object& content) const = 0;
  // Non-null for types that carry an uploaded file: the host asks it about each upload
  // meant for this type. It must live as long as the plugin.
  virtual const UploadPolicy* uploads() const { return nullptr; }
};

}  // namespace fieldlink::sdk

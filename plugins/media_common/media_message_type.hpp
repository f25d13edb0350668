#pragma once

// The shape the file, voice and video message types share: a plugin that takes uploads
// within limits read from its config section and whose content is built from the attachment
// the host resolved. Subclasses say what else they check and which fields they publish.

#include <fieldlink/sdk/plugin.hpp>

#include "media_rules.hpp"

namespace fieldlink::media_rules {

class MediaMessageType : public sdk::Plugin,
                         public sdk::MessageTypePlugin,
                         public sdk::UploadPolicy,
                         public sdk::UploadScreen {
 public:
  // `kind` names the type for clients ("voice message").
  MediaMessageType(std::string name, std::string kind, LimitDefaults defaults)
      : name_(std::move(name)), kind_(std::move(kind)), defaults_(defaults) {}

  sdk::StartResult start(sdk::HostContext& host) override;
  sdk::MessageTypePlugin* message_type() override { return this; }
  const sdk::UploadPolicy* uploads() const override { return this; }
  std::int64_t maxBytes() const override { return limits_.max_bytes; }

  // The limits, then reviewMedia().
  sdk::UploadDecision review(const sdk::MediaInfo& media, std::int64_t size) const override;
  // The limits alone, on what is known before decoding.
  sdk::UploadDecision screen(const sdk::MediaInfo& known, std::int64_t size) const override {
    return checkLimits(limits_, known, size, kind_);
  }
  // {attachment_id, content_type} plus describe(); refuses content without an attachment.
  sdk::ValidationResult validate(const Poco::JSON::Object& content,
                                 const sdk::MessageContext& context) const override;

 protected:
  // Reads the type's own keys; an error names the key.
  virtual std::optional<std::string> configure(const Poco::Util::AbstractConfiguration&) {
    return std::nullopt;
  }
  // What this type requires beyond the limits; accept(...) to let the upload through.
  virtual sdk::UploadDecision reviewMedia(const sdk::MediaInfo& media) const = 0;
  // Adds the type's fields to the content.
  virtual void describe(const sdk::Attachment& attachment, Poco::JSON::Object& content) const = 0;
  // A refusal of content other than an attachment (e.g. a kind not supported yet), or none.
  virtual std::optional<sdk::ValidationResult> refuseContent(const Poco::JSON::Object&) const {
    return std::nullopt;
  }

 private:
  std::string name_;
  std::string kind_;
  LimitDefaults defaults_;
  Limits limits_;
};

}  // namespace fieldlink::media_rules

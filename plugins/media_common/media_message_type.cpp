#include "media_message_type.hpp"

namespace fieldlink::media_rules {

sdk::StartResult MediaMessageType::start(sdk::HostContext& host) {
  if (auto error = readLimits(host.config(), name_, defaults_, limits_))
    return sdk::StartResult::failed(*error);
  if (auto error = configure(host.config())) return sdk::StartResult::failed(*error);
  return sdk::StartResult::ok();
}

sdk::UploadDecision MediaMessageType::review(const sdk::MediaInfo& media, std::int64_t size) const {
  sdk::UploadDecision verdict = checkLimits(limits_, media, size, kind_);
  return verdict.accepted() ? reviewMedia(media) : verdict;
}

sdk::ValidationResult MediaMessageType::validate(const Poco::JSON::Object& content,
                                                 const sdk::MessageContext& context) const {
  if (auto refusal = refuseContent(content)) return *refusal;
  if (context.attachments.size() != 1)
    return sdk::ValidationResult::reject(
        "attachment_id", "Upload the file to /api/chat/attachments/ first and send its id.");
  const sdk::Attachment& attachment = context.attachments.front();
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("attachment_id", static_cast<Poco::Int64>(attachment.id));
  out->set("content_type", attachment.content_type);
  describe(attachment, *out);
  return sdk::ValidationResult::accept(out);
}

}  // namespace fieldlink::media_rules

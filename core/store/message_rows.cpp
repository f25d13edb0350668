#include "store/message_rows.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace fieldlink {

std::string contentColumn(const NewMessage& message) {
  if (!message.content_json.empty()) return message.content_json;  // already serialised
  std::ostringstream out;
  message.content->stringify(out);
  return out.str();
}

std::string attachmentsColumn(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return "[]";  // nearly every message
  Poco::JSON::Array array;
  for (auto id : ids) array.add(static_cast<Poco::Int64>(id));
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

Poco::JSON::Object::Ptr parseContentColumn(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::int64_t> parseAttachmentsColumn(const std::string& text) {
  const auto array = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
  std::vector<std::int64_t> ids;
  for (std::size_t i = 0; i < array->size(); ++i) ids.push_back(array->getElement<Poco::Int64>(i));
  return ids;
}

Message storedMessage(const NewMessage& message, MessageId id) {
  Message stored;
  stored.id = id;
  stored.conversation_id = message.conversation_id;
  stored.sender_id = message.sender_id;
  stored.message_type = message.message_type;
  stored.content = message.content;
  stored.attachment_ids = message.attachment_ids;
  stored.client_id = message.client_id;
  stored.created_at = message.created_at;
  return stored;
}

std::vector<ConversationSummary> summariesOf(StoreSession& session,
                                             const std::vector<ConversationHead>& heads) {
  std::vector<ConversationSummary> out;
  out.reserve(heads.size());
  for (const auto& head : heads) {
    auto conversation = session.findConversation(head.id);
    if (!conversation) continue;
    ConversationSummary summary{std::move(*conversation), head.unread, std::nullopt};
    if (head.last_id) summary.last_message = session.findMessage(MessageId(*head.last_id));
    out.push_back(std::move(summary));
  }
  return out;
}

}  // namespace fieldlink

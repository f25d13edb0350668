#include "store/message_rows.hpp"

#include <charconv>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "util/json_text.hpp"

namespace fieldlink {

std::string contentColumn(const NewMessage& message) {
  if (!message.content_json.empty()) return message.content_json;  // already serialised
  return json_text::of(*message.content);
}

std::string attachmentsColumn(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return "[]";  // nearly every message
  std::string out = "[";
  for (auto id : ids) {
    if (out.size() > 1) out += ',';
    out += std::to_string(id);
  }
  return out + "]";
}

Poco::JSON::Object::Ptr parseContentColumn(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::int64_t> parseAttachmentsColumn(const std::string& text) {
  // Nearly always "[]", else ids as attachmentsColumn() writes them ("[3,4]"): read directly.
  std::vector<std::int64_t> ids;
  if (text == "[]") return ids;
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    const char* at = text.data() + 1;
    const char* const end = text.data() + text.size() - 1;
    for (;;) {
      std::int64_t id = 0;
      const auto read = std::from_chars(at, end, id);
      if (read.ec != std::errc()) break;
      ids.push_back(id);
      at = read.ptr;
      if (at == end) return ids;
      if (*at != ',') break;
      ++at;
    }
    ids.clear();
  }
  // Anything else (spaces, an older writer): as JSON.
  const auto array = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
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

ConversationListPage conversationPage(std::vector<ConversationRow> rows, int limit,
                                      const ConversationPageReader& read) {
  ConversationListPage page;
  if (rows.size() > static_cast<std::size_t>(limit)) {
    rows.resize(static_cast<std::size_t>(limit));
    page.next = ConversationCursor{rows.back().last_message_id, rows.back().id};
  }
  if (rows.empty()) return page;
  std::vector<std::int64_t> conversation_ids, message_ids;
  for (const auto& row : rows) {
    conversation_ids.push_back(row.id.value);
    if (row.last_message_id != 0) message_ids.push_back(row.last_message_id);
  }
  ConversationPageParts parts = read(paddedIds(conversation_ids), paddedIds(message_ids));
  std::unordered_map<std::int64_t, Conversation*> conversations;
  for (auto& conversation : parts.conversations)
    conversations[conversation.id.value] = &conversation;
  std::unordered_map<std::int64_t, const Message*> messages;
  for (const auto& message : parts.last_messages) messages[message.id.value] = &message;
  page.results.reserve(rows.size());
  for (const auto& row : rows) {
    const auto conversation = conversations.find(row.id.value);
    if (conversation == conversations.end()) continue;
    const auto unread = parts.unread.find(row.id.value);
    ConversationSummary summary{std::move(*conversation->second),
                                unread == parts.unread.end() ? 0 : unread->second, std::nullopt};
    const auto last = messages.find(row.last_message_id);
    if (last != messages.end()) summary.last_message = *last->second;
    page.results.push_back(std::move(summary));
  }
  return page;
}

void addPeople(std::vector<Conversation>& conversations,
               std::vector<std::pair<std::int64_t, Participant>> people) {
  std::unordered_map<std::int64_t, Conversation*> by_id;
  for (auto& conversation : conversations) by_id[conversation.id.value] = &conversation;
  for (auto& [id, participant] : people) {
    const auto conversation = by_id.find(id);
    if (conversation != by_id.end())
      conversation->second->participants.push_back(std::move(participant));
  }
}

std::vector<ConversationPeople> groupPeople(
    const std::vector<std::pair<std::int64_t, std::int64_t>>& rows) {
  std::vector<ConversationPeople> out;
  for (const auto& [conversation, user] : rows) {
    if (out.empty() || out.back().id.value != conversation)
      out.push_back(ConversationPeople{ConversationId(conversation), {}});
    out.back().people.push_back(UserId(user));
  }
  return out;
}

}  // namespace fieldlink

#include "plugins/plugin_store_reader.hpp"

namespace fieldlink {
namespace {

std::optional<sdk::ConversationView> viewOf(StoreSession& s, ConversationId id) {
  const auto c = s.findConversation(id);
  if (!c) return std::nullopt;
  sdk::ConversationView view;
  view.id = c->id.value;
  view.request_id = c->request_id.value;
  if (const auto request = s.findRequest(c->request_id))
    view.request_status = toString(request->status);
  for (const auto& p : c->participants)
    view.participants.push_back({p.user_id.value, toString(p.role), p.last_read.value});
  view.created_at = c->created_at;
  return view;
}

}  // namespace

std::optional<sdk::ConversationView> PluginStoreReader::conversation(std::int64_t id) const {
  return store_.read([&](StoreSession& s) { return viewOf(s, ConversationId(id)); });
}

std::vector<sdk::ConversationView> PluginStoreReader::conversations(std::int64_t after_id,
                                                                    int limit) const {
  return store_.read([&](StoreSession& s) {
    std::vector<sdk::ConversationView> out;
    for (const ConversationId id : s.conversationIds(ConversationId(after_id), limit))
      if (auto view = viewOf(s, id)) out.push_back(std::move(*view));
    return out;
  });
}

std::vector<sdk::MessageView> PluginStoreReader::messages(std::int64_t conversation_id,
                                                          std::int64_t after_id, int limit) const {
  MessageQuery query;
  query.after_id = MessageId(after_id);
  query.limit = limit;
  const auto page = store_.read(
      [&](StoreSession& s) { return s.messages(ConversationId(conversation_id), query); });
  std::vector<sdk::MessageView> out;
  for (const auto& m : page.results) {
    sdk::MessageView view;
    view.id = m.id.value;
    view.conversation_id = m.conversation_id.value;
    if (m.sender_id) view.sender_id = m.sender_id->value;
    view.message_type = m.message_type;
    view.content = m.content;
    view.created_at = m.created_at;
    out.push_back(std::move(view));
  }
  return out;
}

}  // namespace fieldlink

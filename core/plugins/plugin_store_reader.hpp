#pragma once

#include <fieldlink/sdk/host_context.hpp>

#include "store/store.hpp"

namespace fieldlink {

// The store as plugins see it: copies of conversations and messages, read-only.
class PluginStoreReader final : public sdk::StoreReader {
 public:
  explicit PluginStoreReader(Store& store) : store_(store) {}

  std::optional<sdk::ConversationView> conversation(std::int64_t id) const override {
    const auto c =
        store_.read([&](StoreSession& s) { return s.findConversation(ConversationId(id)); });
    if (!c) return std::nullopt;
    sdk::ConversationView view{c->id.value, c->request_id.value, {}, c->created_at};
    for (const auto& p : c->participants) view.participant_ids.push_back(p.user_id.value);
    return view;
  }

  std::vector<sdk::MessageView> messages(std::int64_t conversation_id, std::int64_t after_id,
                                         int limit) const override {
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

 private:
  Store& store_;
};

}  // namespace fieldlink

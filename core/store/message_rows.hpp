#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model.hpp"
#include "store/store.hpp"

namespace fieldlink {

// How a message's JSON parts are kept in a row, the same for every store backend.
std::string contentColumn(const NewMessage& message);                 // the content as JSON text
std::string attachmentsColumn(const std::vector<std::int64_t>& ids);  // a JSON array of ids
Poco::JSON::Object::Ptr parseContentColumn(const std::string& text);
std::vector<std::int64_t> parseAttachmentsColumn(const std::string& text);
// The message as stored under `id`, from what was inserted.
Message storedMessage(const NewMessage& message, MessageId id);

// One row of a user's conversation list, as conversationListSql answers it.
struct ConversationRow {
  ConversationId id;
  std::int64_t last_message_id = 0;
};
// The page those rows make (they are one more than `limit` when more follow): each
// conversation with its people, its unread count for `user` and its last message.
ConversationListPage conversationPage(StoreSession& session, UserId user,
                                      std::vector<ConversationRow> rows, int limit);
// (conversation id, user id) rows, ordered by conversation, grouped into conversations.
std::vector<ConversationPeople> groupPeople(
    const std::vector<std::pair<std::int64_t, std::int64_t>>& rows);

}  // namespace fieldlink

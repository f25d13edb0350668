#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/model.hpp"
#include "store/shared_sql.hpp"
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
// What a page of a conversation list is made of, as a backend reads it for the whole page
// (conversationPageSql): the conversations with their people, the reader's unread counts
// (absent: none), the last messages.
struct ConversationPageParts {
  std::vector<Conversation> conversations;
  std::unordered_map<std::int64_t, std::int64_t> unread;
  std::vector<Message> last_messages;
};
// Reads the parts for these conversation ids and message ids (padded with repeats, as
// paddedIds() makes them).
using ConversationPageReader =
    std::function<ConversationPageParts(const SqlValues& conversations, const SqlValues& messages)>;
// The page those rows make (they are one more than `limit` when more follow), in their order.
ConversationListPage conversationPage(std::vector<ConversationRow> rows, int limit,
                                      const ConversationPageReader& read);
// Participants read for several conversations, each with its conversation's id, into
// `conversations` (heads without people yet).
void addPeople(std::vector<Conversation>& conversations,
               std::vector<std::pair<std::int64_t, Participant>> people);
// (conversation id, user id) rows, ordered by conversation, grouped into conversations.
std::vector<ConversationPeople> groupPeople(
    const std::vector<std::pair<std::int64_t, std::int64_t>>& rows);

}  // namespace fieldlink

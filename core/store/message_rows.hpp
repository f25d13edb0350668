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

// One row of a user's conversation list, as both stores' query gives it.
struct ConversationHead {
  ConversationId id;
  std::int64_t unread;
  std::optional<std::int64_t> last_id;
};
// The list itself: each conversation with its participants and last message.
std::vector<ConversationSummary> summariesOf(StoreSession& session,
                                             const std::vector<ConversationHead>& heads);

}  // namespace fieldlink

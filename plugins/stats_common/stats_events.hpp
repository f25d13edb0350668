#pragma once

#include <functional>
#include <optional>
#include <string>

#include <fieldlink/sdk/host_context.hpp>

// What the statistics plugins read from events and from the store, in one place, so that
// the figures rebuilt at start and those kept up from events come from the same messages.
namespace fieldlink::stats {

// The message of a "message.created" event; nothing for any other event.
std::optional<sdk::MessageView> createdMessage(const sdk::Event& event);

// The new status, when `message` is the system message of a status change.
std::optional<std::string> statusChange(const sdk::MessageView& message);

// completed and cancelled: the request is closed.
bool isFinalStatus(const std::string& status);

// Every stored conversation, then each of its messages oldest first, page by page.
void replayStore(const sdk::StoreReader& store,
                 const std::function<void(const sdk::ConversationView&)>& on_conversation,
                 const std::function<void(const sdk::MessageView&)>& on_message);

}  // namespace fieldlink::stats

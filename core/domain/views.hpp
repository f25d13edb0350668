#pragma once

#include <string>

#include <Poco/JSON/Object.h>

#include "domain/model.hpp"

namespace fieldlink::views {

// The API representation of each domain object (shared/API.md), used by REST and WebSocket
// alike so that both show the same fields.
Poco::JSON::Object::Ptr user(const User& user);
Poco::JSON::Object::Ptr request(const ServiceRequest& request);
Poco::JSON::Object::Ptr message(const Message& message);
// The same message as JSON text, appended to `out` without building the object: history
// pages and resumes write many. Byte for byte what json_text::of(*message(m)) gives.
void appendMessage(std::string& out, const Message& message);
Poco::JSON::Object::Ptr attachment(const AttachmentRecord& attachment);
Poco::JSON::Object::Ptr notification(const Notification& notification);
// With `people`, each participant found there also gets its display_name and phone.
Poco::JSON::Object::Ptr conversation(const Conversation& conversation,
                                     const std::vector<User>& people = {});
Poco::JSON::Object::Ptr conversationSummary(const ConversationSummary& summary);

}  // namespace fieldlink::views

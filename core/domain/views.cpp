#include "domain/views.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "util/json_text.hpp"

namespace fieldlink::views {
namespace {

Poco::Dynamic::Var idOrNull(const std::optional<std::int64_t>& id) {
  if (!id) return Poco::Dynamic::Var();
  return static_cast<Poco::Int64>(*id);
}

template <class Tag>
Poco::Dynamic::Var idOrNull(const std::optional<Id<Tag>>& id) {
  return id ? idOrNull(std::optional<std::int64_t>(id->value)) : Poco::Dynamic::Var();
}

}  // namespace

Poco::JSON::Object::Ptr user(const User& u) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", static_cast<Poco::Int64>(u.id.value));
  o->set("username", u.username);
  o->set("display_name", u.display_name);
  o->set("role", toString(u.role));
  o->set("phone", u.phone);
  return o;
}

Poco::JSON::Object::Ptr request(const ServiceRequest& r) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", static_cast<Poco::Int64>(r.id.value));
  o->set("title", r.title);
  o->set("description", r.description);
  o->set("address", r.address);
  o->set("latitude", r.location ? Poco::Dynamic::Var(r.location->latitude) : Poco::Dynamic::Var());
  o->set("longitude",
         r.location ? Poco::Dynamic::Var(r.location->longitude) : Poco::Dynamic::Var());
  o->set("status", toString(r.status));
  o->set("client_id", static_cast<Poco::Int64>(r.client_id.value));
  o->set("technician_id", idOrNull(r.technician_id));
  o->set("conversation_id", idOrNull(r.conversation_id));
  o->set("created_at", formatRfc3339(r.created_at));
  o->set("updated_at", formatRfc3339(r.updated_at));
  return o;
}

Poco::JSON::Object::Ptr message(const Message& m) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", static_cast<Poco::Int64>(m.id.value));
  o->set("conversation_id", static_cast<Poco::Int64>(m.conversation_id.value));
  o->set("sender_id", idOrNull(m.sender_id));
  o->set("message_type", m.message_type);
  if (m.content || m.content_json.empty())
    o->set("content", m.content);
  else
    o->set("content", Poco::JSON::Parser().parse(m.content_json));
  Poco::JSON::Array::Ptr attachments = new Poco::JSON::Array;
  for (auto id : m.attachment_ids) attachments->add(static_cast<Poco::Int64>(id));
  o->set("attachments", attachments);
  o->set("client_id", m.client_id ? Poco::Dynamic::Var(*m.client_id) : Poco::Dynamic::Var());
  o->set("created_at", formatRfc3339(m.created_at));
  return o;
}

void appendMessage(std::string& out, const Message& m) {
  // Keys in the order Poco writes message()'s object: sorted.
  out += "{\"attachments\":[";
  for (std::size_t i = 0; i < m.attachment_ids.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(m.attachment_ids[i]);
  }
  out += "],\"client_id\":";
  if (m.client_id)
    json_text::appendString(out, *m.client_id);
  else
    out += "null";
  out += ",\"content\":";
  if (m.content)
    json_text::append(out, *m.content);
  else if (!m.content_json.empty())
    out += m.content_json;  // as stored: JSON the server wrote
  else
    out += "null";
  out += ",\"conversation_id\":";
  out += std::to_string(m.conversation_id.value);
  out += ",\"created_at\":";
  json_text::appendString(out, formatRfc3339(m.created_at));
  out += ",\"id\":";
  out += std::to_string(m.id.value);
  out += ",\"message_type\":";
  json_text::appendString(out, m.message_type);
  out += ",\"sender_id\":";
  out += m.sender_id ? std::to_string(m.sender_id->value) : "null";
  out += '}';
}

Poco::JSON::Object::Ptr attachment(const AttachmentRecord& a) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", static_cast<Poco::Int64>(a.id));
  o->set("content_type", a.content_type);
  o->set("size", static_cast<Poco::Int64>(a.size));
  o->set("sha256", a.sha256);
  o->set("name", a.name);
  o->set("message_type", a.message_type);
  o->set("media", Poco::JSON::Parser().parse(a.media_json));
  o->set("url", "/api/chat/attachments/" + std::to_string(a.id) + "/");
  o->set("created_at", formatRfc3339(a.created_at));
  return o;
}

Poco::JSON::Object::Ptr notification(const Notification& n) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", static_cast<Poco::Int64>(n.id));
  o->set("kind", n.kind);
  o->set("title", n.title);
  o->set("body", n.body);
  o->set("data", Poco::JSON::Parser().parse(n.data_json));
  o->set("request_id", idOrNull(n.request_id));
  o->set("conversation_id", idOrNull(n.conversation_id));
  o->set("created_at", formatRfc3339(n.created_at));
  o->set("read", n.read_at.has_value());
  return o;
}

Poco::JSON::Object::Ptr conversation(const Conversation& c, const std::vector<User>& people) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", static_cast<Poco::Int64>(c.id.value));
  o->set("request_id", static_cast<Poco::Int64>(c.request_id.value));
  Poco::JSON::Array::Ptr participants = new Poco::JSON::Array;
  for (const auto& p : c.participants) {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
    entry->set("user_id", static_cast<Poco::Int64>(p.user_id.value));
    entry->set("role", toString(p.role));
    entry->set("last_read_message_id", static_cast<Poco::Int64>(p.last_read.value));
    for (const auto& person : people) {
      if (person.id != p.user_id) continue;
      entry->set("display_name", person.display_name);
      entry->set("phone", person.phone);
    }
    participants->add(entry);
  }
  o->set("participants", participants);
  o->set("created_at", formatRfc3339(c.created_at));
  return o;
}

Poco::JSON::Object::Ptr conversationSummary(const ConversationSummary& s) {
  Poco::JSON::Object::Ptr o = conversation(s.conversation);
  o->set("unread_count", static_cast<Poco::Int64>(s.unread_count));
  o->set("last_message",
         s.last_message ? Poco::Dynamic::Var(message(*s.last_message)) : Poco::Dynamic::Var());
  return o;
}

}  // namespace fieldlink::views

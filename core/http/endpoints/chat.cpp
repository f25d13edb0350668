#include <Poco/JSON/Array.h>

#include "domain/errors.hpp"
#include "domain/views.hpp"
#include "http/endpoints/endpoints.hpp"
#include "http/json_input.hpp"
#include "http/list_query.hpp"

namespace fieldlink::endpoints {
namespace {

constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

}  // namespace

// Pages of at most ?limit= (50 by default, 200 at most), most recently active first; the
// next page's address comes in a Link header, so the body stays the plain list it always was.
ApiResponse listConversations(Services& s, ApiRequest& r) {
  const ConversationListPage page =
      s.chat.conversationsOf(r.caller(), list_query::conversationQuery(r));
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& summary : page.results) out->add(views::conversationSummary(summary));
  ApiResponse response = ApiResponse::json(200, out);
  if (page.next)
    list_query::linkNextPage(response, list_query::nextPage(r, list_query::cursorText(*page.next)));
  return response;
}

ApiResponse getConversation(Services& s, ApiRequest& r) {
  const auto found = s.chat.conversationWithPeople(r.caller(), ConversationId(r.pathId("id")));
  return ApiResponse::json(200, views::conversation(found.conversation, found.people));
}

ApiResponse sendMessage(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  SendMessageInput input;
  input.conversation_id = ConversationId(json_input::requiredId(*body, "conversation_id"));
  input.message_type = json_input::requiredString(*body, "message_type");
  if (input.message_type == "system")
    throw InvalidInput("message_type", "System messages are made by the server.",
                       "unknown_message_type");
  input.content = json_input::requiredObject(*body, "content");
  input.client_id = json_input::optionalString(*body, "client_id");
  const SendResult result = s.chat.send(r.caller(), input);
  return ApiResponse::json(result.created ? 201 : 200, views::message(result.message));
}

// The location fields of the body become the content; the location plugin checks them.
ApiResponse sendLocation(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  if (body->has("message_id")) {
    // A newer position for a location shared live, or the end of the sharing.
    const MessageId id(json_input::requiredId(*body, "message_id"));
    const bool stop = body->optValue<bool>("stop", false);
    Poco::JSON::Object::Ptr content = new Poco::JSON::Object;
    for (const char* key : {"latitude", "longitude", "accuracy", "label"})
      if (body->has(key)) content->set(key, body->get(key));
    return ApiResponse::json(200, views::message(s.chat.updateLive(r.caller(), id, content, stop)));
  }
  SendMessageInput input;
  input.conversation_id = ConversationId(json_input::requiredId(*body, "conversation_id"));
  input.message_type = "location";
  input.client_id = json_input::optionalString(*body, "client_id");
  input.content = new Poco::JSON::Object;
  for (const char* key : {"latitude", "longitude", "accuracy", "label", "live_until"})
    if (body->has(key)) input.content->set(key, body->get(key));
  const SendResult result = s.chat.send(r.caller(), input);
  return ApiResponse::json(result.created ? 201 : 200, views::message(result.message));
}

ApiResponse conversationMessages(Services& s, ApiRequest& r) {
  const auto conversation = r.queryInt("conversation_id", 1, kMaxId);
  if (!conversation) throw InvalidInput("conversation_id", "This query parameter is required.");
  MessageQuery query;
  if (auto after = r.queryInt("after_id", 0, kMaxId)) query.after_id = MessageId(*after);
  if (auto before = r.queryInt("before_id", 1, kMaxId)) query.before_id = MessageId(*before);
  query.limit = static_cast<int>(r.queryInt("limit", 1, 200).value_or(50));
  query.content_as_text = true;
  const MessagePage page = s.chat.history(r.caller(), ConversationId(*conversation), query);
  // Written as text: the page is the API's most read answer.
  std::string out =
      page.has_more ? "{\"has_more\":true,\"results\":[" : "{\"has_more\":false,\"results\":[";
  for (std::size_t i = 0; i < page.results.size(); ++i) {
    if (i > 0) out += ',';
    views::appendMessage(out, page.results[i]);
  }
  out += "]}";
  return ApiResponse::jsonText(200, std::move(out));
}

ApiResponse markRead(Services& s, ApiRequest& r) {
  const auto body = r.jsonBody();
  const ConversationId conversation(json_input::requiredId(*body, "conversation_id"));
  const MessageId message(json_input::requiredId(*body, "message_id"));
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  out->set("unread_count",
           static_cast<Poco::Int64>(s.chat.markRead(r.caller(), conversation, message)));
  return ApiResponse::json(200, out);
}

}  // namespace fieldlink::endpoints

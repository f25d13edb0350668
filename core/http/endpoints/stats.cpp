#include <Poco/JSON/Array.h>

#include "domain/errors.hpp"
#include "http/endpoints/endpoints.hpp"
#include "http/list_query.hpp"
#include "util/clock.hpp"

namespace fieldlink::endpoints {

// The figures of one request's conversation, as the enabled stats plugins compute them.
ApiResponse requestStats(Services& s, ApiRequest& r) {
  const auto request_id = r.queryInt("request_id", 1, std::numeric_limits<std::int64_t>::max());
  if (!request_id) throw InvalidInput("request_id", "This query parameter is required.");
  const ServiceRequest request = s.requests.get(r.caller(), RequestId(*request_id));
  if (!request.conversation_id)
    throw NotFound("This request has no conversation yet: it is not assigned.", "no_conversation");
  sdk::StatsScope scope;
  scope.kind = sdk::StatsScope::Kind::Conversation;
  scope.conversation_ids = {request.conversation_id->value};
  scope.caller_id = r.caller().id.value;
  Poco::JSON::Object::Ptr out = s.plugins.stats(scope);
  out->set("request_id", static_cast<Poco::Int64>(request.id.value));
  out->set("conversation_id", static_cast<Poco::Int64>(request.conversation_id->value));
  return ApiResponse::json(200, out);
}

// The caller's overview: the figures of all their conversations together, then each one's,
// a page at a time (?limit=, ?cursor=, ?status= as the conversation list takes them; `next`
// is the next page's address, or null).
ApiResponse dashboard(Services& s, ApiRequest& r) {
  const std::int64_t caller = r.caller().id.value;
  sdk::StatsScope row_scope;
  row_scope.kind = sdk::StatsScope::Kind::Conversation;
  row_scope.caller_id = caller;
  sdk::StatsScope all;
  all.kind = sdk::StatsScope::Kind::Dashboard;
  all.caller_id = caller;
  for (const ConversationId id : s.chat.conversationIdsOf(r.caller()))
    all.conversation_ids.push_back(id.value);
  const ConversationListPage page =
      s.chat.conversationsOf(r.caller(), list_query::conversationQuery(r));
  Poco::JSON::Array::Ptr rows = new Poco::JSON::Array;
  for (const auto& summary : page.results) {
    const std::int64_t id = summary.conversation.id.value;
    row_scope.conversation_ids = {id};
    Poco::JSON::Object::Ptr row = s.plugins.stats(row_scope);
    row->set("conversation_id", static_cast<Poco::Int64>(id));
    row->set("request_id", static_cast<Poco::Int64>(summary.conversation.request_id.value));
    rows->add(row);
  }
  Poco::JSON::Object::Ptr out = s.plugins.stats(all);
  out->set("conversation_count", static_cast<Poco::Int64>(all.conversation_ids.size()));
  out->set("conversations", rows);
  out->set("next", page.next ? Poco::Dynamic::Var(
                                   list_query::nextPage(r, list_query::cursorText(*page.next)))
                             : Poco::Dynamic::Var());
  // ?hours=24: the messages of those conversations per hour, for the console's chart.
  if (const auto hours = r.queryInt("hours", 1, 24 * 7)) {
    Poco::JSON::Array::Ptr series = new Poco::JSON::Array;
    for (const auto& [hour, count] : s.chat.messagesPerHour(r.caller(), static_cast<int>(*hours))) {
      Poco::JSON::Object::Ptr point = new Poco::JSON::Object;
      point->set("hour", formatRfc3339(hour));
      point->set("messages", static_cast<Poco::Int64>(count));
      series->add(point);
    }
    out->set("messages_per_hour", series);
  }
  return ApiResponse::json(200, out);
}

}  // namespace fieldlink::endpoints

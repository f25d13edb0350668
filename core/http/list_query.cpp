#include "http/list_query.hpp"

#include <algorithm>

#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include "domain/errors.hpp"

namespace fieldlink::list_query {

std::vector<RequestStatus> statuses(const ApiRequest& r) {
  std::vector<RequestStatus> out;
  const auto text = r.query("status");
  if (!text) return out;
  Poco::StringTokenizer names(*text, ",", Poco::StringTokenizer::TOK_TRIM);
  for (const auto& name : names) {
    const auto status = parseRequestStatus(name);
    if (!status)
      throw InvalidInput("status",
                         "One or more of pending, assigned, en_route, on_site, completed, "
                         "cancelled, separated by commas.");
    // Six statuses at most, however often the query repeats them.
    if (std::find(out.begin(), out.end(), *status) == out.end()) out.push_back(*status);
  }
  if (out.empty()) throw InvalidInput("status", "Name at least one status.");
  return out;
}

int limit(const ApiRequest& r, int fallback, int most) {
  return static_cast<int>(r.queryInt("limit", 1, most).value_or(fallback));
}

ConversationListQuery conversationQuery(const ApiRequest& r) {
  ConversationListQuery query;
  query.statuses = statuses(r);
  query.after = conversationCursor(r);
  query.limit = limit(r, 50, 200);
  return query;
}

// "<last message id>.<conversation id>": opaque to clients, who only hand it back.
std::optional<ConversationCursor> conversationCursor(const ApiRequest& r) {
  const auto text = r.query("cursor");
  if (!text) return std::nullopt;
  const auto dot = text->find('.');
  Poco::Int64 last = 0;
  Poco::Int64 id = 0;
  if (dot == std::string::npos || !Poco::NumberParser::tryParse64(text->substr(0, dot), last) ||
      !Poco::NumberParser::tryParse64(text->substr(dot + 1), id) || last < 0 || id < 1 ||
      !std::all_of(text->begin(), text->end(),
                   [](char c) { return c == '.' || (c >= '0' && c <= '9'); }))
    throw InvalidInput("cursor", "Not a cursor this list gave: pass the next link as it came.",
                       "invalid_cursor");
  return ConversationCursor{last, ConversationId(id)};
}

std::string cursorText(const ConversationCursor& cursor) {
  return std::to_string(cursor.last_message_id) + "." + std::to_string(cursor.id.value);
}

std::string nextPage(ApiRequest& r, const std::string& cursor) {
  Poco::URI uri(r.http().getURI());
  Poco::URI::QueryParameters parameters;
  for (auto& parameter : uri.getQueryParameters())
    if (parameter.first != "cursor") parameters.push_back(std::move(parameter));
  parameters.emplace_back("cursor", cursor);
  uri.setQueryParameters(parameters);
  return uri.getPathAndQuery();
}

void linkNextPage(ApiResponse& response, const std::optional<std::string>& next) {
  if (next) response.headers["Link"] = "<" + *next + ">; rel=\"next\"";
}

}  // namespace fieldlink::list_query

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/api_request.hpp"
#include "store/store.hpp"

// The query parameters lists share, and the link to a list's next page.
namespace fieldlink::list_query {

// ?status=pending,assigned: any of these (each one a known status); empty when absent.
std::vector<RequestStatus> statuses(const ApiRequest& r);
// ?limit=: 1 to `most`, `fallback` when absent.
int limit(const ApiRequest& r, int fallback, int most);
// ?status=, ?cursor= and ?limit= (50 by default, 200 at most) of a conversation list.
ConversationListQuery conversationQuery(const ApiRequest& r);
// ?cursor=: where the previous page of a conversation list ended (400 when not one).
std::optional<ConversationCursor> conversationCursor(const ApiRequest& r);
std::string cursorText(const ConversationCursor& cursor);
// The path and query of this request with its cursor replaced by `cursor`: the next page.
std::string nextPage(ApiRequest& r, const std::string& cursor);
// Says where the next page is, as an RFC 8288 Link header, when there is one.
void linkNextPage(ApiResponse& response, const std::optional<std::string>& next);

}  // namespace fieldlink::list_query

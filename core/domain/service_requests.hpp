#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/chat.hpp"
#include "domain/model.hpp"
#include "store/store.hpp"

namespace fieldlink {

struct NewRequestInput {
  std::string title;
  std::string description;
  std::string address;
  std::optional<GeoPoint> location;
};

// The jobs conversations belong to. Clients see their own requests, technicians the ones
// assigned to them, dispatchers all of them; anything else is "not found".
class ServiceRequests {
 public:
  ServiceRequests(Store& store, Chat& chat) : store_(store), chat_(chat) {}

  ServiceRequest create(const User& caller, const NewRequestInput& input);
  // What the caller may see (a client their own, a technician those assigned to them, a
  // dispatcher every one), narrowed to `statuses` (empty: all), newest or oldest first.
  std::vector<ServiceRequest> list(const User& caller,
                                   const std::vector<RequestStatus>& statuses = {},
                                   bool oldest_first = false);
  ServiceRequest get(const User& caller, RequestId id);
  // Who takes part in a request's conversation (client, technician, dispatchers).
  std::vector<std::int64_t> participantsOf(ConversationId conversation);
  // Dispatchers only. Creates the conversation on first assignment; assigning another
  // technician later hands the conversation over to them.
  ServiceRequest assign(const User& caller, RequestId id, UserId technician);
  // The assigned technician or a dispatcher. Each change is also a system message.
  ServiceRequest changeStatus(const User& caller, RequestId id, RequestStatus status);

 private:
  Store& store_;
  Chat& chat_;
};

// Whether a request may go from `from` to `to` through the status endpoint.
bool isAllowedTransition(RequestStatus from, RequestStatus to);

}  // namespace fieldlink

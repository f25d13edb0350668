#include "domain/service_requests.hpp"

#include "domain/errors.hpp"
#include "domain/input_rules.hpp"

namespace fieldlink {
namespace {

bool canSee(const User& caller, const ServiceRequest& request) {
  switch (caller.role) {
    case Role::Dispatcher:
      return true;
    case Role::Client:
      return request.client_id == caller.id;
    case Role::Technician:
      return request.technician_id && *request.technician_id == caller.id;
  }
  return false;
}

ServiceRequest requireVisible(StoreSession& s, const User& caller, RequestId id) {
  auto request = s.findRequest(id);
  if (!request || !canSee(caller, *request)) throw NotFound("Request not found.");
  return std::move(*request);
}

Poco::JSON::Object::Ptr systemContent(const std::string& event, const std::string& text,
                                      const User& by) {
  Poco::JSON::Object::Ptr content = new Poco::JSON::Object;
  content->set("event", event);
  content->set("text", text);
  content->set("by", static_cast<Poco::Int64>(by.id.value));
  return content;
}

std::string statusText(RequestStatus status) {
  switch (status) {
    case RequestStatus::Pending:
      return "Request is pending";
    case RequestStatus::Assigned:
      return "Technician assigned";
    case RequestStatus::EnRoute:
      return "Technician is on the way";
    case RequestStatus::OnSite:
      return "Technician is on site";
    case RequestStatus::Completed:
      return "Request completed";
    case RequestStatus::Cancelled:
      return "Request cancelled";
  }
  return "";
}

}  // namespace

bool isAllowedTransition(RequestStatus from, RequestStatus to) {
  using S = RequestStatus;
  if (isFinal(from) || from == to) return false;
  switch (to) {
    case S::EnRoute:
      return from == S::Assigned || from == S::OnSite;  // back on the road for a part
    case S::OnSite:
      return from == S::Assigned || from == S::EnRoute;
    case S::Completed:
      return from == S::Assigned || from == S::EnRoute || from == S::OnSite;
    case S::Cancelled:
      return true;
    case S::Pending:
    case S::Assigned:
      return false;  // only through assign
  }
  return false;
}

ServiceRequest ServiceRequests::create(const User& caller, const NewRequestInput& input) {
  if (caller.role != Role::Client) throw Forbidden("Only clients open service requests.");
  rules::checkText("title", input.title, 1, 200);
  rules::checkText("description", input.description, 0, 5000);
  rules::checkText("address", input.address, 0, 500);
  if (input.location) {
    rules::checkLatitude(input.location->latitude);
    rules::checkLongitude(input.location->longitude);
  }
  NewServiceRequest request{caller.id,     input.title,    input.description,
                            input.address, input.location, nowMs()};
  return store_.write([&](StoreSession& s) { return s.insertRequest(request); });
}

std::vector<ServiceRequest> ServiceRequests::list(const User& caller,
                                                  const std::vector<RequestStatus>& statuses,
                                                  bool oldest_first) {
  RequestFilter filter;
  filter.statuses = statuses;
  filter.oldest_first = oldest_first;
  if (caller.role == Role::Client) filter.client_id = caller.id;
  if (caller.role == Role::Technician) filter.technician_id = caller.id;
  return store_.read([&](StoreSession& s) { return s.listRequests(filter); });
}

ServiceRequest ServiceRequests::get(const User& caller, RequestId id) {
  return store_.read([&](StoreSession& s) { return requireVisible(s, caller, id); });
}

std::vector<std::int64_t> ServiceRequests::participantsOf(ConversationId conversation) {
  std::vector<std::int64_t> ids;
  for (const UserId id :
       store_.read([&](StoreSession& s) { return s.participantIds(conversation); }))
    ids.push_back(id.value);
  return ids;
}

ServiceRequest ServiceRequests::assign(const User& caller, RequestId id, UserId technician_id) {
  if (caller.role != Role::Dispatcher) {
    get(caller, id);  // not visible: 404 before 403
    throw Forbidden("Only dispatchers assign technicians.");
  }
  std::optional<Message> announcement;
  std::vector<std::int64_t> audience;
  return store_.write(
      [&](StoreSession& s) {
        ServiceRequest request = requireVisible(s, caller, id);
        const auto technician = s.findUser(technician_id);
        if (!technician || technician->role != Role::Technician)
          throw InvalidInput("technician_id", "No technician with this id.");
        if (isFinal(request.status))
          throw Conflict("The request is " + toString(request.status) + ".", "invalid_transition");
        if (request.technician_id && *request.technician_id == technician_id) return request;

        const TimePoint now = nowMs();
        const Participant newcomer{technician_id, Role::Technician, MessageId(0)};
        if (!request.conversation_id) {
          const Conversation conversation =
              s.insertConversation(request.id,
                                   {{request.client_id, Role::Client, MessageId(0)},
                                    newcomer,
                                    {caller.id, Role::Dispatcher, MessageId(0)}},
                                   now);
          request.conversation_id = conversation.id;
          request.status = RequestStatus::Assigned;
        } else {
          s.replaceParticipant(*request.conversation_id, *request.technician_id, newcomer);
        }
        request.technician_id = technician_id;
        request.updated_at = now;
        s.updateRequest(request);
        auto content = systemContent("assigned", technician->display_name + " is assigned", caller);
        content->set("technician_id", static_cast<Poco::Int64>(technician_id.value));
        announcement = Chat::appendSystemMessage(s, *request.conversation_id, content, now);
        audience = participantIds(*s.findConversation(*request.conversation_id));
        return request;
      },
      [&](const ServiceRequest&) {
        if (announcement) chat_.announce(*announcement, audience);
      });
}

ServiceRequest ServiceRequests::changeStatus(const User& caller, RequestId id,
                                             RequestStatus status) {
  std::optional<Message> announcement;
  std::vector<std::int64_t> audience;
  return store_.write(
      [&](StoreSession& s) {
        ServiceRequest request = requireVisible(s, caller, id);
        if (caller.role == Role::Client)
          throw Forbidden("Clients cannot change a request's status.");
        if (!isAllowedTransition(request.status, status))
          throw Conflict(
              "Cannot go from " + toString(request.status) + " to " + toString(status) + ".",
              "invalid_transition");
        const TimePoint now = nowMs();
        request.status = status;
        request.updated_at = now;
        s.updateRequest(request);
        if (request.conversation_id) {
          auto content = systemContent("status_changed", statusText(status), caller);
          content->set("status", toString(status));
          announcement = Chat::appendSystemMessage(s, *request.conversation_id, content, now);
          audience = participantIds(*s.findConversation(*request.conversation_id));
        }
        return request;
      },
      [&](const ServiceRequest&) {
        if (announcement) chat_.announce(*announcement, audience);
      });
}

}  // namespace fieldlink

#include "notifications/notifications.hpp"

#include <algorithm>

#include <Poco/Logger.h>

#include "bus/names.hpp"
#include "domain/errors.hpp"
#include "domain/views.hpp"
#include "util/json_text.hpp"

namespace fieldlink {
namespace {

std::string json(const Poco::JSON::Object::Ptr& o) { return json_text::of(*o); }

Poco::JSON::Object::Ptr dataWith(
    std::initializer_list<std::pair<const char*, Poco::Dynamic::Var>> fields) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  for (const auto& [key, value] : fields) o->set(key, value);
  return o;
}

std::string minutes(double seconds) {
  const long m = std::max(1L, std::lround(seconds / 60));
  return std::to_string(m) + (m == 1 ? " minute" : " minutes");
}

}  // namespace

Notifications::Notifications(Store& store, EventBus& bus, const PluginHost& plugins,
                             TrackingLinks* links)
    : store_(store), bus_(bus), plugins_(plugins), links_(links) {
  subscription_ =
      bus_.subscribe([this](const sdk::Event& e, const Routing& routing) { onEvent(e, routing); });
}

Notifications::~Notifications() {
  bus_.unsubscribe(subscription_);
  store_.write([](StoreSession&) {});  // commits in order: ours are done when this is
}

void Notifications::setPresence(std::function<bool(std::int64_t user)> online) {
  std::lock_guard<std::mutex> lock(presence_mutex_);
  online_ = std::move(online);
}

void Notifications::onEvent(const sdk::Event& event, const Routing& routing) {
  if (routing.remote) return;  // the node where it happened notifies
  if (event.type == nameOf(EventKind::MessageCreated))
    fromMessage(event, routing);
  else if (event.type == "tracking.arriving_soon" || event.type == "tracking.arrived")
    fromTracking(event, routing);
}

void Notifications::fromMessage(const sdk::Event& event, const Routing& routing) {
  const auto content = event.data->getObject("content");
  const std::string type = event.data->getValue<std::string>("message_type");
  std::vector<Draft> drafts;
  if (type == "system") {
    // Assignment and status changes: everyone but the person who made the change.
    const std::string what = content->optValue<std::string>("event", "");
    if (what != "assigned" && what != "status_changed") return;
    const auto by = content->optValue<Poco::Int64>("by", 0);
    const std::string title = what == "assigned" ? "Technician assigned" : "Request updated";
    const bool on_the_way =
        links_ && links_->issuedOnEnRoute() &&
        content->optValue<std::string>("status", "") == toString(RequestStatus::EnRoute);
    for (const std::int64_t user : routing.audience) {
      if (user == by) continue;
      auto data = dataWith({{"message_id", event.data->get("id")}});
      if (content->has("status")) data->set("status", content->get("status"));
      drafts.push_back(
          {user, what, title, content->optValue<std::string>("text", ""), data, on_the_way});
    }
  } else {
    // A message for a client or technician who is not connected: they would not know
    // otherwise.
    std::lock_guard<std::mutex> lock(presence_mutex_);
    for (const std::int64_t user : routing.audience) {
      if (event.user_id && user == *event.user_id) continue;
      if (online_ && online_(user)) continue;
      if (isDispatcherIn(event.conversation_id, user)) continue;
      drafts.push_back({user, "message", "New message", plugins_.summary(type, *content),
                        dataWith({{"message_id", event.data->get("id")},
                                  {"sender_id", event.data->get("sender_id")}})});
    }
  }
  if (!drafts.empty()) deliver(std::move(drafts), event.conversation_id);
}

bool Notifications::isDispatcherIn(std::int64_t conversation, std::int64_t user) {
  std::lock_guard<std::mutex> lock(dispatchers_mutex_);
  auto it = dispatchers_.find(conversation);
  if (it == dispatchers_.end()) {
    std::vector<std::int64_t> found;
    store_.read([&](StoreSession& s) {
      if (const auto c = s.findConversation(ConversationId(conversation)))
        for (const auto& p : c->participants)
          if (p.role == Role::Dispatcher) found.push_back(p.user_id.value);
    });
    it = dispatchers_.emplace(conversation, std::move(found)).first;
  }
  return std::find(it->second.begin(), it->second.end(), user) != it->second.end();
}

void Notifications::fromTracking(const sdk::Event& event, const Routing& routing) {
  const auto client = event.data->getValue<Poco::Int64>("client_id");
  const auto technician = event.data->getValue<Poco::Int64>("technician_id");
  auto data = dataWith({{"request_id", event.data->get("request_id")},
                        {"eta_seconds", event.data->get("eta_seconds")},
                        {"distance_m", event.data->get("distance_m")}});
  std::vector<Draft> drafts;
  if (event.type == "tracking.arriving_soon") {
    drafts.push_back(
        {client, "arriving_soon", "Your technician is almost there",
         "Arriving in about " + minutes(event.data->optValue<double>("eta_seconds", 0)) + ".",
         data});
  } else {
    drafts.push_back({client, "arrived", "Your technician has arrived", "", data});
    auto suggestion = dataWith({{"request_id", event.data->get("request_id")},
                                {"suggested_status", std::string("on_site")}});
    drafts.push_back({technician, "arrived", "You are at the job",
                      "Mark the request on site when you start.", suggestion});
  }
  (void)routing;
  deliver(std::move(drafts), event.conversation_id);
}

void Notifications::requestOpened(const ServiceRequest& request) noexcept {
  // The request is stored: a notice that cannot be made must not turn its 201 into an error.
  try {
    std::vector<Draft> drafts;
    for (const User& dispatcher :
         store_.read([](StoreSession& s) { return s.listUsers(Role::Dispatcher); }))
      if (!dispatcher.disabled)
        drafts.push_back({dispatcher.id.value, "new_request", "New request", request.title,
                          dataWith({{"request_id", static_cast<Poco::Int64>(request.id.value)}})});
    if (!drafts.empty()) deliver(std::move(drafts), 0, request.id);
  } catch (const std::exception& e) {
    Poco::Logger::get("fieldlink.notifications")
        .error("request %Ld opened, dispatchers not told: %s", request.id.value,
               std::string(e.what()));
  }
}

void Notifications::deliver(std::vector<Draft> drafts, std::int64_t conversation,
                            std::optional<RequestId> request) {
  auto stored = std::make_shared<std::vector<Notification>>();
  store_.writeAsync(
      [this, drafts = std::move(drafts), stored, conversation, request](StoreSession& s) {
        stored->clear();
        const auto found =
            conversation ? s.findConversation(ConversationId(conversation)) : std::nullopt;
        for (const Draft& d : drafts) {
          if (d.tracking_link && found) addTrackingLink(s, *found, d);
          Notification n;
          n.user_id = UserId(d.user);
          n.kind = d.kind;
          n.title = d.title;
          n.body = d.body;
          n.data_json = json(d.data);
          if (conversation) n.conversation_id = ConversationId(conversation);
          n.request_id = found ? std::optional<RequestId>(found->request_id) : request;
          n.created_at = nowMs();
          stored->push_back(s.insertNotification(n));
        }
      },
      [this, stored](std::exception_ptr error) {
        if (error) return;  // logged by the store; a lost notice must not stop the chat
        for (const Notification& n : *stored) {
          sdk::Event event;
          event.type = eventType(EventKind::Notification);
          event.conversation_id = n.conversation_id ? n.conversation_id->value : 0;
          event.user_id = n.user_id.value;
          event.data = views::notification(n);
          event.at = n.created_at;
          bus_.publish(event, Routing{{n.user_id.value}, 0});
          Poco::JSON::Object outside(*event.data);
          outside.set("user_id", static_cast<Poco::Int64>(n.user_id.value));
          plugins_.notify(outside);
        }
      });
}

void Notifications::addTrackingLink(StoreSession& s, const Conversation& conversation,
                                    const Draft& draft) {
  const Participant* who = conversation.participant(UserId(draft.user));
  if (!who || who->role != Role::Client) return;
  // Still on the way when this runs (the notice is written after the change is committed).
  const auto request = s.findRequest(conversation.request_id);
  if (!request || request->status != RequestStatus::EnRoute) return;
  const auto link = links_->issue(s, *request);
  Poco::JSON::Object::Ptr data = draft.data;  // shared with the draft: stored and sent as is
  data->set("tracking_url", link.url);
  data->set("tracking_expires_at", formatRfc3339(link.expires_at));
}

std::vector<Notification> Notifications::list(const User& caller, bool unread_only) {
  return store_.read(
      [&](StoreSession& s) { return s.notificationsOf(caller.id, unread_only, 100); });
}

void Notifications::markRead(const User& caller, std::int64_t id) {
  const bool mine =
      store_.write([&](StoreSession& s) { return s.markNotificationRead(id, caller.id, nowMs()); });
  if (!mine) throw NotFound("Notification not found.");
}

}  // namespace fieldlink

#include "tracking/tracker.hpp"

#include <chrono>
#include <cmath>

#include <Poco/JSON/Array.h>

#include "bus/names.hpp"
#include "domain/errors.hpp"
#include "tracking/geo.hpp"

namespace fieldlink {
namespace {

bool tracked(RequestStatus status) {
  return status == RequestStatus::Assigned || status == RequestStatus::EnRoute ||
         status == RequestStatus::OnSite;
}

Poco::JSON::Object::Ptr point(const GeoPoint& p) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("latitude", p.latitude);
  o->set("longitude", p.longitude);
  return o;
}

}  // namespace

void Tracker::post(const User& caller, RequestId id, const tracking::TrackPoint& position) {
  const ServiceRequest request = requests_.get(caller, id);  // NotFound for outsiders
  if (!request.technician_id || *request.technician_id != caller.id)
    throw Forbidden("Only the technician assigned to this request shares positions.");
  sdk::Event event;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!tracked(request.status)) {
      tracks_.erase(id.value);
      throw Conflict("Tracking ended with the request (" + toString(request.status) + ").",
                     "tracking_stopped");
    }
    Track& track = tracks_.try_emplace(id.value, settings_).first->second;
    if (track.trail.add(position) != tracking::Trail::Outcome::Accepted) return;
    std::optional<tracking::Estimate> estimate;
    if (request.location) estimate = track.trail.estimateTo(*request.location);
    tellMilestones(request, track, estimate);
    const TimePoint now = nowMs();
    if (!worthPublishing(track, estimate, now) || !request.conversation_id) return;
    track.published_at = now;
    track.published = estimate;
    event.type = eventType(EventKind::Tracking);
    event.conversation_id = request.conversation_id->value;
    event.user_id = caller.id.value;
    event.data = describe(request, &track, false);
    event.at = now;
  }
  // Everyone in the conversation, dispatchers too (their console's map). Read once the lock
  // is let go: other positions do not wait on the store. (Frames are worth publishing only
  // every tracking.publish_interval_ms, so this read is as rare.)
  bus_.publish(event, Routing{requests_.participantsOf(*request.conversation_id), 0});
}

void Tracker::tellMilestones(const ServiceRequest& request, Track& track,
                             const std::optional<tracking::Estimate>& estimate) {
  if (!estimate || !request.conversation_id || !request.technician_id || track.arrived_told) return;
  const double straight =
      tracking::greatCircleMeters(track.trail.points().back().position, *request.location);
  std::string milestone;
  if (straight <= settings_.geofence_m) {
    milestone = "tracking.arrived";
    track.arrived_told = track.arriving_soon_told = true;
  } else if (!track.arriving_soon_told && estimate->eta_seconds <= settings_.arriving_soon_s) {
    milestone = "tracking.arriving_soon";
    track.arriving_soon_told = true;
  } else {
    return;
  }
  sdk::Event event;
  event.type = milestone;
  event.conversation_id = request.conversation_id->value;
  event.user_id = request.technician_id->value;
  event.data = new Poco::JSON::Object;
  event.data->set("request_id", static_cast<Poco::Int64>(request.id.value));
  event.data->set("client_id", static_cast<Poco::Int64>(request.client_id.value));
  event.data->set("technician_id", static_cast<Poco::Int64>(request.technician_id->value));
  event.data->set("eta_seconds", static_cast<Poco::Int64>(std::lround(estimate->eta_seconds)));
  event.data->set("distance_m", std::round(estimate->distance_m));
  event.at = nowMs();
  bus_.publish(event, Routing{{request.client_id.value, request.technician_id->value}, 0});
}

bool Tracker::worthPublishing(const Track& track, const std::optional<tracking::Estimate>& estimate,
                              TimePoint now) const {
  if (!track.published_at) return true;
  if (now - *track.published_at < std::chrono::milliseconds(settings_.publish_interval_ms))
    return false;
  if (!estimate || !track.published) return estimate.has_value() != track.published.has_value();
  return std::abs(estimate->distance_m - track.published->distance_m) >=
             settings_.publish_min_distance_m ||
         std::abs(estimate->eta_seconds - track.published->eta_seconds) >=
             settings_.publish_min_eta_change_s;
}

Poco::JSON::Object::Ptr Tracker::view(const User& caller, RequestId id) {
  const ServiceRequest request = requests_.get(caller, id);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!tracked(request.status)) tracks_.erase(id.value);
  const auto it = tracks_.find(id.value);
  return describe(request, it == tracks_.end() ? nullptr : &it->second, true);
}

Poco::JSON::Object::Ptr Tracker::publicView(const ServiceRequest& request,
                                            const std::string& technician_first_name) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("status", toString(request.status));
  o->set("destination",
         request.location ? Poco::Dynamic::Var(point(*request.location)) : Poco::Dynamic::Var());
  Poco::Dynamic::Var technician;
  EstimateFields estimate;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = tracks_.find(request.id.value);
  // Before the technician sets off, and once they are there, where they are is theirs.
  if (request.status == RequestStatus::EnRoute && it != tracks_.end() &&
      !it->second.trail.points().empty()) {
    const tracking::TrackPoint& last = it->second.trail.points().back();
    auto where = point(last.position);
    where->set("display_name", technician_first_name);
    where->set("recorded_at", formatRfc3339(last.recorded_at));
    technician = where;
    estimate = estimateFields(request, it->second);
  }
  o->set("technician", technician);
  o->set("distance_m", estimate.distance);
  o->set("eta_seconds", estimate.eta);
  o->set("eta_at", estimate.eta_at);
  return o;
}

Tracker::EstimateFields Tracker::estimateFields(const ServiceRequest& request, const Track& track) {
  EstimateFields out;
  if (!request.location) return out;
  const tracking::TrackPoint& last = track.trail.points().back();
  const auto e = *track.trail.estimateTo(*request.location);
  out.distance = std::round(e.distance_m);
  out.eta = static_cast<Poco::Int64>(std::lround(e.eta_seconds));
  out.speed = std::round(e.speed_mps * 10) / 10;
  out.eta_at = formatRfc3339(last.recorded_at +
                             std::chrono::milliseconds(std::llround(e.eta_seconds * 1000)));
  return out;
}

Poco::JSON::Object::Ptr Tracker::describe(const ServiceRequest& request, const Track* track,
                                          bool with_trail) const {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("request_id", static_cast<Poco::Int64>(request.id.value));
  o->set("active", tracked(request.status));
  o->set("destination",
         request.location ? Poco::Dynamic::Var(point(*request.location)) : Poco::Dynamic::Var());
  Poco::Dynamic::Var technician;
  EstimateFields estimate;
  Poco::JSON::Array::Ptr trail = new Poco::JSON::Array;
  int ignored = 0;
  if (track && !track->trail.points().empty()) {
    const tracking::TrackPoint& last = track->trail.points().back();
    auto where = point(last.position);
    where->set("recorded_at", formatRfc3339(last.recorded_at));
    if (last.accuracy) where->set("accuracy", *last.accuracy);
    if (last.heading) where->set("heading", *last.heading);
    technician = where;
    for (const auto& p : track->trail.points()) {
      Poco::JSON::Array::Ptr pair = new Poco::JSON::Array;
      pair->add(p.position.latitude);
      pair->add(p.position.longitude);
      trail->add(pair);
    }
    ignored = track->trail.ignored();
    estimate = estimateFields(request, *track);
  }
  o->set("technician", technician);
  o->set("distance_m", estimate.distance);
  o->set("eta_seconds", estimate.eta);
  o->set("eta_at", estimate.eta_at);
  o->set("speed_mps", estimate.speed);
  if (with_trail) o->set("trail", trail);
  o->set("ignored_positions", ignored);
  return o;
}

}  // namespace fieldlink

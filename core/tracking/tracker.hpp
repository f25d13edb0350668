#pragma once

#include <map>
#include <mutex>

#include <Poco/JSON/Object.h>

#include "bus/event_bus.hpp"
#include "domain/model.hpp"
#include "domain/service_requests.hpp"
#include "tracking/trail.hpp"

namespace fieldlink {

// Live positions of the technician assigned to each request, the distance and ETA they give,
// and `tracking` events to the request's participants (dispatchers in its conversation
// included) when those change enough. Kept in
// memory: a restart starts every trail afresh.
class Tracker {
 public:
  Tracker(ServiceRequests& requests, EventBus& bus, tracking::TrackingSettings settings)
      : requests_(requests), bus_(bus), settings_(settings) {}

  // NotFound unless the caller sees the request; Forbidden unless they are its technician;
  // Conflict("tracking_stopped") once it is completed or cancelled. An implausible or late
  // position is counted and ignored, not refused.
  void post(const User& caller, RequestId id, const tracking::TrackPoint& point);
  // The latest position, destination, distance and ETA (nulls while unknown).
  Poco::JSON::Object::Ptr view(const User& caller, RequestId id);
  // What a tracking link shows, to anyone holding it: the status, the destination, and only
  // while the technician is on the way their first name, position, distance and ETA. No
  // ids, no phone numbers, no trail.
  Poco::JSON::Object::Ptr publicView(const ServiceRequest& request,
                                     const std::string& technician_first_name);

 private:
  struct Track {
    explicit Track(const tracking::TrackingSettings& settings) : trail(settings) {}
    tracking::Trail trail;
    std::optional<TimePoint> published_at;
    std::optional<tracking::Estimate> published;
    // Each said once per job, however the fixes jitter around the threshold afterwards.
    bool arriving_soon_told = false;
    bool arrived_told = false;
  };
  void tellMilestones(const ServiceRequest& request, Track& track,
                      const std::optional<tracking::Estimate>& estimate);
  // Distance, ETA, its time and the speed to the request's destination from the track's
  // last fix (nulls without a destination). The track has at least one point.
  struct EstimateFields {
    Poco::Dynamic::Var distance, eta, eta_at, speed;
  };
  static EstimateFields estimateFields(const ServiceRequest& request, const Track& track);
  // The trail goes to GET only: frames stay small.
  Poco::JSON::Object::Ptr describe(const ServiceRequest& request, const Track* track,
                                   bool with_trail) const;
  bool worthPublishing(const Track& track, const std::optional<tracking::Estimate>& now_estimate,
                       TimePoint now) const;

  ServiceRequests& requests_;
  EventBus& bus_;
  const tracking::TrackingSettings settings_;
  std::mutex mutex_;
  std::map<std::int64_t, Track> tracks_;  // by request id
};

}  // namespace fieldlink

#pragma once

#include <cstddef>
#include <deque>
#include <optional>

#include "domain/model.hpp"

namespace fieldlink::tracking {

struct TrackingSettings {
  std::size_t trail_max = 200;     // positions kept per request
  double road_factor = 1.3;        // roads are longer than the great circle
  double typical_speed_mps = 8.3;  // used when stopped or unknown (30 km/h)
  double stopped_below_mps = 1.0;
  double max_speed_mps = 70;       // faster than this between two fixes: a bad fix
  double smoothing = 0.3;          // weight of the newest speed in the moving average
  int publish_interval_ms = 2000;  // least time between two tracking frames
  double publish_min_distance_m = 25;
  double publish_min_eta_change_s = 15;
  double arriving_soon_s = 300;  // "arriving soon" once the ETA falls to this
  double geofence_m = 150;       // "arrived" within this straight-line distance
};

struct TrackPoint {
  GeoPoint position;
  TimePoint recorded_at;
  std::optional<double> speed_mps;  // from the device, if it knows
  std::optional<double> heading;
  std::optional<double> accuracy;  // metres
};

struct Estimate {
  double distance_m = 0;  // by road, estimated
  double speed_mps = 0;   // the speed the ETA assumes
  double eta_seconds = 0;
};

// One technician's recent positions on one job, and what they say about the arrival.
class Trail {
 public:
  enum class Outcome { Accepted, Implausible, Stale };

  explicit Trail(const TrackingSettings& settings) : settings_(settings) {}

  Outcome add(const TrackPoint& point);
  const std::deque<TrackPoint>& points() const { return points_; }
  int ignored() const { return ignored_; }
  std::optional<double> smoothedSpeed() const { return smoothed_speed_; }
  // Nothing until there is a position.
  std::optional<Estimate> estimateTo(const GeoPoint& destination) const;

 private:
  const TrackingSettings& settings_;
  std::deque<TrackPoint> points_;
  std::optional<double> smoothed_speed_;
  int ignored_ = 0;
};

}  // namespace fieldlink::tracking

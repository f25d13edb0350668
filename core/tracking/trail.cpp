#include "tracking/trail.hpp"

#include <algorithm>
#include <chrono>

#include "tracking/geo.hpp"

namespace fieldlink::tracking {

Trail::Outcome Trail::add(const TrackPoint& point) {
  if (points_.empty()) {
    points_.push_back(point);
    if (point.speed_mps) smoothed_speed_ = *point.speed_mps;
    return Outcome::Accepted;
  }
  const TrackPoint& last = points_.back();
  const double seconds =
      std::chrono::duration<double>(point.recorded_at - last.recorded_at).count();
  if (seconds <= 0) {  // older than what we have: it arrived late
    ++ignored_;
    return Outcome::Stale;
  }
  // GPS error is not movement: the fixes' own accuracy is allowed for.
  const double error = point.accuracy.value_or(0) + last.accuracy.value_or(0);
  const double moved = std::max(0.0, greatCircleMeters(last.position, point.position) - error);
  const double speed = moved / std::max(seconds, 1.0);
  if (speed > settings_.max_speed_mps) {
    ++ignored_;
    return Outcome::Implausible;
  }
  const double sample = point.speed_mps.value_or(speed);
  smoothed_speed_ =
      smoothed_speed_ ? settings_.smoothing * sample + (1 - settings_.smoothing) * *smoothed_speed_
                      : sample;
  points_.push_back(point);
  while (points_.size() > settings_.trail_max) points_.pop_front();
  return Outcome::Accepted;
}

std::optional<Estimate> Trail::estimateTo(const GeoPoint& destination) const {
  if (points_.empty()) return std::nullopt;
  Estimate e;
  e.distance_m = greatCircleMeters(points_.back().position, destination) * settings_.road_factor;
  const bool moving = smoothed_speed_ && *smoothed_speed_ >= settings_.stopped_below_mps;
  e.speed_mps = moving ? *smoothed_speed_ : settings_.typical_speed_mps;
  e.eta_seconds = e.distance_m / e.speed_mps;
  return e;
}

}  // namespace fieldlink::tracking

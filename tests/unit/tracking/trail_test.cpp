#include <gtest/gtest.h>

#include <chrono>

#include "tracking/geo.hpp"
#include "tracking/trail.hpp"

namespace fieldlink::tracking {
namespace {

using std::chrono::seconds;

TrackPoint at(double latitude, double longitude, int second, std::optional<double> speed = {}) {
  TrackPoint p;
  p.position = {latitude, longitude};
  p.recorded_at = fromEpochMs(1'800'000'000'000) + seconds(second);
  p.speed_mps = speed;
  return p;
}

TEST(Geo, GreatCircleDistancesMatchKnownValues) {
  // Paris (Notre-Dame) to London (Trafalgar Square): about 343.5 km.
  EXPECT_NEAR(greatCircleMeters({48.8530, 2.3499}, {51.5080, -0.1281}), 343'500, 1'500);
  // One degree of latitude: about 111.2 km anywhere.
  EXPECT_NEAR(greatCircleMeters({10, 20}, {11, 20}), 111'195, 10);
  EXPECT_DOUBLE_EQ(greatCircleMeters({45, 7}, {45, 7}), 0);
}

TEST(Trail, EtaFollowsTheSmoothedSpeedTowardTheDestination) {
  TrackingSettings settings;
  Trail trail(settings);
  const GeoPoint destination{48.8566, 2.3522};
  const double step = 120.0 / 111'195;  // 120 m north every 10 s: 12 m/s
  ASSERT_EQ(trail.add(at(48.8566 - 10 * step, 2.3522, 0)), Trail::Outcome::Accepted);
  // One fix: no speed yet, the typical speed is assumed.
  EXPECT_DOUBLE_EQ(trail.estimateTo(destination)->speed_mps, settings.typical_speed_mps);
  double last_eta = trail.estimateTo(destination)->eta_seconds;
  for (int i = 1; i <= 9; ++i) {
    ASSERT_EQ(trail.add(at(48.8566 - (10 - i) * step, 2.3522, 10 * i)), Trail::Outcome::Accepted);
    const Estimate e = *trail.estimateTo(destination);
    EXPECT_LT(e.eta_seconds, last_eta);
    last_eta = e.eta_seconds;
  }
  const Estimate e = *trail.estimateTo(destination);
  EXPECT_NEAR(e.speed_mps, 12, 0.1);
  EXPECT_NEAR(e.distance_m, 120 * settings.road_factor, 1);
  EXPECT_NEAR(e.eta_seconds, 120 * settings.road_factor / 12, 0.2);
}

TEST(Trail, ImplausibleJumpsAndLateFixesAreIgnoredAndCounted) {
  TrackingSettings settings;
  Trail trail(settings);
  trail.add(at(48.0, 2.0, 0));
  trail.add(at(48.001, 2.0, 10));
  EXPECT_EQ(trail.add(at(48.5, 2.0, 20)), Trail::Outcome::Implausible);  // 55 km in 10 s
  EXPECT_EQ(trail.add(at(48.0005, 2.0, 5)), Trail::Outcome::Stale);      // older than the last
  EXPECT_EQ(trail.ignored(), 2);
  EXPECT_EQ(trail.points().size(), 2u);
  EXPECT_DOUBLE_EQ(trail.points().back().position.latitude, 48.001);
}

TEST(Trail, StoppedFallsBackToTheTypicalSpeedAndTheTrailIsBounded) {
  TrackingSettings settings;
  settings.trail_max = 5;
  Trail trail(settings);
  for (int i = 0; i < 20; ++i) trail.add(at(48.0, 2.0, i * 10, 0.0));  // parked, phone says 0 m/s
  EXPECT_EQ(trail.points().size(), 5u);
  EXPECT_DOUBLE_EQ(trail.estimateTo({48.01, 2.0})->speed_mps, settings.typical_speed_mps);
}

}  // namespace
}  // namespace fieldlink::tracking

#include "tracking/geo.hpp"

#include <cmath>

namespace fieldlink::tracking {

double greatCircleMeters(const GeoPoint& a, const GeoPoint& b) {
  constexpr double kEarthRadiusMeters = 6371008.8;
  constexpr double kRadians = M_PI / 180.0;
  const double dlat = (b.latitude - a.latitude) * kRadians;
  const double dlon = (b.longitude - a.longitude) * kRadians;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.latitude * kRadians) * std::cos(b.latitude * kRadians) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusMeters * std::asin(std::min(1.0, std::sqrt(h)));
}

}  // namespace fieldlink::tracking

#pragma once

#include "domain/model.hpp"

namespace fieldlink::tracking {

// Great-circle distance in metres (haversine on a sphere of the Earth's mean radius).
double greatCircleMeters(const GeoPoint& a, const GeoPoint& b);

}  // namespace fieldlink::tracking

#pragma once

#include <Poco/JSON/Object.h>

#include "tracking/trail.hpp"

namespace fieldlink::tracking {

// A position as a technician's phone sends it, over REST or WebSocket:
// {latitude, longitude, speed_mps?, heading?, accuracy?, recorded_at?}. Throws InvalidInput
// naming the field. `recorded_at` defaults to `now` and may not be in the future (a minute
// of clock skew allowed) nor older than an hour.
TrackPoint readTrackPoint(const Poco::JSON::Object& body, TimePoint now);

}  // namespace fieldlink::tracking

#pragma once

#include <string>

#include <Poco/JSON/Object.h>

#include "util/json_text.hpp"

namespace fieldlink::ws {

// A JSON frame as the text a WebSocket text frame carries.
inline std::string frameText(const Poco::JSON::Object& frame) { return json_text::of(frame); }

}  // namespace fieldlink::ws

#pragma once

#include <sstream>
#include <string>

#include <Poco/JSON/Object.h>

namespace fieldlink::ws {

// A JSON frame as the text a WebSocket text frame carries.
inline std::string frameText(const Poco::JSON::Object& frame) {
  std::ostringstream out;
  frame.stringify(out);
  return out.str();
}

}  // namespace fieldlink::ws

#pragma once

#include <exception>
#include <optional>
#include <string>

namespace fieldlink::ws {

// The one place where an exception becomes a WebSocket error frame:
// {"type":"error","code","detail","fields"?,"client_id"?}. The connection stays open.
std::string errorFrame(std::exception_ptr error, const std::optional<std::string>& client_id);
std::string errorFrame(const std::string& code, const std::string& detail,
                       const std::optional<std::string>& client_id);

}  // namespace fieldlink::ws

#pragma once

#include <exception>

#include "http/api_request.hpp"

namespace fieldlink {

// The one place where an exception becomes an API error: {"detail", "code", "fields"?} with
// its status. Anything that is not an ApiError is logged and answered 500 without details.
ApiResponse errorResponse(std::exception_ptr error);

}  // namespace fieldlink

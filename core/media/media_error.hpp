#pragma once

#include <stdexcept>

namespace fieldlink::media {

// The bytes are not what they claim to be: truncated, corrupt, or unreadable. The message
// is meant for the client.
class MediaInvalid : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file that would cost more to check than the budget allows: more pixels than
// attachments.max_pixels, or a decode past attachments.decode_budget_seconds (cut there).
class MediaTooCostly : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace fieldlink::media

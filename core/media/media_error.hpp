#pragma once

#include <stdexcept>

namespace fieldlink::media {

// The bytes are not what they claim to be: truncated, corrupt, or unreadable. The message
// is meant for the client.
class MediaInvalid : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace fieldlink::media

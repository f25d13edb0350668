#pragma once

#include <cstdint>
#include <string>

namespace fieldlink::attachments {

// The part of a file a `Range` header asks for (RFC 9110, one range of bytes).
struct ByteRange {
  enum class Kind { Whole, Part, Unsatisfiable };
  Kind kind = Kind::Whole;
  std::int64_t offset = 0;
  std::int64_t length = 0;
};

// Whole for no header, a unit other than bytes, several ranges or a malformed header (all
// of which a server may answer with the whole file); Unsatisfiable when the range starts
// past the end.
ByteRange parseRange(const std::string& header, std::int64_t size);

}  // namespace fieldlink::attachments

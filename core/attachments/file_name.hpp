#pragma once

#include <string>

namespace fieldlink::attachments {

inline constexpr std::size_t kMaxFileNameBytes = 255;

// The client's file name reduced to something safe to store and to show: the last path
// component only, no control or bidirectional-override characters, no leading dots, valid
// UTF-8, at most kMaxFileNameBytes. May return an empty string.
std::string sanitiseFileName(const std::string& raw);

}  // namespace fieldlink::attachments

#pragma once

#include <cstdint>
#include <functional>

namespace fieldlink {

// A typed id: a UserId cannot be passed where a ConversationId is expected.
template <class Tag>
struct Id {
  std::int64_t value = 0;
  constexpr Id() = default;
  constexpr explicit Id(std::int64_t v) : value(v) {}
  friend constexpr bool operator==(Id a, Id b) { return a.value == b.value; }
  friend constexpr bool operator!=(Id a, Id b) { return a.value != b.value; }
  friend constexpr bool operator<(Id a, Id b) { return a.value < b.value; }
};

using UserId = Id<struct UserTag>;
using RequestId = Id<struct RequestTag>;
using ConversationId = Id<struct ConversationTag>;
using MessageId = Id<struct MessageTag>;

}  // namespace fieldlink

template <class Tag>
struct std::hash<fieldlink::Id<Tag>> {
  std::size_t operator()(fieldlink::Id<Tag> id) const noexcept {
    return std::hash<std::int64_t>()(id.value);
  }
};

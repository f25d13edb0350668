#pragma once

#include <fieldlink/sdk/host_context.hpp>

#include "store/store.hpp"

namespace fieldlink {

// The store as plugins see it: copies of conversations and messages, read-only.
class PluginStoreReader final : public sdk::StoreReader {
 public:
  explicit PluginStoreReader(Store& store) : store_(store) {}

  std::optional<sdk::ConversationView> conversation(std::int64_t id) const override;
  std::vector<sdk::ConversationView> conversations(std::int64_t after_id, int limit) const override;
  std::vector<sdk::MessageView> messages(std::int64_t conversation_id, std::int64_t after_id,
                                         int limit) const override;

 private:
  Store& store_;
};

}  // namespace fieldlink

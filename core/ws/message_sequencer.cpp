#include "ws/message_sequencer.hpp"

#include <Poco/Logger.h>

namespace fieldlink::ws {

void MessageSequencer::admit(
    std::int64_t conversation, const Poco::JSON::Object::Ptr& message,
    const std::function<void(const Poco::JSON::Object::Ptr&, bool)>& deliver) {
  const std::int64_t id = message->getValue<Poco::Int64>("id");
  std::lock_guard<std::mutex> lock(mutex_);
  auto known = delivered_upto_.find(conversation);
  if (known == delivered_upto_.end()) {
    if (id <= start_after_) {
      // Committed before this node listened, announced only now (its commit was slow):
      // nothing of this conversation went out here yet, so it cannot be out of order.
      delivered_upto_.emplace(conversation, id);
      deliver(message, true);
      return;
    }
    known = delivered_upto_.emplace(conversation, start_after_).first;
  }
  if (id <= known->second) return;  // went out already, read from the store
  std::vector<Poco::JSON::Object::Ptr> missed;
  try {
    missed = fetch_(conversation, known->second, id);
  } catch (const std::exception& e) {
    // The store is away: deliver what we have; the client's `resume` fills any gap.
    Poco::Logger::get("fieldlink.ws")
        .warning("conversation %Ld: cannot read the messages before %Ld (%s)",
                 static_cast<Poco::Int64>(conversation), static_cast<Poco::Int64>(id),
                 std::string(e.what()));
  }
  known->second = id;
  for (const auto& earlier : missed)
    if (earlier->getValue<Poco::Int64>("id") < id) deliver(earlier, false);
  deliver(message, true);
}

}  // namespace fieldlink::ws

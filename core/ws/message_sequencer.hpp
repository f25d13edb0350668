#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <Poco/JSON/Object.h>

namespace fieldlink::ws {

// Keeps live delivery in id order when messages of one conversation reach this node from
// several places (its own commits and other nodes' through Redis), which may arrive out of
// order. The store hands out a conversation's ids in commit order (the MySQL store locks the
// conversation while appending), so when message N is announced every earlier message of
// its conversation is already stored: the ones not delivered yet are read from the store
// and go first, and their own announcements, arriving later, are dropped.
//
// A conversation not seen before starts from `start_after`, the highest message id of all
// when the node started listening: what came before reached clients through history or
// `resume`, and everything of the conversation after it goes out live, in order.
class MessageSequencer {
 public:
  // Messages of `conversation` with after_id < id <= upto_id, oldest first, as message JSON.
  using Fetch = std::function<std::vector<Poco::JSON::Object::Ptr>(
      std::int64_t conversation, std::int64_t after_id, std::int64_t upto_id)>;
  MessageSequencer(Fetch fetch, std::int64_t start_after)
      : fetch_(std::move(fetch)), start_after_(start_after) {}

  // What to deliver now for the announced `message` (its "id"), oldest first: nothing if it
  // went out already. Calls for one conversation are serialised; `deliver` runs inside, so
  // deliveries keep the order they were decided in.
  void admit(std::int64_t conversation, const Poco::JSON::Object::Ptr& message,
             const std::function<void(const Poco::JSON::Object::Ptr&, bool is_announced)>& deliver);

 private:
  Fetch fetch_;
  const std::int64_t start_after_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, std::int64_t> delivered_upto_;  // conversation → last id
};

}  // namespace fieldlink::ws

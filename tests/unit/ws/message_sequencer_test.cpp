#include "ws/message_sequencer.hpp"

#include <gtest/gtest.h>

#include <map>

namespace fieldlink::ws {
namespace {

Poco::JSON::Object::Ptr message(std::int64_t id) {
  Poco::JSON::Object::Ptr m = new Poco::JSON::Object;
  m->set("id", id);
  return m;
}

// A store holding the committed messages of conversation 7, and what the sequencer delivered.
struct Harness {
  std::map<std::int64_t, Poco::JSON::Object::Ptr> stored;
  std::vector<std::pair<std::int64_t, bool>> delivered;  // id, announced (not read back)
  int fetches = 0;
  MessageSequencer sequencer;

  explicit Harness(std::int64_t start_after)
      : sequencer(
            [this](std::int64_t, std::int64_t after, std::int64_t upto) {
              ++fetches;
              std::vector<Poco::JSON::Object::Ptr> out;
              for (auto it = stored.upper_bound(after); it != stored.end() && it->first <= upto;
                   ++it)
                out.push_back(it->second);
              return out;
            },
            start_after) {}

  void commit(std::int64_t id) { stored[id] = message(id); }
  void announce(std::int64_t id) {
    sequencer.admit(7, stored.at(id), [this](const Poco::JSON::Object::Ptr& m, bool announced) {
      delivered.emplace_back(m->getValue<Poco::Int64>("id"), announced);
    });
  }
  std::vector<std::int64_t> ids() const {
    std::vector<std::int64_t> out;
    for (const auto& [id, announced] : delivered) out.push_back(id);
    return out;
  }
};

TEST(MessageSequencer, AnnouncementsInOrderGoOutAsTheyCome) {
  Harness h(10);
  for (std::int64_t id : {11, 12, 15}) {
    h.commit(id);
    h.announce(id);
  }
  EXPECT_EQ(h.ids(), (std::vector<std::int64_t>{11, 12, 15}));
}

TEST(MessageSequencer, ALaterAnnouncementBringsTheEarlierOnesFirstAndTheirOwnAreDropped) {
  Harness h(10);
  h.commit(11);  // from another node, its announcement still on the way
  h.commit(12);
  h.announce(12);
  h.announce(11);
  EXPECT_EQ(h.delivered, (std::vector<std::pair<std::int64_t, bool>>{{11, false}, {12, true}}));
}

TEST(MessageSequencer, WhatCameBeforeTheNodeListenedIsNotReplayed) {
  Harness h(10);
  h.commit(9);  // history: clients have it from the REST history or resume
  h.commit(13);
  h.announce(13);
  EXPECT_EQ(h.ids(), (std::vector<std::int64_t>{13}));
}

TEST(MessageSequencer, AFailingStoreStillDeliversTheAnnouncedMessage) {
  MessageSequencer sequencer(
      [](std::int64_t, std::int64_t, std::int64_t) -> std::vector<Poco::JSON::Object::Ptr> {
        throw std::runtime_error("database away");
      },
      10);
  std::vector<std::int64_t> delivered;
  sequencer.admit(7, message(12), [&](const Poco::JSON::Object::Ptr& m, bool) {
    delivered.push_back(m->getValue<Poco::Int64>("id"));
  });
  EXPECT_EQ(delivered, (std::vector<std::int64_t>{12}));
}

}  // namespace
}  // namespace fieldlink::ws

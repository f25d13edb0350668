#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "ws/connection.hpp"

namespace fieldlink::ws {

// Who is connected where, on this node: the open connections of each user, and who takes
// part in each conversation they follow (learnt at the handshake, kept current by the events
// that carry a conversation's participants). Any thread; reads far outnumber writes.
class ConnectionIndex {
 public:
  using Audience = std::vector<std::int64_t>;

  struct Admission {
    bool admitted = false;
    bool first_of_user = false;
    std::set<std::int64_t> online_peers;     // people it follows who are connected here
    std::set<std::int64_t> peers_elsewhere;  // the others it follows (maybe on another node)
  };
  // Registers `connection` and the user's conversations (with their participants), unless the
  // user already has `max_per_user` connections.
  Admission add(const std::shared_ptr<Connection>& connection,
                const std::map<std::int64_t, std::vector<std::int64_t>>& conversations,
                int max_per_user);
  // Unregisters it. Nothing if it was not registered; else whether it was its user's last.
  std::optional<bool> remove(const std::shared_ptr<Connection>& connection);

  bool hasConnection(std::int64_t user) const;
  std::vector<std::shared_ptr<Connection>> connectionsOf(std::int64_t user) const;
  std::size_t size() const;
  Audience participantsOf(std::int64_t conversation) const;
  // Everyone who shares a conversation with `user` (who hears of their presence).
  Audience peersOf(std::int64_t user) const;
  // A conversation's participants as an event gives them. Returns the connections that
  // followed it alone for someone no longer in it (to be closed).
  std::vector<std::shared_ptr<Connection>> learnParticipants(std::int64_t conversation,
                                                             const Audience& audience);
  // Connections of `audience` that follow `conversation` (0: any), but `skip_connection`
  // and `skip_user`'s.
  std::vector<std::shared_ptr<Connection>> receivers(const Audience& audience,
                                                     std::int64_t conversation,
                                                     std::uint64_t skip_connection,
                                                     std::int64_t skip_user) const;

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::int64_t, std::vector<std::shared_ptr<Connection>>> by_user_;
  std::unordered_map<std::int64_t, Audience> participants_;                    // by conversation
  std::unordered_map<std::int64_t, std::set<std::int64_t>> conversations_of_;  // by user
  std::size_t open_ = 0;
};

}  // namespace fieldlink::ws

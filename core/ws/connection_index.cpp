#include "ws/connection_index.hpp"

#include <algorithm>

namespace fieldlink::ws {

ConnectionIndex::Admission ConnectionIndex::add(
    const std::shared_ptr<Connection>& connection,
    const std::map<std::int64_t, std::vector<std::int64_t>>& conversations, int max_per_user) {
  const std::int64_t user = connection->user().id.value;
  Admission admission;
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto& mine = by_user_[user];
  if (static_cast<int>(mine.size()) >= max_per_user) return admission;
  admission.admitted = true;
  admission.first_of_user = mine.empty();
  mine.push_back(connection);
  ++open_;
  for (const auto& [conversation, participants] : conversations) {
    participants_[conversation] = participants;
    for (auto participant : participants) conversations_of_[participant].insert(conversation);
    if (!connection->follows(ConversationId(conversation))) continue;
    for (auto participant : participants) {
      if (participant == user) continue;
      if (by_user_.count(participant))
        admission.online_peers.insert(participant);
      else
        admission.peers_elsewhere.insert(participant);
    }
  }
  return admission;
}

std::optional<bool> ConnectionIndex::remove(const std::shared_ptr<Connection>& connection) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto it = by_user_.find(connection->user().id.value);
  if (it == by_user_.end()) return std::nullopt;
  auto& mine = it->second;
  const auto before = mine.size();
  mine.erase(std::remove(mine.begin(), mine.end(), connection), mine.end());
  if (mine.size() == before) return std::nullopt;  // already gone
  --open_;
  if (!mine.empty()) return false;
  by_user_.erase(it);
  return true;
}

bool ConnectionIndex::hasConnection(std::int64_t user) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  const auto it = by_user_.find(user);
  return it != by_user_.end() && !it->second.empty();
}

std::vector<std::shared_ptr<Connection>> ConnectionIndex::connectionsOf(std::int64_t user) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  const auto it = by_user_.find(user);
  return it == by_user_.end() ? std::vector<std::shared_ptr<Connection>>{} : it->second;
}

std::size_t ConnectionIndex::size() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return open_;
}

ConnectionIndex::Audience ConnectionIndex::participantsOf(std::int64_t conversation) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  const auto it = participants_.find(conversation);
  return it == participants_.end() ? Audience{} : it->second;
}

ConnectionIndex::Audience ConnectionIndex::peersOf(std::int64_t user) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  const auto it = conversations_of_.find(user);
  if (it == conversations_of_.end()) return {};
  std::set<std::int64_t> peers;
  for (auto conversation : it->second) {
    const auto p = participants_.find(conversation);
    if (p != participants_.end()) peers.insert(p->second.begin(), p->second.end());
  }
  return Audience(peers.begin(), peers.end());
}

std::vector<std::shared_ptr<Connection>> ConnectionIndex::learnParticipants(
    std::int64_t conversation, const Audience& audience) {
  {
    std::shared_lock<std::shared_mutex> read(mutex_);
    const auto it = participants_.find(conversation);
    if (it != participants_.end() && it->second == audience) return {};  // the usual case
  }
  std::vector<std::shared_ptr<Connection>> evicted;
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto& known = participants_[conversation];
  for (auto former : known) {
    if (std::find(audience.begin(), audience.end(), former) != audience.end()) continue;
    conversations_of_[former].erase(conversation);
    // Someone taken off the job no longer sees it: connections to it alone are closed.
    const auto mine = by_user_.find(former);
    if (mine == by_user_.end()) continue;
    for (const auto& c : mine->second)
      if (c->identity().scope && c->identity().scope->value == conversation) evicted.push_back(c);
  }
  known = audience;
  for (auto participant : audience) conversations_of_[participant].insert(conversation);
  return evicted;
}

std::vector<std::shared_ptr<Connection>> ConnectionIndex::receivers(const Audience& audience,
                                                                    std::int64_t conversation,
                                                                    std::uint64_t skip_connection,
                                                                    std::int64_t skip_user) const {
  std::vector<std::shared_ptr<Connection>> out;
  std::shared_lock<std::shared_mutex> lock(mutex_);
  for (auto user : audience) {
    if (user == skip_user) continue;
    const auto it = by_user_.find(user);
    if (it == by_user_.end()) continue;
    for (const auto& c : it->second) {
      if (c->id() == skip_connection) continue;
      if (conversation != 0 && !c->follows(ConversationId(conversation))) continue;
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace fieldlink::ws

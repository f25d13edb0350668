#include "ws/reactor.hpp"

#include <pthread.h>
#include <sys/socket.h>

#include <Poco/Logger.h>

namespace fieldlink::ws {
namespace {

const Poco::Timespan kPollTimeout(0, 250 * 1000);
constexpr auto kHousekeepingEvery = std::chrono::seconds(1);

Poco::Logger& log() { return Poco::Logger::get("fieldlink.ws"); }

}  // namespace

Reactor::Reactor(ConnectionHandler& handler, const WsSettings& settings)
    : handler_(handler), settings_(settings) {
  wake_socket_.bind(Poco::Net::SocketAddress("127.0.0.1", 0));
  wake_socket_.connect(wake_socket_.address());
  wake_socket_.setBlocking(false);
  // Always registered: Poco's PollSet returns at once when it holds no socket at all.
  poll_set_.add(wake_socket_, Poco::Net::PollSet::POLL_READ);
  thread_ = std::thread([this] { run(); });
}

Reactor::~Reactor() {
  stopping_ = true;
  wake();
  thread_.join();
}

void Reactor::wake() {
  const char byte = 1;
  ::send(wake_socket_.impl()->sockfd(), &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
}

void Reactor::adopt(std::shared_ptr<Connection> connection, std::string pending_bytes) {
  bool need_wake = false;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    adopted_.emplace_back(std::move(connection), std::move(pending_bytes));
    need_wake = !woken_;
    woken_ = true;
  }
  if (need_wake) wake();
}

void Reactor::scheduleFlush(std::shared_ptr<Connection> connection) {
  bool need_wake = false;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    dirty_.push_back(std::move(connection));
    need_wake = !woken_;
    woken_ = true;
  }
  if (need_wake) wake();
}

void Reactor::takeQueued() {
  // Drain the wake-up bytes before taking the queues: a wake-up sent after the swap below
  // must stay in the socket, or its work would wait for the poll timeout.
  char sink[256];
  while (::recv(wake_socket_.impl()->sockfd(), sink, sizeof sink, MSG_DONTWAIT) > 0) {
  }
  std::vector<std::pair<std::shared_ptr<Connection>, std::string>> adopted;
  std::vector<std::shared_ptr<Connection>> dirty;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    adopted.swap(adopted_);
    dirty.swap(dirty_);
    woken_ = false;
  }
  for (auto& [connection, pending] : adopted) {
    guarded(connection, [&] {
      connection->attach(this);
      connections_[connection->socket().impl()] = connection;
      ++count_;
      connection->socket().setBlocking(false);
      poll_set_.add(connection->socket(), Poco::Net::PollSet::POLL_READ);
      // Bytes the client sent right behind the upgrade request were read by the HTTP server.
      if (!pending.empty()) connection->prefeed(pending);
      serve(connection, 0);
    });
  }
  for (auto& connection : dirty) {
    if (connections_.count(connection->socket().impl()))
      guarded(connection, [&] { flush(connection); });
  }
}

template <class Work>
void Reactor::guarded(const std::shared_ptr<Connection>& connection, Work&& work) {
  try {
    work();
  } catch (const std::exception& e) {
    // One connection's failure (a socket error the event loop did not expect) must not take
    // the loop, and every other connection on it, down.
    log().error("connection %s dropped: %s", std::to_string(connection->id()),
                std::string(e.what()));
    try {
      drop(connection);
    } catch (const std::exception&) {
    }
  }
}

void Reactor::flush(const std::shared_ptr<Connection>& connection) {
  const bool wanted = connection->wantsWrite();
  if (!connection->flush()) return drop(connection);
  if (connection->wantsWrite() != wanted)
    poll_set_.update(connection->socket(),
                     Poco::Net::PollSet::POLL_READ |
                         (connection->wantsWrite() ? Poco::Net::PollSet::POLL_WRITE : 0));
}

void Reactor::serve(const std::shared_ptr<Connection>& connection, int mode) {
  if (mode & Poco::Net::PollSet::POLL_WRITE) flush(connection);
  if (connection->finished()) return;
  std::vector<std::string> texts;
  const bool alive = connection->readAvailable(texts);
  for (auto& text : texts) {
    try {
      handler_.onText(connection, std::move(text));
    } catch (const std::exception& e) {
      log().error("frame handler threw: %s", std::string(e.what()));
    }
  }
  if (!alive) return drop(connection);
  flush(connection);
}

void Reactor::drop(const std::shared_ptr<Connection>& connection) {
  const auto it = connections_.find(connection->socket().impl());
  if (it == connections_.end()) return;
  try {
    poll_set_.remove(connection->socket());
  } catch (const std::exception&) {
    // Never registered, or the descriptor is already gone: nothing to unregister.
  }
  connections_.erase(it);
  --count_;
  try {
    connection->socket().close();
  } catch (const Poco::Exception&) {
  }
  handler_.onClosed(connection);
}

void Reactor::housekeeping(SteadyClock::time_point now) {
  std::vector<std::shared_ptr<Connection>> expired;
  for (auto& [key, connection] : connections_) {
    if (connection->closing()) {
      if (connection->closeDeadline() != SteadyClock::time_point{} &&
          now > connection->closeDeadline())
        expired.push_back(connection);
      continue;
    }
    if (now - connection->lastHeard() > settings_.idle_timeout) {
      connection->close(close_code::kGoingAway, "idle");
      continue;
    }
    // A sender trickling a message keeps the connection from going idle, not forever open.
    if (connection->messageStartedAt() != SteadyClock::time_point{} &&
        now - connection->messageStartedAt() > settings_.message_timeout) {
      connection->close(close_code::kPolicyViolation, "message too slow to arrive");
      continue;
    }
    if (now - connection->lastHeard() > settings_.ping_interval &&
        now - connection->lastPinged() > settings_.ping_interval) {
      connection->notePinged(now);
      connection->sendPing();
    }
    handler_.onTick(connection, now);
  }
  for (auto& connection : expired) drop(connection);
}

void Reactor::run() {
  pthread_setname_np(pthread_self(), "fl-ws-reactor");
  auto next_housekeeping = SteadyClock::now() + kHousekeepingEvery;
  while (!stopping_) {
    Poco::Net::PollSet::SocketModeMap ready;
    try {
      ready = poll_set_.poll(kPollTimeout);
    } catch (const Poco::Exception& e) {
      log().error("poll failed: %s", e.displayText());
      continue;
    }
    for (auto& [socket, mode] : ready) {
      if (socket == wake_socket_) continue;
      const auto it = connections_.find(socket.impl());
      if (it == connections_.end()) continue;
      const auto connection = it->second;  // keeps it alive through serve()
      guarded(connection, [&] {
        if (mode & Poco::Net::PollSet::POLL_ERROR)
          drop(connection);
        else
          serve(connection, mode);
      });
    }
    takeQueued();
    const auto now = SteadyClock::now();
    if (now >= next_housekeeping) {
      housekeeping(now);
      next_housekeeping = now + kHousekeepingEvery;
    }
  }
  // Shutting down: tell every client, best effort, and let them go.
  for (auto& [key, connection] : connections_) {
    connection->close(close_code::kGoingAway, "server shutting down");
    connection->flush();
    try {
      connection->socket().close();
    } catch (const Poco::Exception&) {
    }
    handler_.onClosed(connection);
  }
  connections_.clear();
}

}  // namespace fieldlink::ws

#include "net/reactor.hpp"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <Poco/Logger.h>

namespace fieldlink::net {
namespace {

constexpr auto kTickEvery = std::chrono::seconds(1);
constexpr int kMaxEvents = 256;

Poco::Logger& log() { return Poco::Logger::get("fieldlink.net"); }

std::uint32_t eventsWanted(const Channel& channel) {
  // No read interest, no hang-up interest either: a half-closed peer would otherwise be
  // reported on every turn while its request is being handled.
  return (channel.wantsRead() ? EPOLLIN | EPOLLRDHUP : 0u) | (channel.wantsWrite() ? EPOLLOUT : 0u);
}

}  // namespace

Reactor::Reactor(std::string thread_name) : thread_name_(std::move(thread_name)) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0)
    throw std::system_error(errno, std::generic_category(), "reactor");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = wake_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
  thread_ = std::thread([this] { run(); });
}

Reactor::~Reactor() {
  stopping_ = true;
  wake();
  thread_.join();
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void Reactor::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
}

void Reactor::adopt(std::shared_ptr<Channel> channel) {
  bool need_wake = false;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    adopted_.push_back(std::move(channel));
    need_wake = !std::exchange(woken_, true);
  }
  if (need_wake) wake();
}

void Reactor::scheduleServe(std::shared_ptr<Channel> channel) {
  bool need_wake = false;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    scheduled_.push_back(std::move(channel));
    need_wake = !std::exchange(woken_, true);
  }
  if (need_wake) wake();
}

void Reactor::post(std::function<void()> work) {
  bool need_wake = false;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    posted_.push_back(std::move(work));
    need_wake = !std::exchange(woken_, true);
  }
  if (need_wake) wake();
}

bool Reactor::owns(const std::shared_ptr<Channel>& channel) const {
  const auto it = channels_.find(channel->fd());
  return it != channels_.end() && it->second == channel;
}

template <class Work>
void Reactor::guarded(const std::shared_ptr<Channel>& channel, Work&& work) {
  try {
    work();
  } catch (const std::exception& e) {
    // One connection's failure must not take the loop, and every other connection on it, down.
    log().error("connection dropped: %s", std::string(e.what()));
    try {
      drop(channel);
    } catch (const std::exception&) {
    }
  }
}

void Reactor::add(std::shared_ptr<Channel> channel) {
  channel->reactor_.store(this, std::memory_order_release);
  const int fd = channel->fd();
  epoll_event event{};
  event.events = eventsWanted(*channel);
  event.data.fd = fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    log().error("cannot watch a connection: %s", std::string(std::strerror(errno)));
    channel->dropped();
    return;
  }
  channel->registered_events_ = event.events;
  channels_[fd] = channel;
  // Bytes may already wait (TLS, or what came with an upgrade): serve once now.
  guarded(channel, [&] { serve(channel, false, false); });
}

void Reactor::replace(Channel& current, std::shared_ptr<Channel> replacement) {
  const int fd = current.fd();
  const auto it = channels_.find(fd);
  if (it == channels_.end() || it->second.get() != &current || replacement->fd() != fd) return;
  const auto keep_alive = it->second;  // the caller is a member of `current`: let it return
  replacement->reactor_.store(this, std::memory_order_release);
  replacement->registered_events_ = current.registered_events_;
  it->second = replacement;
  post([keep_alive] {});  // `current` goes once the loop is back, not under its own feet
  guarded(replacement, [&] { serve(replacement, false, false); });
}

void Reactor::wakeAt(Channel& channel, SteadyClock::time_point when) {
  const auto it = channels_.find(channel.fd());
  if (it == channels_.end() || it->second.get() != &channel) return;
  wake_times_.emplace_back(when, it->second);
}

void Reactor::refreshInterest(Channel& channel) {
  const std::uint32_t wanted = eventsWanted(channel);
  if (wanted == channel.registered_events_) return;
  epoll_event event{};
  event.events = wanted;
  event.data.fd = channel.fd();
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, channel.fd(), &event) == 0)
    channel.registered_events_ = wanted;
}

void Reactor::serve(const std::shared_ptr<Channel>& channel, bool readable, bool writable) {
  if (!channel->serve(readable, writable)) return drop(channel);
  if (owns(channel)) refreshInterest(*channel);
}

void Reactor::drop(const std::shared_ptr<Channel>& channel) {
  const auto it = channels_.find(channel->fd());
  if (it == channels_.end() || it->second != channel) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, channel->fd(), nullptr);
  channels_.erase(it);
  channel->dropped();
}

void Reactor::takeQueued(bool signalled) {
  // The eventfd is read only when epoll said it was written: a read on every turn was a
  // system call per turn that mostly found nothing. What is queued is taken either way (the
  // queue, not the counter, is the truth); a signal that arrives after the swap costs one
  // empty turn.
  if (signalled) {
    std::uint64_t sink = 0;
    [[maybe_unused]] const auto read_bytes = ::read(wake_fd_, &sink, sizeof sink);
  }
  std::vector<std::shared_ptr<Channel>> adopted;
  std::vector<std::shared_ptr<Channel>> scheduled;
  std::vector<std::function<void()>> posted;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    adopted.swap(adopted_);
    scheduled.swap(scheduled_);
    posted.swap(posted_);
    woken_ = false;
  }
  for (auto& channel : adopted) add(std::move(channel));
  for (auto& work : posted) {
    try {
      work();
    } catch (const std::exception& e) {
      log().error("posted work threw: %s", std::string(e.what()));
    }
  }
  for (auto& channel : scheduled)
    if (owns(channel)) guarded(channel, [&] { serve(channel, false, false); });
}

void Reactor::tickAll(SteadyClock::time_point now) {
  std::vector<std::shared_ptr<Channel>> all;
  all.reserve(channels_.size());
  for (auto& [fd, channel] : channels_) all.push_back(channel);
  for (auto& channel : all) {
    if (!owns(channel)) continue;
    guarded(channel, [&] {
      if (!channel->tick(now)) return drop(channel);
      if (owns(channel)) refreshInterest(*channel);
    });
  }
}

void Reactor::tickDue(SteadyClock::time_point now) {
  if (wake_times_.empty()) return;
  std::vector<std::shared_ptr<Channel>> due;
  auto keep = std::remove_if(wake_times_.begin(), wake_times_.end(), [&](auto& entry) {
    if (entry.first > now) return false;
    if (auto channel = entry.second.lock()) due.push_back(std::move(channel));
    return true;
  });
  wake_times_.erase(keep, wake_times_.end());
  for (auto& channel : due) {
    if (!owns(channel)) continue;
    guarded(channel, [&] {
      if (!channel->tick(now)) return drop(channel);
      if (owns(channel)) refreshInterest(*channel);
    });
  }
}

int Reactor::pollTimeoutMs(SteadyClock::time_point now) const {
  auto until = now + kTickEvery;
  for (const auto& entry : wake_times_) until = std::min(until, entry.first);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count();
  return static_cast<int>(std::clamp<long long>(ms + 1, 0, 1000));
}

void Reactor::run() {
  pthread_setname_np(pthread_self(), thread_name_.substr(0, 15).c_str());
  auto next_tick = SteadyClock::now() + kTickEvery;
  epoll_event events[kMaxEvents];
  while (!stopping_) {
    const int ready =
        ::epoll_wait(epoll_fd_, events, kMaxEvents, pollTimeoutMs(SteadyClock::now()));
    bool signalled = false;
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        signalled = true;
        continue;
      }
      const auto it = channels_.find(fd);
      if (it == channels_.end()) continue;
      const auto channel = it->second;  // keeps it alive through serve()
      const std::uint32_t what = events[i].events;
      guarded(channel, [&] {
        // Both directions gone (reset, or an error): nothing more can be read or written.
        if (what & (EPOLLHUP | EPOLLERR)) return drop(channel);
        serve(channel, (what & (EPOLLIN | EPOLLRDHUP)) != 0, (what & EPOLLOUT) != 0);
      });
    }
    takeQueued(signalled);
    const auto now = SteadyClock::now();
    tickDue(now);
    if (now >= next_tick) {
      tickAll(now);
      next_tick = now + kTickEvery;
    }
  }
  takeQueued(true);
  // Shutting down: tell every client, best effort, and let them go.
  auto all = std::move(channels_);
  channels_.clear();
  for (auto& [fd, channel] : all) {
    try {
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
      channel->shutdown();
      channel->dropped();
      channel->reactor_.store(nullptr, std::memory_order_release);  // late senders queue only
    } catch (const std::exception& e) {
      log().error("shutting a connection down: %s", std::string(e.what()));
    }
  }
}

}  // namespace fieldlink::net

#include "http/request_deadlines.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include <gtest/gtest.h>

namespace fieldlink {
namespace {

using namespace std::chrono_literals;

// Both ends of a connected pair: the server's end is watched, the test reads the client's.
struct SocketPair {
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~SocketPair() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  int server() const { return fds[0]; }
  // Whether the client's end sees the server's end shut down within `wait`.
  bool clientSeesShutdown(std::chrono::milliseconds wait) const {
    pollfd p{fds[1], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) != 1) return false;
    char byte;
    return ::recv(fds[1], &byte, 1, MSG_DONTWAIT) == 0;
  }
  int fds[2] = {-1, -1};
};

RequestDeadlines::Limits limits(std::chrono::milliseconds headers,
                                std::chrono::milliseconds request, std::chrono::milliseconds idle) {
  RequestDeadlines::Limits out;
  out.headers = headers;
  out.request = request;
  out.idle = idle;
  return out;
}

RequestDeadlines::Limits shortLimits() { return limits(100ms, 200ms, 100ms); }

// A deadline watch with short limits, and a connection it watches from this thread.
class RequestDeadlinesTest : public ::testing::Test {
 protected:
  metrics::Counter closed;
  RequestDeadlines deadlines{shortLimits(), &closed};
  SocketPair pair;
};

TEST_F(RequestDeadlinesTest, ShutsDownAConnectionWhoseHeadersDoNotArrive) {
  RequestDeadlines::Watch watch(deadlines, pair.server(), "peer");
  EXPECT_TRUE(pair.clientSeesShutdown(10s));
  EXPECT_EQ(closed.value(), 1u);
}

TEST_F(RequestDeadlinesTest, AnsweredRequestsStartANewWaitAndHandedOverSocketsAreLeftAlone) {
  RequestDeadlines::Watch watch(deadlines, pair.server(), "peer");
  RequestDeadlines::headersReceived();
  RequestDeadlines::answered();  // the next headers are due after idle + headers
  RequestDeadlines::handedOver();
  EXPECT_FALSE(pair.clientSeesShutdown(600ms));  // three times every limit
  EXPECT_EQ(closed.value(), 0u);
}

TEST_F(RequestDeadlinesTest, TheRequestLimitCoversBodyAndAnswer) {
  RequestDeadlines::Watch watch(deadlines, pair.server(), "peer");
  RequestDeadlines::headersReceived();
  EXPECT_TRUE(pair.clientSeesShutdown(10s));
  EXPECT_EQ(closed.value(), 1u);
}

TEST_F(RequestDeadlinesTest, CallsFromAThreadWithoutAWatchChangeNothing) {
  RequestDeadlines::headersReceived();
  RequestDeadlines::answered();
  RequestDeadlines::handedOver();
  { RequestDeadlines::Watch watch(deadlines, pair.server(), "peer"); }
  // Gone with its watch: a descriptor no longer watched is never touched.
  EXPECT_FALSE(pair.clientSeesShutdown(400ms));
  EXPECT_EQ(closed.value(), 0u);
}

// A connection served on a thread of its own, as Poco's workers do: the watch's calls are
// made there. `phase` says where it stops and waits until the test ends.
class ServedConnection {
 public:
  enum class Phase { kIdleAfterAnAnswer, kServingARequest, kAwaitingFirstHeaders };
  ServedConnection(RequestDeadlines& deadlines, Phase phase) {
    std::promise<void> ready;
    auto started = ready.get_future();
    thread_ = std::thread([&deadlines, phase, this, &ready] {
      RequestDeadlines::Watch watch(deadlines, pair.server(), "peer");
      if (phase != Phase::kAwaitingFirstHeaders) RequestDeadlines::headersReceived();
      if (phase == Phase::kIdleAfterAnAnswer) RequestDeadlines::answered();
      ready.set_value();
      done_.get_future().wait();
    });
    started.wait();
  }
  ~ServedConnection() {
    done_.set_value();
    thread_.join();
  }
  SocketPair pair;

 private:
  std::promise<void> done_;
  std::thread thread_;
};

RequestDeadlines::Limits longLimits() { return limits(60s, 60s, 60s); }

TEST(RequestDeadlinesReclaim, ConnectionsWaitingForAWorkerFreeTheLongestIdleOnesOnly) {
  metrics::Counter closed, reclaimed;
  RequestDeadlines deadlines(longLimits(), &closed, &reclaimed);
  using Phase = ServedConnection::Phase;
  ServedConnection idle_first(deadlines, Phase::kIdleAfterAnAnswer);
  std::this_thread::sleep_for(5ms);  // idle for longer than the next one
  ServedConnection idle_second(deadlines, Phase::kIdleAfterAnAnswer);
  ServedConnection serving(deadlines, Phase::kServingARequest);
  ServedConnection fresh(deadlines, Phase::kAwaitingFirstHeaders);

  std::atomic<std::size_t> waiting{1};
  deadlines.reclaimIdleWhenWaiting([&waiting] { return waiting.exchange(0); });
  EXPECT_TRUE(idle_first.pair.clientSeesShutdown(10s));
  EXPECT_EQ(reclaimed.value(), 1u);
  // One was waiting: one was freed, and nothing else was touched.
  EXPECT_FALSE(idle_second.pair.clientSeesShutdown(300ms));
  EXPECT_FALSE(serving.pair.clientSeesShutdown(0ms));
  EXPECT_FALSE(fresh.pair.clientSeesShutdown(0ms));

  waiting = 5;  // more waiting than there are idle connections: every idle one goes
  EXPECT_TRUE(idle_second.pair.clientSeesShutdown(10s));
  EXPECT_FALSE(serving.pair.clientSeesShutdown(300ms));
  EXPECT_FALSE(fresh.pair.clientSeesShutdown(0ms));
  EXPECT_EQ(reclaimed.value(), 2u);
  EXPECT_EQ(closed.value(), 0u);  // none of this was a deadline
  deadlines.reclaimIdleWhenWaiting(nullptr);
}

TEST(RequestDeadlinesReclaim, NobodyWaitingLeavesIdleConnectionsAlone) {
  metrics::Counter closed, reclaimed;
  RequestDeadlines deadlines(longLimits(), &closed, &reclaimed);
  deadlines.reclaimIdleWhenWaiting([] { return std::size_t{0}; });
  ServedConnection idle(deadlines, ServedConnection::Phase::kIdleAfterAnAnswer);
  EXPECT_FALSE(idle.pair.clientSeesShutdown(400ms));
  EXPECT_EQ(reclaimed.value(), 0u);
}

}  // namespace
}  // namespace fieldlink

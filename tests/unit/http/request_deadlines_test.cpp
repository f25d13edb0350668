#include "http/request_deadlines.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

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

RequestDeadlines::Limits shortLimits() {
  RequestDeadlines::Limits limits;
  limits.headers = 100ms;
  limits.request = 200ms;
  limits.idle = 100ms;
  return limits;
}

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

}  // namespace
}  // namespace fieldlink

#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "metrics/instruments.hpp"

namespace fieldlink {

// Deadlines for HTTP connections, against clients that trickle a request to hold a worker
// thread (slow-loris). Poco's timeout applies to each read, so a byte every 29 s keeps a
// connection forever; here, a request's headers must all arrive within `headers`, and the
// whole request (body read, handled and answered) must take at most `request`. A watch
// thread shuts down the socket of a connection past its deadline, which ends the worker's
// blocked read.
//
// It also frees workers held by idle keep-alive connections when connections wait for one:
// Poco serves each connection on a thread of its own, and a browser keeps up to six idle
// connections open, so a few open pages would otherwise hold every worker until
// `http.idle_timeout` while new requests queue. The longest idle go first; a browser opens a
// new connection for its next request.
class RequestDeadlines {
 public:
  using Clock = std::chrono::steady_clock;
  struct Limits {
    Clock::duration headers = std::chrono::seconds(10);
    Clock::duration request = std::chrono::seconds(600);  // zero: none
    Clock::duration idle = std::chrono::seconds(30);      // keep-alive wait between requests
  };

  RequestDeadlines(Limits limits, metrics::Counter* closed_counter,
                   metrics::Counter* reclaimed_counter = nullptr);
  ~RequestDeadlines();
  RequestDeadlines(const RequestDeadlines&) = delete;
  RequestDeadlines& operator=(const RequestDeadlines&) = delete;

  // For the life of one connection, on the worker thread serving it: the first request's
  // headers are due from now. What follows is told from that thread by the static calls.
  class Watch {
   public:
    Watch(RequestDeadlines& deadlines, int fd, std::string peer);
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

   private:
    RequestDeadlines& deadlines_;
    std::uint64_t id_;
  };

  // How many connections wait for a worker (the server's queue). Set it before serving, and
  // to null before the server goes; without it, idle connections keep their workers until
  // their deadline.
  void reclaimIdleWhenWaiting(std::function<std::size_t()> waiting);

  // On the worker thread of a watched connection (nothing happens on any other thread):
  static void headersReceived();  // the whole request is now due within `request`
  static void answered();         // the next request's headers: within `idle` + `headers`
  static void handedOver();       // the socket left the HTTP server (WebSocket): no deadline

 private:
  struct Entry {
    int fd;
    std::string peer;
    Clock::time_point deadline;    // max(): none
    const char* missing;           // what did not arrive in time, for the log
    Clock::time_point idle_since;  // max(): serving a request (or not HTTP any more)
  };

  void set(std::uint64_t id, Clock::duration from_now, const char* missing, bool idle);
  void run();
  void closeLateConnections(Clock::time_point now);
  void reclaimIdle(std::size_t waiting);

  const Limits limits_;
  metrics::Counter* closed_counter_;
  metrics::Counter* reclaimed_counter_;
  std::function<std::size_t()> waiting_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Entry> entries_;
  std::thread thread_;
};

}  // namespace fieldlink

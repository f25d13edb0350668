#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <Poco/Net/SocketAddress.h>

#include "http/api_handler.hpp"
#include "http/request_reader.hpp"

namespace fieldlink::ws {
class Connection;
}

namespace fieldlink {

// The answer to one request, ready for the connection to write.
struct Answer {
  std::string head;              // status line and fields, blank line included
  std::string body;              // in memory; empty with `file`
  std::optional<FileBody> file;  // streamed from disk as the client reads
  bool keep_alive = true;
  // A 101: the WebSocket that serves the socket once `head` is written, and what to do if the
  // client is gone before that.
  std::shared_ptr<ws::Connection> upgrade;
  std::function<void()> abandon;
};

// Where a complete request goes, on a handler thread: /ws/ paths to the WebSocket handshake,
// everything else to the REST router.
class RequestDispatcher {
 public:
  RequestDispatcher(const Router& router, Services& services)
      : api_(router, services), services_(services) {}
  Answer answer(ReceivedRequest received, const Poco::Net::SocketAddress& client,
                const Poco::Net::SocketAddress& server, bool secure) const;

 private:
  ApiHandler api_;
  Services& services_;
};

// A short answer the connection makes itself (400, 408, 413, 431...), then closes.
std::string refusalAnswer(int status, const std::string& code, const std::string& detail);

}  // namespace fieldlink

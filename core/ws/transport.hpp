#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <memory>
#include <string>

#include <Poco/Net/StreamSocket.h>

namespace fieldlink::ws {

// How a connection's bytes cross the network without blocking: straight through the kernel,
// or through the TLS session the HTTPS listener negotiated. Used on the reactor's thread only.
class Transport {
 public:
  enum class Status { Ok, WouldBlock, Closed };
  struct Result {
    Status status;
    std::size_t bytes = 0;  // with Ok
  };

  virtual ~Transport() = default;
  virtual Result read(char* buffer, std::size_t size) = 0;
  // Writes from the front of `pieces`; Ok may have written only part of them.
  virtual Result write(const iovec* pieces, std::size_t count) = 0;
  // Whether bytes already taken off the socket wait to be read, which poll() cannot know.
  virtual bool hasBufferedInput() const = 0;
  // Ends our direction of the stream (after the close frame), leaving the other open.
  virtual void shutdownWrite() = 0;
};

// The transport for an accepted socket: TLS if the listener's socket was secure. Throws
// Poco::IllegalStateException for a secure socket whose TLS session is unknown.
std::unique_ptr<Transport> transportFor(const Poco::Net::StreamSocket& socket);

}  // namespace fieldlink::ws

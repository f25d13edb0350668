#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <memory>
#include <string>

#include <openssl/ssl.h>

#include "net/connection_limits.hpp"

namespace fieldlink::net {

// How a connection's bytes cross the network without blocking: straight through the kernel,
// or through TLS. Owns the socket (closed with the transport) and the connection's slot in
// the server's limits, so whichever protocol serves the connection owns both. Used on the
// reactor's thread only.
class Transport {
 public:
  enum class Status { Ok, WouldBlock, Closed };
  struct Result {
    Status status;
    std::size_t bytes = 0;  // with Ok
  };

  virtual ~Transport() = default;
  virtual int fd() const = 0;
  virtual Result read(char* buffer, std::size_t size) = 0;
  // Writes from the front of `pieces`; Ok may have written only part of them.
  virtual Result write(const iovec* pieces, std::size_t count) = 0;
  // Whether bytes already taken off the socket wait to be read, which poll() cannot know.
  virtual bool hasBufferedInput() const = 0;
  // Ends our direction of the stream (after the close frame), leaving the other open.
  virtual void shutdownWrite() = 0;
};

// The transport for an accepted, non-blocking socket: TLS when `tls` is set (the server's
// context; the handshake runs inside the first reads). Takes ownership of `fd` and `lease`.
std::unique_ptr<Transport> makeTransport(int fd, SSL_CTX* tls,
                                         std::unique_ptr<ConnectionLimits::Lease> lease);

}  // namespace fieldlink::net

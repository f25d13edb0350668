#pragma once

#include <openssl/ssl.h>

namespace fieldlink::tls {

// The OpenSSL session of each TLS connection, by socket descriptor.
//
// The WebSocket reactor serves its connections without blocking. Poco 1.11's secure socket
// cannot do that: SecureStreamSocketImpl does not pass setBlocking(false) on to the socket it
// wraps, so a read that needs more bytes waits in poll() for the receive timeout, and the SSL
// object that could be used directly is private. So the TLS context records each connection's
// SSL object when its ClientHello arrives, and the hub takes it when the connection is
// upgraded and reads and writes through OpenSSL itself.
//
// A descriptor's entry is replaced by the next handshake on that descriptor number, so the
// entry found for an open socket that completed a handshake is always its own.
void rememberSession(int fd, SSL* ssl);

// The session recorded for this descriptor, removed from the registry; null if none.
SSL* takeSession(int fd);

}  // namespace fieldlink::tls

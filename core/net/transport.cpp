#include "net/transport.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <Poco/Exception.h>

namespace fieldlink::net {
namespace {

// The socket and the slot, given back when the transport goes.
class OwnedSocket {
 public:
  OwnedSocket(int fd, std::unique_ptr<ConnectionLimits::Lease> lease)
      : fd_(fd), lease_(std::move(lease)) {}
  ~OwnedSocket() { ::close(fd_); }
  OwnedSocket(const OwnedSocket&) = delete;
  OwnedSocket& operator=(const OwnedSocket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
  std::unique_ptr<ConnectionLimits::Lease> lease_;
};

class PlainTransport final : public Transport {
 public:
  PlainTransport(int fd, std::unique_ptr<ConnectionLimits::Lease> lease)
      : socket_(fd, std::move(lease)), fd_(fd) {}
  int fd() const override { return fd_; }

  Result read(char* buffer, std::size_t size) override {
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer, size, MSG_DONTWAIT);
      if (n > 0) return {Status::Ok, static_cast<std::size_t>(n)};
      if (n == 0) return {Status::Closed};
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return {Status::WouldBlock};
      return {Status::Closed};
    }
  }

  Result write(const iovec* pieces, std::size_t count) override {
    msghdr message{};
    message.msg_iov = const_cast<iovec*>(pieces);
    message.msg_iovlen = count;
    for (;;) {
      const ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n >= 0) return {Status::Ok, static_cast<std::size_t>(n)};
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return {Status::WouldBlock};
      return {Status::Closed};
    }
  }

  bool hasBufferedInput() const override { return false; }
  void shutdownWrite() override { ::shutdown(fd_, SHUT_WR); }

 private:
  OwnedSocket socket_;
  int fd_;
};

// Through OpenSSL directly, without blocking (Poco 1.11's secure sockets block in poll()).
// The server side of the handshake runs inside the first reads.
class TlsTransport final : public Transport {
 public:
  TlsTransport(int fd, SSL* ssl, std::unique_ptr<ConnectionLimits::Lease> lease)
      : socket_(fd, std::move(lease)), fd_(fd), ssl_(ssl) {
    // A write that would block is retried later from a buffer that may have moved and grown.
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  }

  Result read(char* buffer, std::size_t size) override {
    ERR_clear_error();
    const int n = SSL_read(ssl_, buffer, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
    if (n > 0) return {Status::Ok, static_cast<std::size_t>(n)};
    return failure(n);
  }

  Result write(const iovec* pieces, std::size_t count) override {
    // One TLS record carries up to 16 KiB: gather small frames so each does not cost one. A
    // retried write starts with the same bytes, as OpenSSL requires.
    staging_.clear();
    for (std::size_t i = 0; i < count && staging_.size() < kRecordBytes; ++i)
      staging_.append(static_cast<const char*>(pieces[i].iov_base),
                      std::min(pieces[i].iov_len, kRecordBytes - staging_.size()));
    if (staging_.empty()) return {Status::Ok, 0};
    ERR_clear_error();
    const int n = SSL_write(ssl_, staging_.data(), static_cast<int>(staging_.size()));
    if (n > 0) return {Status::Ok, static_cast<std::size_t>(n)};
    return failure(n);
  }

  ~TlsTransport() override { SSL_free(ssl_); }
  int fd() const override { return fd_; }
  bool hasBufferedInput() const override { return SSL_pending(ssl_) > 0; }

  void shutdownWrite() override {
    ERR_clear_error();
    SSL_shutdown(ssl_);  // close_notify, best effort
    ERR_clear_error();
    ::shutdown(fd_, SHUT_WR);
  }

 private:
  static constexpr std::size_t kRecordBytes = 16 * 1024;

  Result failure(int rc) {
    const int error = SSL_get_error(ssl_, rc);
    ERR_clear_error();
    // With renegotiation off, wanting to read while writing (or the reverse) only happens
    // around TLS 1.3 key updates; either way the poll loop brings us back.
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return {Status::WouldBlock};
    if (error == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EINTR))
      return {Status::WouldBlock};
    return {Status::Closed};
  }

  OwnedSocket socket_;
  int fd_;
  SSL* ssl_;
  std::string staging_;
};

}  // namespace

std::unique_ptr<Transport> makeTransport(int fd, SSL_CTX* tls,
                                         std::unique_ptr<ConnectionLimits::Lease> lease) {
  if (!tls) return std::make_unique<PlainTransport>(fd, std::move(lease));
  SSL* ssl = SSL_new(tls);
  if (!ssl || SSL_set_fd(ssl, fd) != 1) {
    SSL_free(ssl);
    ::close(fd);
    throw Poco::IOException("cannot start a TLS session");
  }
  SSL_set_accept_state(ssl);
  return std::make_unique<TlsTransport>(fd, ssl, std::move(lease));
}

}  // namespace fieldlink::net

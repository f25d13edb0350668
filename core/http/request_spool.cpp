#include "http/request_spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace fieldlink {
namespace {

// Reads a file descriptor from its start with pread, so the spool keeps its own offset.
class DescriptorBuffer final : public std::streambuf {
 public:
  explicit DescriptorBuffer(int fd) : fd_(fd) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    ssize_t n;
    do {
      n = ::pread(fd_, chunk_, sizeof chunk_, offset_);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return traits_type::eof();
    offset_ += n;
    setg(chunk_, chunk_, chunk_ + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  int fd_;
  off_t offset_ = 0;
  char chunk_[64 * 1024];
};

bool writeAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

RequestSpool::RequestSpool(std::size_t memory_bytes, std::string dir)
    : memory_bytes_(memory_bytes), dir_(std::move(dir)) {}

RequestSpool::~RequestSpool() {
  stream_.reset();
  buffer_.reset();
  if (fd_ >= 0) ::close(fd_);
}

bool RequestSpool::spill() {
  // Unnamed: the file goes with its descriptor, even if the process dies.
  fd_ = ::open(dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0) {  // a file system without O_TMPFILE: a named file, unlinked at once
    std::string path = dir_ + "/body-XXXXXX";
    fd_ = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd_ < 0) return false;
    ::unlink(path.c_str());
  }
  const bool ok = writeAll(fd_, memory_.data(), memory_.size());
  std::string().swap(memory_);
  return ok;
}

bool RequestSpool::append(const char* data, std::size_t size) {
  size_ += size;
  if (fd_ < 0 && memory_.size() + size <= memory_bytes_) {
    memory_.append(data, size);
    return true;
  }
  if (fd_ < 0 && !spill()) return false;
  return writeAll(fd_, data, size);
}

std::istream& RequestSpool::stream() {
  if (fd_ >= 0)
    buffer_ = std::make_unique<DescriptorBuffer>(fd_);
  else
    buffer_ = std::make_unique<std::stringbuf>(memory_, std::ios::in);
  stream_ = std::make_unique<std::istream>(buffer_.get());
  return *stream_;
}

}  // namespace fieldlink

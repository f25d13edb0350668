#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>

namespace fieldlink {

// A request body as it arrives: in memory while small, then in an unnamed temporary file, so
// that a large upload costs the server disk, not memory. Written by the reactor, read by a
// handler once the body is complete.
class RequestSpool {
 public:
  // `memory_bytes`: how much is held in memory before moving to a file in `dir`.
  RequestSpool(std::size_t memory_bytes, std::string dir);
  ~RequestSpool();
  RequestSpool(const RequestSpool&) = delete;
  RequestSpool& operator=(const RequestSpool&) = delete;

  // False if the file could not be written (disk full).
  bool append(const char* data, std::size_t size);
  std::uint64_t size() const { return size_; }
  // The whole body, from its first byte; one reader at a time.
  std::istream& stream();

 private:
  bool spill();

  const std::size_t memory_bytes_;
  const std::string dir_;
  std::string memory_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::unique_ptr<std::streambuf> buffer_;
  std::unique_ptr<std::istream> stream_;
};

}  // namespace fieldlink

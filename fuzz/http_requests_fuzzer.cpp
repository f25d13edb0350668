// The front door's request reading (Boost.Beast's parser behind RequestReader, the limits, the
// body spool) against arbitrary bytes from a client, fed in arbitrary chunks as a socket would
// deliver them. It must never crash, never accept a request past its limits, and every body
// it hands out must read back as long as its Content-Length says.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/request_reader.hpp"

using namespace fieldlink;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the chunk size, so requests are split anywhere.
  const std::size_t chunk = 1 + data[0] % 97;
  ++data;
  --size;
  RequestLimits limits;
  limits.max_header_bytes = 2048;
  limits.max_headers = 20;
  limits.max_body_bytes = 4096;
  limits.max_upload_bytes = 16384;
  limits.spool_memory_bytes = 512;  // so that bodies also go through the file
  limits.spool_dir = "/tmp";
  limits.upload_paths = {"/u"};
  RequestReader reader(limits);
  std::string pending;
  for (std::size_t offset = 0; offset < size; offset += chunk) {
    pending.append(reinterpret_cast<const char*>(data) + offset, std::min(chunk, size - offset));
    for (;;) {
      const std::size_t used = reader.feed(pending.data(), pending.size());
      if (used > pending.size()) std::abort();
      pending.erase(0, used);
      if (reader.state() == RequestReader::State::Failed) {
        const int status = reader.failureStatus();
        if (status != 400 && status != 413 && status != 431 && status != 507) std::abort();
        return 0;  // the connection would answer and close
      }
      if (reader.state() != RequestReader::State::Done) break;
      ReceivedRequest request = reader.take();
      if (request.method.empty() || request.target.empty()) std::abort();
      std::uint64_t declared = 0;
      for (const auto& [name, value] : request.fields)
        if (name == "Content-Length") declared = std::stoull(value);
      if (request.body) {
        if (request.body->size() > limits.max_upload_bytes) std::abort();
        std::string read;
        char buffer[700];
        auto& in = request.body->stream();
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
          read.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (read.size() != request.body->size() || read.size() != declared) std::abort();
      }
      if (pending.empty()) break;
    }
  }
  return 0;
}

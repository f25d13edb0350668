// Upload bodies as POST /api/chat/attachments/ receives them: any bytes as a multipart body.
// Only the core's ApiError may come out (the client gets a 4xx); an accepted upload has its
// file on disk with the size it reports, within the limit.
#include <cstdint>
#include <cstdlib>
#include <sstream>

#include <Poco/File.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include "domain/errors.hpp"
#include "http/multipart_upload.hpp"

namespace {

constexpr std::int64_t kLimit = 64 * 1024;

// The parts of a server request the upload reader uses: method, headers and body.
class FuzzRequest final : public Poco::Net::HTTPServerRequest {
 public:
  explicit FuzzRequest(const std::string& body)
      : body_(body), params_(new Poco::Net::HTTPServerParams) {
    setMethod("POST");
    setContentType("multipart/form-data; boundary=fuzz");
    setContentLength(static_cast<std::streamsize>(body.size()));
  }
  std::istream& stream() override { return body_; }
  const Poco::Net::SocketAddress& clientAddress() const override { return address_; }
  const Poco::Net::SocketAddress& serverAddress() const override { return address_; }
  const Poco::Net::HTTPServerParams& serverParams() const override { return *params_; }
  Poco::Net::HTTPServerResponse& response() const override { std::abort(); }
  bool secure() const override { return false; }

 private:
  std::istringstream body_;
  Poco::Net::SocketAddress address_;
  Poco::AutoPtr<Poco::Net::HTTPServerParams> params_;
};

const std::string& uploadDir() {
  static const std::string dir = [] {
    const std::string path = Poco::TemporaryFile::tempName();
    Poco::File(path).createDirectories();
    return path;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzRequest request(std::string(reinterpret_cast<const char*>(data), size));
  fieldlink::ReceivedUpload upload;
  try {
    fieldlink::receiveUpload(request, request.stream(), uploadDir(), upload,
                             [](const Poco::Net::HTMLForm&) { return kLimit; });
  } catch (const fieldlink::ApiError&) {
    return 0;
  }
  if (!upload.file || upload.size > kLimit) std::abort();
  if (static_cast<std::int64_t>(Poco::File(upload.file->path()).getSize()) != upload.size)
    std::abort();
  return 0;
}

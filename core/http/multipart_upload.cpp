#include "http/multipart_upload.hpp"

#include <fstream>

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/String.h>

#include "domain/errors.hpp"

namespace fieldlink {
namespace {

constexpr int kMaxFields = 16;
constexpr int kMaxFieldLength = 4096;

class FileReceiver : public Poco::Net::PartHandler {
 public:
  FileReceiver(ReceivedUpload& upload, const std::string& dir,
               const std::function<std::int64_t(const Poco::Net::HTMLForm&)>& limit)
      : upload_(upload), dir_(dir), limit_(limit) {}

  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    std::string disposition;
    Poco::Net::NameValueCollection params;
    Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition,
                                              params);
    // Another file part would be read through uncounted: refuse it rather than skip it.
    if (params.get("name", "") != "file")
      throw InvalidInput(params.get("name", "part"),
                         "Only the part named 'file' may carry a file.");
    if (upload_.file) throw InvalidInput("file", "Send one file per upload.");
    const std::int64_t limit = limit_(upload_.form);
    upload_.client_name = params.get("filename", "");
    upload_.file = std::make_unique<Poco::TemporaryFile>(dir_);
    std::ofstream out(upload_.file->path(), std::ios::binary);
    char buffer[65536];
    while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
      upload_.size += stream.gcount();
      // Checked before writing: the disk never holds more than the limit.
      if (upload_.size > limit)
        throw TooLarge("The file is larger than " + std::to_string(limit) + " bytes.");
      out.write(buffer, stream.gcount());
    }
    out.close();
    if (!out) throw Unavailable("The upload could not be written to disk.");
  }

 private:
  ReceivedUpload& upload_;
  const std::string& dir_;
  const std::function<std::int64_t(const Poco::Net::HTMLForm&)>& limit_;
};

}  // namespace

void receiveUpload(const Poco::Net::HTTPServerRequest& request, std::istream& body,
                   const std::string& dir, ReceivedUpload& upload,
                   const std::function<std::int64_t(const Poco::Net::HTMLForm&)>& limit) {
  if (Poco::toLower(request.getContentType()).rfind("multipart/form-data", 0) != 0)
    throw UnsupportedMediaType("Send the file as multipart/form-data, in a part named 'file'.");
  upload.form.setFieldLimit(kMaxFields);
  upload.form.setValueLengthLimit(kMaxFieldLength);
  FileReceiver receiver(upload, dir, limit);
  try {
    upload.form.load(request, body, receiver);
  } catch (const ApiError&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw BadRequest("The multipart body is malformed: " + e.message(), "parse_error");
  }
  if (!upload.file) throw InvalidInput("file", "Attach the file in a part named 'file'.");
}

}  // namespace fieldlink

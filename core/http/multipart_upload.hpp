#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <string>

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/TemporaryFile.h>

namespace fieldlink {

// A multipart/form-data upload as received: the part named `file` on disk, the other
// fields in `form`.
struct ReceivedUpload {
  std::unique_ptr<Poco::TemporaryFile> file;  // deleted with this unless moved away
  std::string client_name;                    // the part's filename, unsanitised
  std::int64_t size = 0;
  Poco::Net::HTMLForm form;
};

// Streams the body into a file in `dir` (into `upload`), stopping with TooLarge as soon as it
// passes `limit(form)`, where `form` holds the fields that came before the file. Throws
// UnsupportedMediaType for a body that is not multipart, BadRequest for a malformed one and
// InvalidInput when there is no single part named `file`.
void receiveUpload(const Poco::Net::HTTPServerRequest& request, std::istream& body,
                   const std::string& dir, ReceivedUpload& upload,
                   const std::function<std::int64_t(const Poco::Net::HTMLForm&)>& limit);

}  // namespace fieldlink

#include <Poco/NumberParser.h>
#include <Poco/URI.h>

#include "attachments/byte_range.hpp"
#include "domain/errors.hpp"
#include "domain/views.hpp"
#include "http/endpoints/endpoints.hpp"
#include "http/multipart_upload.hpp"

namespace fieldlink::endpoints {
namespace {

// Room for the multipart boundaries and part headers around the file itself.
constexpr std::int64_t kMultipartOverhead = 64 * 1024;

// Receives the upload for `default_type` (a `message_type` query parameter or form field
// overrides it) and returns the message type it is for.
std::string receive(Services& s, ApiRequest& r, ReceivedUpload& upload,
                    const std::string& default_type, bool type_fixed) {
  std::string type = type_fixed ? default_type : r.query("message_type").value_or(default_type);
  const std::int64_t cap = s.attachments.uploadLimit(type);  // also: unknown type -> 400
  Poco::Net::HTTPServerRequest& http = r.http();
  if (http.hasContentLength() && http.getContentLength64() > cap + kMultipartOverhead)
    throw TooLarge("The file is larger than " + std::to_string(cap) + " bytes.");
  receiveUpload(http, r.bodyStream(), s.attachments.receiveDir(), upload,
                [&](const Poco::Net::HTMLForm& fields_so_far) {
                  if (type_fixed || r.query("message_type")) return cap;
                  return s.attachments.uploadLimit(fields_so_far.get("message_type", type));
                });
  if (!type_fixed && !r.query("message_type")) type = upload.form.get("message_type", type);
  return type;
}

std::int64_t requiredFormId(const Poco::Net::HTMLForm& form, const std::string& name) {
  Poco::Int64 id = 0;
  if (!form.has(name)) throw InvalidInput(name, "This field is required.");
  if (!Poco::NumberParser::tryParse64(form.get(name), id) || id <= 0)
    throw InvalidInput(name, "Must be a positive integer.");
  return id;
}

// Shown inline only where a browser cannot run it; everything else is a download.
std::string contentDisposition(const AttachmentRecord& a) {
  const bool inline_type = a.content_type.rfind("image/", 0) == 0 ||
                           a.content_type.rfind("audio/", 0) == 0 ||
                           a.content_type.rfind("video/", 0) == 0;
  const std::string name = a.name.empty() ? "attachment-" + std::to_string(a.id) : a.name;
  std::string ascii;
  for (unsigned char c : name) ascii += (c < 0x80 && c != '"' && c != '\\') ? char(c) : '_';
  std::string encoded;
  Poco::URI::encode(name, "!#$&+,/:;=?@[]()'*\"\\%<>{}|^`", encoded);
  return std::string(inline_type ? "inline" : "attachment") + "; filename=\"" + ascii +
         "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

ApiResponse uploadAttachment(Services& s, ApiRequest& r) {
  ReceivedUpload upload;
  const std::string type = receive(s, r, upload, "file", false);
  const AttachmentRecord record =
      s.attachments.accept(r.caller(), type, upload.file->path(), upload.client_name);
  return ApiResponse::json(201, views::attachment(record));
}

ApiResponse downloadAttachment(Services& s, ApiRequest& r) {
  const auto download = s.attachments.open(r.caller(), r.pathId("id"));
  const AttachmentRecord& a = download.record;
  ApiResponse response;
  std::string type = a.content_type;
  if (type == "text/plain") type += "; charset=utf-8";
  response.headers["Content-Type"] = type;
  response.headers["Content-Disposition"] = contentDisposition(a);
  response.headers["Accept-Ranges"] = "bytes";
  response.headers["ETag"] = "\"" + a.sha256 + "\"";
  // The bytes behind an id never change; only its participants may keep a copy.
  response.headers["Cache-Control"] = "private, max-age=86400";
  response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox";
  const auto range = attachments::parseRange(r.http().get("Range", ""), a.size);
  switch (range.kind) {
    case attachments::ByteRange::Kind::Unsatisfiable:
      response.status = 416;
      response.headers["Content-Range"] = "bytes */" + std::to_string(a.size);
      return response;
    case attachments::ByteRange::Kind::Part:
      response.status = 206;
      response.headers["Content-Range"] = "bytes " + std::to_string(range.offset) + "-" +
                                          std::to_string(range.offset + range.length - 1) + "/" +
                                          std::to_string(a.size);
      break;
    case attachments::ByteRange::Kind::Whole:
      break;
  }
  response.file = FileBody{download.path, range.offset, range.length};
  return response;
}

ApiResponse sendVoice(Services& s, ApiRequest& r) {
  ReceivedUpload upload;
  receive(s, r, upload, "voice", true);
  SendMessageInput input;
  input.conversation_id = ConversationId(requiredFormId(upload.form, "conversation_id"));
  input.message_type = "voice";
  if (upload.form.has("client_id")) input.client_id = upload.form.get("client_id");
  // Outsiders are refused before anything is stored.
  s.chat.conversation(r.caller(), input.conversation_id);
  const AttachmentRecord record =
      s.attachments.accept(r.caller(), "voice", upload.file->path(), upload.client_name);
  input.content = new Poco::JSON::Object;
  input.content->set("attachment_id", static_cast<Poco::Int64>(record.id));
  const SendResult result = s.chat.send(r.caller(), input);
  return ApiResponse::json(result.created ? 201 : 200, views::message(result.message));
}

}  // namespace fieldlink::endpoints

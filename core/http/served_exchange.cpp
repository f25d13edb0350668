#include "http/served_exchange.hpp"

#include <sys/stat.h>

#include <Poco/DateTimeFormat.h>
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>

namespace fieldlink {

ServedRequest::ServedRequest(ReceivedRequest received, Poco::Net::SocketAddress client,
                             Poco::Net::SocketAddress server, bool secure,
                             BufferedResponse& response)
    : body_(std::move(received.body)),
      client_(client),
      server_(server),
      secure_(secure),
      keep_alive_(received.keep_alive),
      response_(response) {
  setMethod(received.method);
  setURI(received.target);
  setVersion(received.version == 10 ? HTTP_1_0 : HTTP_1_1);
  for (auto& [name, value] : received.fields) add(name, value);
}

const Poco::Net::HTTPServerParams& ServedRequest::serverParams() const {
  // Nothing reads them (the front door has its own settings); Poco's interface wants some.
  static const Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
  return *params;
}

std::istream& ServedRequest::stream() { return body_ ? body_->stream() : empty_; }

Poco::Net::HTTPServerResponse& ServedRequest::response() const { return response_; }

std::ostream& BufferedResponse::send() {
  if (sent_) throw Poco::IllegalStateException("the response was sent already");
  sent_ = true;
  return body_;
}

void BufferedResponse::sendFileBody(const FileBody& file) {
  sent_ = true;
  setContentLength64(file.length);
  file_ = file;
}

void BufferedResponse::sendFile(const std::string& path, const std::string& media_type) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw Poco::FileNotFoundException(path);
  setContentType(media_type);
  sendFileBody({path, 0, static_cast<std::int64_t>(info.st_size)});
}

void BufferedResponse::sendBuffer(const void* buffer, std::size_t length) {
  setContentLength(static_cast<std::streamsize>(length));
  send().write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
}

void BufferedResponse::redirect(const std::string& uri, HTTPStatus status) {
  setStatusAndReason(status);
  set("Location", uri);
  setContentLength(0);
  send();
}

void BufferedResponse::requireAuthentication(const std::string& realm) {
  setStatusAndReason(HTTP_UNAUTHORIZED);
  set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
  setContentLength(0);
  send();
}

std::string BufferedResponse::head() {
  // The reason phrase always matches the status ("404 Not Found", never "404 OK").
  setReason(getReasonForStatus(getStatus()));
  if (!has("Date")) setDate(Poco::Timestamp());
  if (!hasContentLength() && getStatus() != HTTP_SWITCHING_PROTOCOLS &&
      getStatus() != HTTP_NO_CONTENT && getStatus() != HTTP_NOT_MODIFIED)
    setContentLength64(static_cast<Poco::Int64>(body_.str().size()));
  std::ostringstream out;
  write(out);
  return out.str();
}

}  // namespace fieldlink

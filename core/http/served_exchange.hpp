#pragma once

#include <optional>
#include <sstream>
#include <string>

#include <Poco/AutoPtr.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>

#include "http/api_request.hpp"
#include "http/request_reader.hpp"

namespace fieldlink {

class BufferedResponse;

// A request the front door has read in full, as Poco's server request, so that ApiRequest,
// the uploads, the access log and everything else written against Poco's request keep
// working. The body is complete and de-chunked: Content-Length says how long it is.
class ServedRequest final : public Poco::Net::HTTPServerRequest {
 public:
  ServedRequest(ReceivedRequest received, Poco::Net::SocketAddress client,
                Poco::Net::SocketAddress server, bool secure, BufferedResponse& response);

  std::istream& stream() override;
  const Poco::Net::SocketAddress& clientAddress() const override { return client_; }
  const Poco::Net::SocketAddress& serverAddress() const override { return server_; }
  const Poco::Net::HTTPServerParams& serverParams() const override;
  Poco::Net::HTTPServerResponse& response() const override;
  bool secure() const override { return secure_; }
  bool keepAlive() const { return keep_alive_; }

 private:
  std::shared_ptr<RequestSpool> body_;
  std::istringstream empty_;
  Poco::Net::SocketAddress client_;
  Poco::Net::SocketAddress server_;
  bool secure_;
  bool keep_alive_;
  BufferedResponse& response_;
};

// Poco's server response, kept in memory until the handler is done, then written by the
// connection's reactor: the handler thread never waits for the client to read.
class BufferedResponse final : public Poco::Net::HTTPServerResponse {
 public:
  void sendContinue() override {}  // the connection answers Expect: 100-continue itself
  std::ostream& send() override;
  void sendFile(const std::string& path, const std::string& media_type) override;
  void sendBuffer(const void* buffer, std::size_t length) override;
  void redirect(const std::string& uri, HTTPStatus status) override;
  void requireAuthentication(const std::string& realm) override;
  bool sent() const override { return sent_; }

  // A file's bytes as the body, streamed by the reactor as the client reads.
  void sendFileBody(const FileBody& file);
  // The status line and fields, ready for the wire.
  std::string head();
  std::string takeBody() { return body_.str(); }
  const std::optional<FileBody>& file() const { return file_; }

 private:
  bool sent_ = false;
  std::ostringstream body_;
  std::optional<FileBody> file_;
};

}  // namespace fieldlink

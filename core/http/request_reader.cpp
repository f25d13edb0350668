#include "http/request_reader.hpp"

#include <algorithm>

// GCC 12 with the sanitizers' optimisation sees boost::optional's storage in Beast's
// content_length() as maybe uninitialized (a known false positive of the middle end); the
// warning points into Boost's headers, so it is silenced for them alone. (Clang, which builds
// the fuzzers, has no such warning and would warn about the pragma.)
#pragma GCC diagnostic push
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#pragma GCC diagnostic pop

#include <Poco/String.h>

namespace fieldlink {
namespace {

namespace http = boost::beast::http;

// A Beast body type that writes into a RequestSpool as the parser decodes (de-chunks) it.
struct SpoolBody {
  using value_type = std::shared_ptr<RequestSpool>;

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>&, value_type& body) : body_(body) {}
    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      std::size_t taken = 0;
      for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
        if (!body_->append(static_cast<const char*>(buffer.data()), buffer.size())) {
          ec = boost::system::errc::make_error_code(boost::system::errc::no_space_on_device);
          return taken;
        }
        taken += buffer.size();
      }
      ec = {};
      return taken;
    }
    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

// A POST to a path that takes uploads (query string aside).
bool isUpload(const RequestLimits& limits, http::verb method, std::string_view target) {
  if (method != http::verb::post) return false;
  const std::string_view path = target.substr(0, target.find('?'));
  return std::find(limits.upload_paths.begin(), limits.upload_paths.end(), path) !=
         limits.upload_paths.end();
}

}  // namespace

struct RequestReader::Parser {
  http::request_parser<SpoolBody> parser;
};

RequestReader::RequestReader(const RequestLimits& limits) : limits_(limits) { startParser(); }

void RequestReader::startParser() {
  parser_ = std::make_unique<Parser>();
  parser_->parser.header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
  // Beast checks a declared Content-Length against its body limit while reading the fields,
  // before the route is known: the largest of ours there, the route's own once they are in.
  parser_->parser.body_limit(std::max(limits_.max_body_bytes, limits_.max_upload_bytes));
  parser_->parser.eager(false);  // stop once the fields are in, to look at them first
}

RequestReader::~RequestReader() = default;

void RequestReader::fail(int status, std::string reason) {
  state_ = State::Failed;
  failure_status_ = status;
  failure_reason_ = std::move(reason);
}

std::uint64_t RequestReader::bodyBytes() const {
  const auto& body = parser_->parser.get().body();
  return body ? body->size() : 0;
}

void RequestReader::headersComplete() {
  auto& parser = parser_->parser;
  const auto& message = parser.get();
  if (static_cast<std::size_t>(std::distance(message.begin(), message.end())) > limits_.max_headers)
    return fail(431, "too many header fields");
  if (message.method() == http::verb::unknown && message.method_string().empty())
    return fail(400, "no method");
  if (message.target().empty() || message.target()[0] != '/')
    if (!(message.method() == http::verb::options && message.target() == "*"))
      return fail(400, "the request target must be a path");
  const std::uint64_t limit =
      isUpload(limits_, message.method(),
               std::string_view(message.target().data(), message.target().size()))
          ? limits_.max_upload_bytes
          : limits_.max_body_bytes;
  if (const auto declared = parser.content_length(); declared && *declared > limit)
    return fail(413, "the request body is larger than " + std::to_string(limit) + " bytes");
  if (parser.is_done()) {
    state_ = State::Done;
    return;
  }
  parser.body_limit(limit);
  parser.get().body() =
      std::make_shared<RequestSpool>(limits_.spool_memory_bytes, limits_.spool_dir);
  parser.eager(true);
  expects_continue_ =
      Poco::icompare(std::string(message[http::field::expect]), "100-continue") == 0;
  state_ = State::Body;
}

std::size_t RequestReader::feed(const char* data, std::size_t size) {
  if (state_ == State::Done || state_ == State::Failed || size == 0) return 0;
  auto& parser = parser_->parser;
  std::size_t used = 0;
  while (used < size && (state_ == State::Headers || state_ == State::Body)) {
    if (state_ == State::Headers && !started_) {
      // Blank lines before a request are allowed (RFC 9112, 2.2) and skipped.
      while (used < size && (data[used] == '\r' || data[used] == '\n')) ++used;
      if (used == size) break;
      started_ = true;
    }
    boost::beast::error_code ec;
    const std::size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    used += n;
    if (ec == http::error::need_more) break;
    if (ec == http::error::header_limit) {
      fail(431, "the request header is larger than " + std::to_string(limits_.max_header_bytes) +
                    " bytes");
      break;
    }
    if (ec == http::error::body_limit) {
      fail(413, "the request body is too large");
      break;
    }
    if (ec == boost::system::errc::no_space_on_device) {
      fail(507, "no room to receive the request body");
      break;
    }
    if (ec) {
      fail(400, "malformed request: " + ec.message());
      break;
    }
    if (state_ == State::Headers && parser.is_header_done()) {
      headersComplete();
      continue;
    }
    if (parser.is_done()) state_ = State::Done;
    if (n == 0) break;
  }
  return used;
}

ReceivedRequest RequestReader::take() {
  auto& message = parser_->parser.get();
  ReceivedRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.version = message.version();
  request.keep_alive = message.keep_alive();
  request.upload = isUpload(limits_, message.method(),
                            std::string_view(message.target().data(), message.target().size()));
  for (const auto& field : message) {
    // The body is handed over complete and de-chunked: its length is known.
    if (field.name() == http::field::transfer_encoding ||
        field.name() == http::field::content_length)
      continue;
    request.fields.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  if (request.body || parser_->parser.content_length())
    request.fields.emplace_back("Content-Length",
                                std::to_string(request.body ? request.body->size() : 0));

  startParser();
  state_ = State::Headers;
  started_ = false;
  expects_continue_ = false;
  return request;
}

}  // namespace fieldlink

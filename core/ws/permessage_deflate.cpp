#include "ws/permessage_deflate.hpp"

#include <zlib.h>

#include <memory>
#include <stdexcept>

#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace fieldlink::ws {
namespace {

constexpr int kWindowBits = 15;
constexpr unsigned char kTail[4] = {0x00, 0x00, 0xff, 0xff};  // an empty stored block's end

bool acceptable(const Poco::StringTokenizer& offer) {
  for (std::size_t i = 1; i < offer.count(); ++i) {
    const auto equals = offer[i].find('=');
    const std::string name = Poco::toLower(Poco::trim(offer[i].substr(0, equals)));
    std::string value = equals == std::string::npos ? "" : Poco::trim(offer[i].substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    int bits = 0;
    const bool bits_ok = Poco::NumberParser::tryParse(value, bits) && bits >= 8 && bits <= 15;
    if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
      if (!value.empty()) return false;
    } else if (name == "client_max_window_bits") {
      // We inflate with the largest window, which reads any smaller one.
      if (!value.empty() && !bits_ok) return false;
    } else if (name == "server_max_window_bits") {
      if (!bits_ok || bits < kWindowBits) return false;
    } else {
      return false;
    }
  }
  return true;
}

// One deflate and one inflate stream per thread, reset for every message.
struct Deflater {
  Deflater() {
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -kWindowBits, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::bad_alloc();
  }
  ~Deflater() { deflateEnd(&stream); }
  z_stream stream{};
};

struct Inflater {
  Inflater() {
    if (inflateInit2(&stream, -kWindowBits) != Z_OK) throw std::bad_alloc();
  }
  ~Inflater() { inflateEnd(&stream); }
  z_stream stream{};
};

}  // namespace

std::string acceptDeflateOffer(const std::string& offered_extensions) {
  Poco::StringTokenizer offers(
      offered_extensions, ",",
      Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto& offer : offers) {
    Poco::StringTokenizer parts(
        offer, ";", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    if (parts.count() == 0 || Poco::icompare(parts[0], "permessage-deflate") != 0) continue;
    if (acceptable(parts))
      return "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
  }
  return "";
}

std::string deflateMessage(std::string_view payload) {
  thread_local Deflater deflater;
  z_stream& z = deflater.stream;
  deflateReset(&z);
  std::string out(deflateBound(&z, static_cast<uLong>(payload.size())) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(payload.data()));
  z.avail_in = static_cast<uInt>(payload.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  // A sync flush ends on an empty stored block, whose last four bytes RFC 7692 drops.
  deflate(&z, Z_SYNC_FLUSH);
  out.resize(out.size() - z.avail_out);
  if (out.size() >= 4 &&
      out.compare(out.size() - 4, 4, reinterpret_cast<const char*>(kTail), 4) == 0)
    out.resize(out.size() - 4);
  return out;
}

InflateStatus inflateMessage(std::string_view compressed, std::size_t limit, std::string& out) {
  thread_local Inflater inflater;
  z_stream& z = inflater.stream;
  inflateReset(&z);
  out.clear();
  char chunk[16 * 1024];
  // The message, then the four bytes the sender removed.
  for (const std::string_view part :
       {compressed, std::string_view(reinterpret_cast<const char*>(kTail), 4)}) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(part.data()));
    z.avail_in = static_cast<uInt>(part.size());
    do {
      z.next_out = reinterpret_cast<Bytef*>(chunk);
      z.avail_out = sizeof chunk;
      const int rc = inflate(&z, Z_SYNC_FLUSH);
      if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END) return InflateStatus::Corrupt;
      const std::size_t produced = sizeof chunk - z.avail_out;
      if (out.size() + produced > limit) return InflateStatus::TooBig;  // a bomb stops here
      out.append(chunk, produced);
      if (rc == Z_STREAM_END) return InflateStatus::Ok;
      if (rc == Z_BUF_ERROR && produced == 0) break;  // needs more input
    } while (z.avail_in > 0 || z.avail_out == 0);
  }
  return InflateStatus::Ok;
}

}  // namespace fieldlink::ws

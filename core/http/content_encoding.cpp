#include "http/content_encoding.hpp"

#include <optional>
#include <sstream>

#include <Poco/DeflatingStream.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace fieldlink {
namespace {

// The q value of one "coding;q=x" entry; 1 when absent, 0 when unreadable.
double qualityOf(const Poco::StringTokenizer& parameters) {
  for (std::size_t i = 1; i < parameters.count(); ++i) {
    const std::string parameter = Poco::toLower(parameters[i]);
    if (parameter.rfind("q=", 0) != 0) continue;
    double q = 0;
    return Poco::NumberParser::tryParseFloat(parameter.substr(2), q) ? q : 0;
  }
  return 1;
}

}  // namespace

bool acceptsGzip(const std::string& accept_encoding) {
  std::optional<double> gzip, any;
  Poco::StringTokenizer codings(
      accept_encoding, ",",
      Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const auto& coding : codings) {
    Poco::StringTokenizer parameters(coding, ";", Poco::StringTokenizer::TOK_TRIM);
    const std::string name = Poco::toLower(parameters[0]);
    if (name == "gzip" || name == "x-gzip") gzip = qualityOf(parameters);
    if (name == "*") any = qualityOf(parameters);
  }
  // An explicit gzip entry wins over the wildcard.
  if (gzip) return *gzip > 0;
  return any && *any > 0;
}

std::string gzipped(const std::string& text) {
  std::ostringstream out;
  {
    Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    deflate << text;
    deflate.close();
  }
  return out.str();
}

}  // namespace fieldlink

#pragma once

#include <string>

namespace fieldlink {

// Whether an Accept-Encoding header accepts gzip ("gzip", "gzip;q=0.5", "*"; not "gzip;q=0").
bool acceptsGzip(const std::string& accept_encoding);

// `text` compressed as a gzip member (RFC 1952).
std::string gzipped(const std::string& text);

}  // namespace fieldlink

#pragma once

#include <sstream>
#include <string>
#include <vector>

#include <Poco/Base64Encoder.h>

namespace fieldlink {

// Standard base64 of a digest (Poco's engines give bytes as a vector), on one line.
inline std::string base64(const std::vector<unsigned char>& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(reinterpret_cast<const char*>(bytes.data()),
                static_cast<std::streamsize>(bytes.size()));
  encoder.close();
  return out.str();
}

}  // namespace fieldlink

#include "logging/access_log.hpp"

#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/NumberFormatter.h>
#include <Poco/URI.h>

namespace fieldlink::logging {
namespace {

// The decoded path as it may appear in a log line: control characters, spaces and DEL
// percent-encoded again, so that a path cannot break the line (a %0A would start a forged
// one) or the space-separated fields, nor send terminal escapes to whoever reads the log.
std::string printablePath(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (unsigned char c : path) {
    if (c <= 0x20 || c == 0x7f) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

void logAccess(const Poco::Net::HTTPServerRequest& request, const AccessRecord& record) {
  static Poco::Logger& logger = Poco::Logger::get("fieldlink.access");
  if (!logger.information()) return;
  std::string path;
  try {
    path = printablePath(Poco::URI(request.getURI()).getPath());
  } catch (const Poco::Exception&) {
    path = "(unparsable)";
  }
  const double ms = std::chrono::duration<double, std::milli>(record.took).count();
  const std::string remote =
      record.remote.empty() ? request.clientAddress().host().toString() : record.remote;
  const std::string duration = Poco::NumberFormatter::format(ms, 3);
  std::string text = request.getMethod() + " " + path + " " + std::to_string(record.status);
  if (record.bytes >= 0) text += " " + std::to_string(record.bytes) + "B";
  text += " " + duration + "ms " + remote;
  if (record.user_id) text += " user=" + std::to_string(*record.user_id);

  Poco::Message line(logger.name(), text, Poco::Message::PRIO_INFORMATION);
  line.set("method", request.getMethod());
  line.set("path", path);
  line.set("status", std::to_string(record.status));
  if (record.bytes >= 0) line.set("bytes", std::to_string(record.bytes));
  line.set("duration_ms", duration);
  line.set("remote", remote);
  if (record.user_id) line.set("user_id", std::to_string(*record.user_id));
  logger.log(line);
}

}  // namespace fieldlink::logging

#include "logging/log_line_formatter.hpp"

#include <sstream>

#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/Instantiator.h>
#include <Poco/JSON/Object.h>
#include <Poco/LoggingFactory.h>
#include <Poco/Message.h>
#include <Poco/NumberParser.h>

#include "logging/request_context.hpp"

namespace fieldlink::logging {
namespace {

const char* levelName(Poco::Message::Priority priority) {
  switch (priority) {
    case Poco::Message::PRIO_FATAL:
      return "fatal";
    case Poco::Message::PRIO_CRITICAL:
      return "critical";
    case Poco::Message::PRIO_ERROR:
      return "error";
    case Poco::Message::PRIO_WARNING:
      return "warning";
    case Poco::Message::PRIO_NOTICE:
      return "notice";
    case Poco::Message::PRIO_INFORMATION:
      return "information";
    case Poco::Message::PRIO_DEBUG:
      return "debug";
    case Poco::Message::PRIO_TRACE:
      return "trace";
  }
  return "information";
}

// The structured fields an access line carries (Poco 1.11 cannot list a message's fields).
constexpr const char* kIntegerFields[] = {"status", "bytes", "user_id"};
constexpr const char* kTextFields[] = {"method", "path", "remote"};

}  // namespace

void LogLineFormatter::format(const Poco::Message& message, std::string& text) {
  const std::string time =
      Poco::DateTimeFormatter::format(message.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ");
  const std::string& request_id = currentRequestId();
  if (!json_) {
    text = time + " " + levelName(message.getPriority()) + " " + message.getSource();
    if (!request_id.empty()) text += " [" + request_id + "]";
    text += ": " + message.getText();
    return;
  }
  Poco::JSON::Object line;
  line.set("time", time);
  line.set("level", levelName(message.getPriority()));
  line.set("logger", message.getSource());
  if (!request_id.empty()) line.set("request_id", request_id);
  line.set("message", message.getText());
  for (const char* field : kTextFields)
    if (message.has(field)) line.set(field, message.get(field));
  for (const char* field : kIntegerFields) {
    Poco::Int64 value = 0;
    if (message.has(field) && Poco::NumberParser::tryParse64(message.get(field), value))
      line.set(field, value);
  }
  double duration = 0;
  if (message.has("duration_ms") &&
      Poco::NumberParser::tryParseFloat(message.get("duration_ms"), duration))
    line.set("duration_ms", duration);
  std::ostringstream out;
  line.stringify(out);
  text = out.str();
}

void LogLineFormatter::setProperty(const std::string& name, const std::string& value) {
  if (name != "format") return Poco::Formatter::setProperty(name, value);
  if (value != "text" && value != "json")
    throw Poco::InvalidArgumentException("log format must be text or json, not '" + value + "'");
  json_ = value == "json";
}

std::string LogLineFormatter::getProperty(const std::string& name) const {
  if (name == "format") return json_ ? "json" : "text";
  return Poco::Formatter::getProperty(name);
}

void LogLineFormatter::registerClass() {
  Poco::LoggingFactory::defaultFactory().registerFormatterClass(
      "LogLineFormatter", new Poco::Instantiator<LogLineFormatter, Poco::Formatter>);
}

}  // namespace fieldlink::logging

#pragma once

#include <string>

#include <Poco/Formatter.h>

namespace fieldlink::logging {

// Formats log lines as text ("format" = "text", the default) or as one JSON object per line
// ("json"), with the current request id on every line written while serving a request.
// Registered with Poco's LoggingFactory as "LogLineFormatter", so the `logging.*`
// configuration selects it:
//   logging.channels.console.formatter.class = LogLineFormatter
//   logging.channels.console.formatter.format = json
class LogLineFormatter final : public Poco::Formatter {
 public:
  void format(const Poco::Message& message, std::string& text) override;
  void setProperty(const std::string& name, const std::string& value) override;
  std::string getProperty(const std::string& name) const override;

  // Makes the class known to Poco's logging configuration; call before it is read.
  static void registerClass();

 private:
  bool json_ = false;
};

}  // namespace fieldlink::logging

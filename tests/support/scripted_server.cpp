#include "support/scripted_server.hpp"

#include <stdexcept>

#include <Poco/String.h>

#include "support/server_process.hpp"
#include "support/shell.hpp"

namespace fieldlink::testing {

ScriptedServer::ScriptedServer(const std::string& script)
    : script_(std::string(FIELDLINK_SOURCE_DIR) + "/scripts/" + script), port_(freeLoopbackPort()) {
  start();
}

ScriptedServer::~ScriptedServer() {
  try {
    stop();
  } catch (const std::exception&) {
  }
}

void ScriptedServer::start() {
  std::string output;
  if (runCapturing(dir_, {script_, "start", dir_.file("server"), std::to_string(port_)}, output) !=
      0)
    throw std::runtime_error("cannot start: " + output);
  const std::string trimmed = Poco::trimRight(output);
  address_ = Poco::trim(trimmed.substr(trimmed.find_last_of('\n') + 1));
  running_ = true;
}

void ScriptedServer::stop() {
  if (!running_) return;
  std::string output;
  if (runCapturing(dir_, {script_, "stop", dir_.file("server")}, output) != 0)
    throw std::runtime_error("cannot stop: " + output);
  running_ = false;
}

}  // namespace fieldlink::testing

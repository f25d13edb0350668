#include "support/server_process.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>

#include "support/http_client.hpp"

namespace fieldlink::testing {

int freeLoopbackPort() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = probe.address().port();
  probe.close();
  return port;
}

std::map<std::string, std::string> ServerProcess::baseEnvironment() {
  return {{"FIELDLINK_AUTH_JWT_SECRET", "test-secret-0123456789abcdef0123456789abcdef"},
          {"FIELDLINK_AUTH_PBKDF2_ITERATIONS", "1000"},
          {"FIELDLINK_HTTP_ADDRESS", "127.0.0.1"},
          // The test machine's free disk is not under test (one test sets a floor).
          {"FIELDLINK_ATTACHMENTS_MIN_FREE_BYTES", "0"}};
}

ServerProcess::ServerProcess(Options options) : dir_(std::make_unique<TempDir>()) {
  data_dir_ = options.data_dir.empty() ? dir_->file("data") : options.data_dir;
  log_path_ = dir_->file("server.log");
  auto env = baseEnvironment();
  env["FIELDLINK_PLUGINS_DIR"] = options.plugins_dir;
  if (options.plugins_enabled) env["FIELDLINK_PLUGINS_ENABLED"] = *options.plugins_enabled;
  if (options.tls) {
    env["FIELDLINK_TLS_CERTIFICATE"] = options.tls->certificate_file;
    env["FIELDLINK_TLS_PRIVATE_KEY"] = options.tls->key_file;
    tls_client_ = clientContextTrusting(options.tls->certificate_file);
  }
  // On a MySQL run each server gets a database of its own, unless the test chose the store.
  if (auto server = mysqlTestServer(); server && !options.env.count("FIELDLINK_STORE_BACKEND")) {
    database_ = std::make_unique<ScratchDatabase>(*server);
    env["FIELDLINK_STORE_BACKEND"] = "mysql";
    env["FIELDLINK_STORE_MYSQL_URL"] = database_->url();
  }
  for (const auto& [k, v] : options.env) env[k] = v;
  if (options.bootstrap_dispatcher) {
    auto command_env = env;
    command_env["FIELDLINK_PASSWORD"] = kBossPassword;
    std::string output;
    if (runCommand({"--data-dir=" + data_dir_, "--create-user=boss", "--role=dispatcher"},
                   command_env, output) != 0)
      throw std::runtime_error("--create-user failed: " + output);
  }
  // The shell only redirects output to the log file (appending, so a restart keeps what
  // was logged before); exec leaves fieldlinkd as the child. The first start binds port 0
  // and the port is read from what the server prints: a port probed here and bound later
  // could be taken meanwhile by a test running beside this one, whose server would then
  // answer this test's requests.
  launch_args_ = {"-c", "exec \"$0\" \"$@\" >>\"$FL_TEST_LOG\" 2>&1", FIELDLINK_SERVER_BIN,
                  "--port=0", "--data-dir=" + data_dir_};
  launch_args_.insert(launch_args_.end(), options.extra_args.begin(), options.extra_args.end());
  env["FL_TEST_LOG"] = log_path_;
  launch_env_ = env;
  launch();
}

int ServerProcess::command(const std::vector<std::string>& args, std::string& output,
                           const std::string& stdin_text,
                           const std::map<std::string, std::string>& extra_env) const {
  auto env = launch_env_;
  for (const auto& [k, v] : extra_env) env[k] = v;
  std::vector<std::string> all{"--data-dir=" + data_dir_};
  all.insert(all.end(), args.begin(), args.end());
  return runCommand(all, env, output, stdin_text);
}

void ServerProcess::launch() {
  log_offset_ = logSize();
  Poco::Process::Env process_env(launch_env_.begin(), launch_env_.end());
  process_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
      "/bin/sh", launch_args_, dir_->path(), nullptr, nullptr, nullptr, process_env));
  stopped_ = false;
  waitUntilReady();
}

void ServerProcess::restart() {
  stop();
  // Again on the port the clients know.
  launch_args_[3] = "--port=" + std::to_string(port_);
  launch();
}

ServerProcess::~ServerProcess() {
  try {
    stop();
  } catch (...) {
  }
}

int ServerProcess::stop() {
  if (stopped_) return 0;
  stopped_ = true;
  Poco::Process::requestTermination(process_->id());
  return process_->wait();
}

void ServerProcess::crash() {
  if (stopped_) return;
  stopped_ = true;
  Poco::Process::kill(*process_);
  process_->wait();
}

void ServerProcess::signal(int signal_number) {
  if (!stopped_ && ::kill(static_cast<pid_t>(process_->id()), signal_number) != 0)
    throw std::runtime_error("could not signal fieldlinkd");
}

bool ServerProcess::running() const { return !stopped_ && Poco::Process::isRunning(*process_); }

std::uint64_t ServerProcess::logSize() const {
  std::ifstream in(log_path_, std::ios::binary | std::ios::ate);
  return in ? static_cast<std::uint64_t>(in.tellg()) : 0;
}

int ServerProcess::announcedPort() const {
  // "fieldlinkd listening on http://127.0.0.1:PORT/", printed once the socket is bound.
  static const std::string kAnnouncement = "fieldlinkd listening on ";
  const std::string all = log();
  const std::string text = all.substr(std::min<std::uint64_t>(log_offset_, all.size()));
  const auto at = text.find(kAnnouncement);
  if (at == std::string::npos) return 0;
  const auto end = text.find('/', text.find("://", at) + 3);
  const auto colon = text.rfind(':', end);
  if (end == std::string::npos || colon == std::string::npos || colon < at) return 0;
  return std::stoi(text.substr(colon + 1, end - colon - 1));
}

std::string ServerProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void ServerProcess::waitUntilReady() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    // tryWait reaps the child: isRunning would take a zombie for a running server.
    if (const int code = process_->tryWait(); code != -1) {
      stopped_ = true;
      throw std::runtime_error("fieldlinkd exited during start (" + std::to_string(code) + "):\n" +
                               log());
    }
    if (port_ == 0) port_ = announcedPort();
    if (port_ == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    try {
      const auto over = sessionTo(port_, tls_client_);
      Poco::Net::HTTPClientSession& session = *over;
      session.setTimeout(Poco::Timespan(1, 0));
      Poco::Net::HTTPRequest request("GET", "/readyz", Poco::Net::HTTPMessage::HTTP_1_1);
      session.sendRequest(request);
      Poco::Net::HTTPResponse response;
      session.receiveResponse(response);
      if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) return;
    } catch (const Poco::Exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("fieldlinkd did not become ready:\n" + log());
}

int ServerProcess::runCommand(const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& env, std::string& output,
                              const std::string& stdin_text) {
  Poco::Pipe in_pipe, out_pipe;
  Poco::Process::Env process_env(env.begin(), env.end());
  std::vector<std::string> full = {"-c", "exec \"$0\" \"$@\" 2>&1", FIELDLINK_SERVER_BIN};
  full.insert(full.end(), args.begin(), args.end());
  Poco::ProcessHandle handle =
      Poco::Process::launch("/bin/sh", full, ".", &in_pipe, &out_pipe, nullptr, process_env);
  {
    Poco::PipeOutputStream to_child(in_pipe);
    to_child << stdin_text;
  }
  in_pipe.close(Poco::Pipe::CLOSE_WRITE);
  Poco::PipeInputStream from_child(out_pipe);
  output.clear();
  Poco::StreamCopier::copyToString(from_child, output);
  return handle.wait();
}

}  // namespace fieldlink::testing

#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Process.h>

#include "support/scratch_database.hpp"
#include "support/temp_dir.hpp"
#include "support/tls_fixtures.hpp"

namespace fieldlink::testing {

// A real fieldlinkd on a loopback port of its own, with its own data folder and log file. Test
// settings: a real secret, PBKDF2 at 1000 iterations (hashing speed is not under test here).
class ServerProcess {
 public:
  struct Options {
    std::string plugins_dir = FIELDLINK_PLUGIN_DIR;
    // Sets FIELDLINK_PLUGINS_ENABLED; nothing leaves plugins.enabled to a config file.
    std::optional<std::string> plugins_enabled = "text";
    std::vector<std::string> extra_args;
    std::map<std::string, std::string> env;
    // Creates the dispatcher `boss` / kBossPassword with --create-user before starting.
    bool bootstrap_dispatcher = true;
    // Serve this data folder (a restored backup, say) instead of a fresh one of its own.
    std::string data_dir;
    // Serve HTTPS and WSS with this certificate (tls.certificate, tls.private_key).
    std::optional<TestCertificate> tls;
  };
  static constexpr const char* kBossPassword = "boss-password-1";

  ServerProcess() : ServerProcess(Options()) {}
  explicit ServerProcess(Options options);
  ~ServerProcess();  // SIGTERM, then waits

  int port() const { return port_; }
  // With Options::tls: a client context that trusts the server's certificate; else null.
  Poco::Net::Context::Ptr tlsClient() const { return tls_client_; }
  const std::string& dataDir() const { return data_dir_; }
  // On a MySQL run, the server's database; else null.
  const ScratchDatabase* database() const { return database_.get(); }
  std::string log() const;
  bool running() const;
  // Sends a signal (SIGHUP to reload the plugin list).
  void signal(int signal_number);
  // Stops with SIGTERM and returns the exit code.
  int stop();
  // Stops, then starts again on the same port and data.
  void restart();
  // Kills with SIGKILL, as a crash or a power cut would, and waits for the process to go.
  void crash();

  // Runs fieldlinkd to completion with these arguments (for one-off commands); returns the
  // exit code and puts what it printed in `output`.
  static int runCommand(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env, std::string& output,
                        const std::string& stdin_text = "");
  static std::map<std::string, std::string> baseEnvironment();
  // Runs a one-off command on this server's data and store (its environment, its data
  // folder), as an operator would beside the running server.
  int command(const std::vector<std::string>& args, std::string& output,
              const std::string& stdin_text = "",
              const std::map<std::string, std::string>& extra_env = {}) const;

 private:
  void launch();
  void waitUntilReady();
  std::uint64_t logSize() const;
  // The port the server said it listens on, in what it logged since the last launch; 0
  // until it says so.
  int announcedPort() const;

  std::unique_ptr<ScratchDatabase> database_;  // on a MySQL run: this server's database
  std::unique_ptr<TempDir> dir_;
  std::string data_dir_;
  std::string log_path_;
  int port_ = 0;  // 0 until the first start has bound one
  std::uint64_t log_offset_ = 0;
  Poco::Net::Context::Ptr tls_client_;
  std::vector<std::string> launch_args_;
  std::map<std::string, std::string> launch_env_;
  std::unique_ptr<Poco::ProcessHandle> process_;
  bool stopped_ = false;
};

int freeLoopbackPort();

}  // namespace fieldlink::testing

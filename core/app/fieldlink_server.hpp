#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Util/ServerApplication.h>

#include "app/user_commands.hpp"

namespace fieldlink {
namespace tls {
class ServerTls;
}

// fieldlinkd: reads the layered configuration (built-in defaults < config file <
// FIELDLINK_* environment < command line), then serves, or runs a one-off command.
class FieldlinkServer final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  void initialize(Poco::Util::Application& self) override;
  int main(const std::vector<std::string>& args) override;

 private:
  void printHelp() const;
  // Built-in defaults < config file < FIELDLINK_* environment, into `target`.
  void addLayers(Poco::Util::LayeredConfiguration& target) const;
  // SIGHUP: reads the layers again and makes the loaded plugins match plugins.enabled.
  void reloadPlugins(class Runtime& runtime);
  // SIGHUP with TLS on: reads the certificate and key files again.
  void reloadCertificate(tls::ServerTls& tls);
  int runUserCommand(const struct Settings& settings);
  // The config file's and --set's keys that fieldlink does not know, one line each.
  std::vector<std::string> unknownConfigKeys() const;
  int checkConfig() const;
  int serve(const struct Settings& settings);

  bool help_ = false;
  bool version_ = false;
  bool check_config_ = false;
  bool demo_ = false;
  bool demo_public_ = false;
  std::string config_file_;
  std::optional<UserCommand> user_command_;
  std::string role_;  // --role, empty when not given
  bool backup_ = false;
  std::string backup_dir_;  // empty: a dated folder of backup.dir
  std::string restore_dir_;
  std::map<std::string, std::string> command_line_;
};

}  // namespace fieldlink

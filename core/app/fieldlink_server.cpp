#include "app/fieldlink_server.hpp"

#include <cstdlib>
#include <iostream>
#include <set>

#include <Poco/AutoPtr.h>
#include <Poco/DirectoryIterator.h>
#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include "app/backup_commands.hpp"
#include "app/data_lock.hpp"
#include "app/demo_seed.hpp"
#include "app/runtime.hpp"
#include "app/settings.hpp"
#include "app/unknown_keys.hpp"
#include "domain/errors.hpp"
#include "http/front_door.hpp"
#include "http/request_dispatcher.hpp"
#include "http/routes.hpp"
#include "logging/log_line_formatter.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "tls/server_tls.hpp"
#include "util/allocator.hpp"
#include "util/build_info.hpp"

namespace fieldlink {
namespace {

using Poco::Util::Option;

// Layer priorities: a lower number wins. Poco's own command-line layer is PRIO_APPLICATION.
constexpr int kDefaultsPriority = 200;
constexpr int kEnvironmentPriority = -50;
constexpr int kCommandLinePriority = -100;  // for reloads, which have no Application layer

void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& base,
                 std::vector<std::string>& out) {
  Poco::Util::AbstractConfiguration::Keys keys;
  config.keys(base, keys);
  if (keys.empty() && !base.empty()) out.push_back(base);
  for (const auto& key : keys) collectKeys(config, base.empty() ? key : base + "." + key, out);
}

// The plugins whose FIELDLINK_PLUGINS_<NAME>_<KEY> variables count: every name of
// plugins.enabled, and every plugin file in plugins.dir, since a dispatcher may enable any of
// them at run time.
std::set<std::string> pluginNames(const std::string& enabled, const std::string& plugins_dir) {
  Poco::StringTokenizer listed(
      enabled, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  std::set<std::string> names(listed.begin(), listed.end());
  try {
    for (Poco::DirectoryIterator it(plugins_dir), end; it != end; ++it)
      if (it.path().getExtension() == "so") names.insert(it.path().getBaseName());
  } catch (const Poco::Exception&) {
    // No such folder: the start reports it when it loads the plugins.
  }
  return names;
}

// FIELDLINK_PLUGINS_<NAME>_<KEY> sets plugins.<name>.<key> for each of `names`, so a
// plugin's section can be set from the environment without a config file.
void addPluginEnvironment(const std::set<std::string>& names,
                          Poco::Util::MapConfiguration& environment) {
  for (char** variable = environ; *variable; ++variable) {
    const std::string entry(*variable);
    const auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = entry.substr(0, eq);
    for (const auto& plugin : names) {
      const std::string prefix = environmentNameOf("plugins." + plugin) + "_";
      if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0)
        environment.setString("plugins." + plugin + "." + Poco::toLower(name.substr(prefix.size())),
                              entry.substr(eq + 1));
    }
  }
}

bool isLoopback(const std::string& address) {
  Poco::Net::IPAddress ip;
  return Poco::Net::IPAddress::tryParse(address, ip) && ip.isLoopback();
}

// The loopback address of the same family as `address` (a host name counts as IPv4).
std::string loopbackOfFamily(const std::string& address) {
  Poco::Net::IPAddress ip;
  const bool ipv6 =
      Poco::Net::IPAddress::tryParse(address, ip) && ip.family() == Poco::Net::AddressFamily::IPv6;
  return ipv6 ? "::1" : "127.0.0.1";
}

// Poco's NetSSL set-up for the life of a TLS listener.
struct SslLibrary {
  SslLibrary() { Poco::Net::initializeSSL(); }
  ~SslLibrary() { Poco::Net::uninitializeSSL(); }
  SslLibrary(const SslLibrary&) = delete;
  SslLibrary& operator=(const SslLibrary&) = delete;
};

}  // namespace

void FieldlinkServer::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);
  options.addOption(Option("help", "h", "show the options and configuration keys"));
  options.addOption(Option("version", "", "show the version, commit and build, and exit"));
  options.addOption(Option("check-config", "",
                           "check the configuration (values, TLS files, unknown keys) and exit"));
  options.addOption(
      Option("config", "c", "configuration file (.properties)").argument("FILE").binding(""));
  options.addOption(Option("port", "p", "overrides http.port").argument("N"));
  options.addOption(Option("data-dir", "d", "overrides data.dir").argument("DIR"));
  options.addOption(
      Option("set", "s", "sets any key: --set=KEY=VALUE").argument("KEY=VALUE").repeatable(true));
  options.addOption(Option("demo", "",
                           "create demo accounts and an assigned request at start, and listen on "
                           "loopback only"));
  options.addOption(Option("demo-public", "",
                           "with --demo, listen on http.address all the same (the demo "
                           "passwords are public)"));
  options.addOption(Option("create-user", "",
                           "create a user (password from FIELDLINK_PASSWORD "
                           "or standard input) and exit")
                        .argument("NAME"));
  options.addOption(Option("role", "",
                           "role for --create-user (default dispatcher), or the only role "
                           "--list-users lists")
                        .argument("ROLE"));
  options.addOption(Option("list-users", "", "list the users (id, name, role, status) and exit"));
  options.addOption(Option("disable-user", "",
                           "stop a user from signing in, end their sessions and close their "
                           "connections (within ws.access_check_interval), and exit")
                        .argument("NAME"));
  options.addOption(
      Option("enable-user", "", "let a disabled user sign in again, and exit").argument("NAME"));
  options.addOption(Option("reset-password", "",
                           "set a user's password (from FIELDLINK_PASSWORD or standard input), "
                           "end their sessions, and exit")
                        .argument("NAME"));
  options.addOption(Option("backup", "",
                           "copy the database and attachments into DIR while the server may "
                           "run, and exit; without DIR, into a dated folder of backup.dir, "
                           "keeping the last backup.keep")
                        .argument("DIR", false));
  options.addOption(Option("restore", "",
                           "put a backup from DIR in place of the (stopped) server's data, "
                           "and exit")
                        .argument("DIR"));
}

void FieldlinkServer::handleOption(const std::string& name, const std::string& value) {
  ServerApplication::handleOption(name, value);
  if (name == "help") {
    help_ = true;
    stopOptionsProcessing();
  } else if (name == "version") {
    version_ = true;
    stopOptionsProcessing();
  } else if (name == "check-config") {
    check_config_ = true;
  } else if (name == "config") {
    config_file_ = value;
  } else if (name == "port") {
    command_line_["http.port"] = value;
  } else if (name == "data-dir") {
    command_line_["data.dir"] = value;
  } else if (name == "set") {
    const auto eq = value.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Poco::InvalidArgumentException("--set takes KEY=VALUE");
    command_line_[value.substr(0, eq)] = value.substr(eq + 1);
  } else if (name == "demo") {
    demo_ = true;
  } else if (name == "demo-public") {
    demo_public_ = true;
  } else if (name == "create-user") {
    user_command_ = UserCommand{UserCommandKind::Create, value, std::nullopt};
  } else if (name == "list-users") {
    user_command_ = UserCommand{UserCommandKind::List, "", std::nullopt};
  } else if (name == "disable-user") {
    user_command_ = UserCommand{UserCommandKind::Disable, value, std::nullopt};
  } else if (name == "enable-user") {
    user_command_ = UserCommand{UserCommandKind::Enable, value, std::nullopt};
  } else if (name == "reset-password") {
    user_command_ = UserCommand{UserCommandKind::ResetPassword, value, std::nullopt};
  } else if (name == "role") {
    role_ = value;
  } else if (name == "backup") {
    backup_ = true;
    backup_dir_ = value;
  } else if (name == "restore") {
    restore_dir_ = value;
  }
}

void FieldlinkServer::initialize(Poco::Util::Application& self) {
  addLayers(config());
  for (const auto& [key, value] : command_line_) config().setString(key, value);
  logging::LogLineFormatter::registerClass();  // before the logging subsystem reads logging.*
  ServerApplication::initialize(self);
}

void FieldlinkServer::addLayers(Poco::Util::LayeredConfiguration& target) const {
  Poco::AutoPtr<Poco::Util::MapConfiguration> defaults(new Poco::Util::MapConfiguration);
  for (const auto& key : settingKeys()) defaults->setString(key.key, key.default_value);
  target.add(defaults, kDefaultsPriority);

  Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file;
  if (!config_file_.empty()) {
    file = new Poco::Util::PropertyFileConfiguration(config_file_);
    target.add(file, Poco::Util::Application::PRIO_DEFAULT);
  }

  // FIELDLINK_<KEY> for every known key and every key the file mentions (plugin sections).
  std::vector<std::string> keys;
  for (const auto& key : settingKeys()) keys.emplace_back(key.key);
  if (file) collectKeys(*file, "", keys);
  Poco::AutoPtr<Poco::Util::MapConfiguration> environment(new Poco::Util::MapConfiguration);
  for (const auto& key : keys) {
    const std::string name = environmentNameOf(key);
    if (Poco::Environment::has(name)) environment->setString(key, Poco::Environment::get(name));
  }
  target.add(environment, kEnvironmentPriority);
  // --set wins over both layers; it is applied after them (initialize, reloadPlugins).
  const auto commandLineOr = [&](const std::string& key,
                                 const Poco::Util::AbstractConfiguration& layers) {
    const auto given = command_line_.find(key);
    return given != command_line_.end() ? given->second : layers.getString(key, "");
  };
  // The folder as the running application resolves it (${application.dir}).
  addPluginEnvironment(
      pluginNames(commandLineOr("plugins.enabled", target), commandLineOr("plugins.dir", config())),
      *environment);
}

void FieldlinkServer::printHelp() const {
  Poco::Util::HelpFormatter help(options());
  help.setCommand(commandName());
  help.setUsage(
      "[--config=FILE] [--port=N] [--data-dir=DIR] [--demo] [--create-user=NAME --role=ROLE | "
      "--list-users [--role=ROLE] | --disable-user=NAME | --enable-user=NAME | "
      "--reset-password=NAME | --backup[=DIR] | --restore=DIR]");
  help.setHeader("fieldlink server: chat between clients and field technicians.");
  help.format(std::cout);
  std::cout << "\nConfiguration keys (config file, then FIELDLINK_* environment, then --set):\n";
  for (const auto& key : settingKeys())
    std::cout << "  " << key.key << " = " << key.default_value << "\n      " << key.description
              << " [" << environmentNameOf(key.key) << "]\n";
}

int FieldlinkServer::main(const std::vector<std::string>&) {
  if (help_) {
    printHelp();
    return EXIT_OK;
  }
  if (version_) {
    std::cout << versionText();
    return EXIT_OK;
  }
  Settings settings;
  try {
    settings = Settings::from(config());
    // Unusable certificate files are a configuration error, reported before anything starts.
    if (settings.tls.enabled())
      tls::CertificatePair::load(settings.tls.certificate_file, settings.tls.key_file);
    if (check_config_) return checkConfig();
    Poco::File(settings.data_dir).createDirectories();
  } catch (const Poco::Exception& e) {
    std::cerr << "fieldlinkd: configuration error: " << e.message() << std::endl;
    return EXIT_CONFIG;
  }
  try {
    if (user_command_) return runUserCommand(settings);
    if (backup_) {
      if (backup_dir_.empty())
        backupRotating(settings, std::cout);
      else
        backupTo(settings, backup_dir_, std::cout);
      return EXIT_OK;
    }
    if (!restore_dir_.empty()) {
      restoreFrom(settings, restore_dir_, std::cout);
      return EXIT_OK;
    }
    return serve(settings);
  } catch (const ApiError& e) {
    std::cerr << "fieldlinkd: " << e.what() << std::endl;
    return EXIT_DATAERR;
  } catch (const Poco::Exception& e) {
    std::cerr << "fieldlinkd: " << e.displayText() << std::endl;
    return EXIT_SOFTWARE;
  } catch (const std::exception& e) {
    std::cerr << "fieldlinkd: " << e.what() << std::endl;
    return EXIT_SOFTWARE;
  }
}

std::vector<std::string> FieldlinkServer::unknownConfigKeys() const {
  std::vector<std::string> given;
  if (!config_file_.empty()) {
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(
        new Poco::Util::PropertyFileConfiguration(config_file_));
    collectKeys(*file, "", given);
  }
  for (const auto& [key, value] : command_line_) given.push_back(key);
  return unknownKeys(given);
}

// --check-config, once the values have been read and checked: what remains to say is the
// keys that nothing reads.
int FieldlinkServer::checkConfig() const {
  const auto unknown = unknownConfigKeys();
  for (const auto& line : unknown) std::cerr << "fieldlinkd: warning: " << line << std::endl;
  std::cout << "fieldlinkd: configuration OK";
  if (!unknown.empty())
    std::cout << " (" << unknown.size() << (unknown.size() == 1 ? " warning)" : " warnings)");
  std::cout << std::endl;
  return EXIT_OK;
}

int FieldlinkServer::runUserCommand(const Settings& settings) {
  UserCommand command = *user_command_;
  if (!role_.empty()) {
    command.role = parseRole(role_);
    if (!command.role) {
      std::cerr << "fieldlinkd: --role must be client, technician or dispatcher" << std::endl;
      return EXIT_USAGE;
    }
  }
  Runtime runtime(settings, config());
  fieldlink::runUserCommand(
      runtime.accounts(), command, [] { return passwordFromEnvironmentOr(std::cin); }, std::cout);
  return EXIT_OK;
}

int FieldlinkServer::serve(const Settings& settings) {
  // Blocked before any thread starts, so every thread inherits the mask and these signals
  // reach only the sigwait() below.
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal_number : {SIGHUP, SIGINT, SIGQUIT, SIGTERM}) sigaddset(&signals, signal_number);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // OpenSSL writes to sockets without MSG_NOSIGNAL: a client gone mid-answer must cost an
  // error return, not the process.
  signal(SIGPIPE, SIG_IGN);

  // One server per SQLite file; MySQL nodes share their database by design.
  std::optional<DataLock> lock;
  if (!settings.mysql) lock.emplace(settings.database_path);
  // Before the runtime, so that they outlive the hub's connections and their TLS sessions.
  std::unique_ptr<SslLibrary> ssl_library;
  std::unique_ptr<tls::ServerTls> tls;
  if (settings.tls.enabled()) {
    ssl_library = std::make_unique<SslLibrary>();
    tls = std::make_unique<tls::ServerTls>(settings.tls);
  }
  Runtime runtime(settings, config());
  runtime.loadPlugins();
  runtime.startHub();
  runtime.startHousekeeping();

  Router router = makeRoutes(runtime.services());
  const RequestDispatcher dispatcher(router, runtime.services());
  // The demo's accounts have published passwords, a dispatcher among them: only this
  // machine may use them, unless the operator says otherwise.
  std::string address = settings.http_address;
  const bool demo_on_loopback = demo_ && !demo_public_ && !isLoopback(address);
  if (demo_on_loopback) address = loopbackOfFamily(address);
  FrontDoorSettings front;
  front.address = Poco::Net::SocketAddress(address, static_cast<Poco::UInt16>(settings.http_port));
  front.backlog = settings.http_queue;
  front.reactor_threads = settings.ws.reactor_threads;
  front.handler_threads = settings.http_threads;
  front.upload_threads = settings.http_upload_threads;
  front.max_connections = settings.max_connections;
  front.max_connections_per_address = settings.max_connections_per_address;
  front.limits.max_header_bytes = settings.max_header_bytes;
  front.limits.max_headers = settings.max_headers;
  front.limits.max_body_bytes = settings.max_body_bytes;
  // An upload's parts around the file: the form's other fields and the part headers.
  front.limits.max_upload_bytes =
      static_cast<std::uint64_t>(settings.attachments_max_bytes) + (1 << 20);
  front.limits.upload_paths = uploadPaths();
  front.limits.spool_dir = settings.data_dir + "/spool";
  Poco::File(front.limits.spool_dir).createDirectories();
  front.timeouts = settings.timeouts;
  if (tls) logger().information("TLS on: %s", tls->certificateDescription());
  FrontDoor door(front, dispatcher, tls ? tls->context()->sslContext() : nullptr,
                 settings.trusted_proxies, &runtime.services().metrics.http_deadline_closes);
  const std::string host = address == "0.0.0.0" ? "127.0.0.1" : address;
  const std::string url = std::string(tls ? "https://" : "http://") + host + ":" +
                          std::to_string(door.address().port()) + "/";
  // Seeded before the first request is served, so the demo accounts exist once it answers.
  if (demo_) std::cout << seedDemo(runtime, url) << std::flush;
  if (demo_on_loopback) {
    const std::string why = "--demo: listening on " + address + " only (not " +
                            settings.http_address +
                            "): the demo passwords are public; --demo-public listens as configured";
    std::cout << why << std::endl;
    logger().warning(why);
  }
  auto& metrics = runtime.services().metrics;
  metrics.open_connections = [&door] { return door.openConnections(); };
  door.start();
  std::cout << "fieldlinkd listening on " << url << std::endl;
  logger().information("listening on %s", door.address().toString());
  logger().information("fieldlinkd %s (git %s)", buildInfo().version, buildInfo().commit);
  for (const auto& line : unknownConfigKeys()) logger().warning("configuration: %s", line);
  logger().information("memory allocator: %s", allocatorDescription());
  if (!settings.mysql)
    logger().information("SQLite %s, connection mutexes %s", std::string(sqlite3_libversion()),
                         std::string(sqlite::SqliteStore::connectionMutexesOff()
                                         ? "off"
                                         : "on (SQLite was in use before the store)"));

  for (;;) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) continue;
    if (received != SIGHUP) break;
    reloadPlugins(runtime);
    if (tls) reloadCertificate(*tls);
  }
  logger().information("shutting down");
  // The front door closes its connections before the runtime goes; nothing reads the
  // connection gauge after it (scrapes come through the front door).
  return EXIT_OK;
}

void FieldlinkServer::reloadCertificate(tls::ServerTls& tls) {
  try {
    tls.reloadCertificate();
    logger().notice("SIGHUP: TLS certificate reloaded: %s", tls.certificateDescription());
  } catch (const Poco::Exception& e) {
    logger().error("SIGHUP: TLS certificate not reloaded, the current one stays: %s",
                   e.displayText());
  }
}

void FieldlinkServer::reloadPlugins(Runtime& runtime) {
  logger().notice("SIGHUP: reloading the plugin list from the configuration");
  std::vector<std::string> enabled;
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> fresh(new Poco::Util::LayeredConfiguration);
  try {
    addLayers(*fresh);
    Poco::AutoPtr<Poco::Util::MapConfiguration> command_line(new Poco::Util::MapConfiguration);
    for (const auto& [key, value] : command_line_) command_line->setString(key, value);
    fresh->add(command_line, kCommandLinePriority);
    enabled = enabledPlugins(*fresh);
  } catch (const Poco::Exception& e) {
    logger().error("configuration not reloaded, plugins unchanged: %s", e.displayText());
    return;
  }
  runtime.plugins().apply(enabled, *fresh);
}

}  // namespace fieldlink

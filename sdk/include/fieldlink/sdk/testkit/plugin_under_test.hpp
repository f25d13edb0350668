#pragma once

// Loads a built plugin .so for the plugin's own tests, with the checks the server makes at
// load: the manifest's API version and name, and the build record. Header-only; the test
// links Boost::filesystem and ${CMAKE_DL_LIBS} for Boost.DLL.

#include <memory>
#include <stdexcept>
#include <string>

#include <boost/dll/shared_library.hpp>

#include "fieldlink/sdk/plugin.hpp"

namespace fieldlink::sdk::testkit {

class PluginUnderTest {
 public:
  // Throws std::runtime_error saying what does not match.
  PluginUnderTest(const std::string& so_path, const std::string& name)
      : library_(so_path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local) {
    if (!library_.has("fieldlink_plugin") || !library_.has("fieldlink_plugin_build"))
      throw std::runtime_error(so_path + " is not a fieldlink plugin: use FIELDLINK_PLUGIN");
    const auto& manifest = library_.get_alias<const PluginManifest>("fieldlink_plugin");
    if (manifest.api_version != kApiVersion)
      throw std::runtime_error(so_path + " is built for SDK API version " +
                               std::to_string(manifest.api_version));
    if (!manifest.name || name != manifest.name)
      throw std::runtime_error(so_path + " declares another name than " + name);
    const auto& built = library_.get_alias<const BuildRecord>("fieldlink_plugin_build");
    if (std::string(built.compiler) != kThisBuild.compiler ||
        std::string(built.stdlib) != kThisBuild.stdlib)
      throw std::runtime_error(so_path + " is built with another compiler or library");
    plugin_ = manifest.create();
    if (!plugin_) throw std::runtime_error(so_path + ": the factory returned nothing");
  }
  ~PluginUnderTest() { plugin_.reset(); }  // before the library holding its code
  PluginUnderTest(const PluginUnderTest&) = delete;
  PluginUnderTest& operator=(const PluginUnderTest&) = delete;

  Plugin& operator*() const { return *plugin_; }
  Plugin* operator->() const { return plugin_.get(); }

 private:
  boost::dll::shared_library library_;
  std::shared_ptr<Plugin> plugin_;
};

}  // namespace fieldlink::sdk::testkit

#pragma once

#include <set>
#include <string>
#include <vector>

namespace Poco {
class Logger;
}

namespace relais {

class Plugin;

/// A plugin that passed every check, in dependency order.
struct LoadedPlugin {
    std::string name;
    std::string version;
    std::string description;
    std::string path;
    std::vector<std::string> dependencies;
    Plugin* plugin = nullptr;  ///< owned by the host, never destroyed (the library stays loaded)
};

/// A library of the plugins folder that was not loaded, and why.
struct SkippedPlugin {
    std::string name;  ///< the manifest name when it could be read, else the file name
    std::string path;
    std::string reason;
};

/// Loads the plugins of a folder with Boost.DLL. For each library file: the ABI version is read
/// from the file's exported symbol names before it is loaded (so no code of a plugin built for
/// another ABI runs, not even its static initialisers), then checked again from its value once
/// loaded; then the manifest is read, dependencies are resolved and the plugins are ordered so
/// that a plugin comes after those it depends on. A plugin that fails a check is logged and
/// skipped, with every plugin that depends on it; the others load. Libraries are never unloaded.
class PluginHost {
public:
    explicit PluginHost(Poco::Logger& log) : log_(log) {}

    /// Loads every "*.so" of `dir`. A missing folder means no plugins. Call once.
    void loadAll(const std::string& dir);
    /// Marks a loaded plugin as skipped (its settings or registration failed), together with
    /// the plugins that depend on it. Returns the names skipped.
    std::vector<std::string> skip(const std::string& name, const std::string& reason);

    const std::vector<LoadedPlugin>& loaded() const { return loaded_; }
    const std::vector<SkippedPlugin>& skipped() const { return skipped_; }
    /// Names of skipped plugins, whose configuration keys are then tolerated.
    std::set<std::string> skippedNames() const;

private:
    Poco::Logger& log_;
    std::vector<LoadedPlugin> loaded_;
    std::vector<SkippedPlugin> skipped_;
};

}  // namespace relais

#pragma once

#include <cstdint>

namespace relais {

class ConfigSchema;
class Kernel;

/// A product module loaded at start-up from the plugins folder. The host calls, in order:
/// declareSettings (before the configuration is validated), registerWith (after the module's
/// migrations ran), and stop (at shutdown, before the kernel stops). Plugins are never
/// unloaded, so objects they create may live until the process ends.
class Plugin {
public:
    virtual ~Plugin() = default;
    /// Declares the plugin's configuration keys, named "<plugin>.<key>".
    virtual void declareSettings(ConfigSchema& schema) {}
    /// Adds routes, jobs, event subscribers and middleware. Throwing skips the plugin.
    virtual void registerWith(Kernel& kernel) = 0;
    /// The server is stopping: stop background work. Must not throw.
    virtual void stop() {}
};

/// What a plugin says about itself, read by the host after the ABI check and before creating
/// it. Plain C types, so that it can be read without running plugin code.
struct PluginManifest {
    const char* name;     ///< the module name: [a-z][a-z0-9_]*
    const char* version;  ///< semantic version, "1.2.0"
    const char* description;
    const char* const* dependencies;  ///< other plugins' names, nullptr-terminated; or nullptr
};

}  // namespace relais

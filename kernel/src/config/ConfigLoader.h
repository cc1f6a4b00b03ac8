#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "relais/Config.h"

namespace relais {

/// Builds the Config from its layers: declared defaults, then the properties file, then
/// RELAIS_* environment variables, then command-line overrides. Keeps where each value came
/// from, so that every error names its file and line, variable or option.
class ConfigLoader {
public:
    /// Reads a properties file: `key = value` lines, `#` or `!` comments, a trailing backslash
    /// continues a line. Throws ConfigError for an unreadable file, a malformed line or a key
    /// given twice.
    void loadFile(const std::string& path);
    /// Takes every RELAIS_* variable of `environ`.
    void loadEnvironment(char** environ);
    /// A command-line `--set key=value`.
    void setOverride(const std::string& key, const std::string& value, const std::string& source);

    /// The raw value of a key from the layers, before validation (for keys needed to find the
    /// rest of the schema, such as plugins.dir).
    std::optional<std::string> peek(const std::string& key) const;

    /// Checks every value against the schema. Unknown keys are errors, except those under a
    /// prefix in `toleratedPrefixes` (plugins found but skipped), which become warnings.
    /// Throws ConfigError with a message naming the source, the key and what was expected.
    /// With `tolerateUnknown`, unknown keys are ignored altogether (the first pass, which only
    /// needs the kernel's keys to set up logging before plugins load).
    Config validate(const ConfigSchema& schema, const std::set<std::string>& toleratedPrefixes,
                    std::vector<std::string>* warnings, bool tolerateUnknown = false) const;

    /// RELAIS_HTTP_PORT for http.port.
    static std::string environmentName(const std::string& key);

private:
    struct Raw {
        std::string value;
        std::string source;
    };
    std::map<std::string, Raw> file_;
    std::map<std::string, Raw> environment_;  // by variable name
    std::map<std::string, Raw> overrides_;
};

}  // namespace relais

#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace relais {

/// The type a setting's value must have; checked once, at start-up.
enum class SettingType { String, Integer, Boolean, Enum, List };

/// One configuration key: its type, default and meaning. Every key the kernel or a plugin reads
/// is declared once, and documented with the same default in config/relais.properties.
struct Setting {
    std::string key;
    SettingType type = SettingType::String;
    std::string defaultValue;
    std::string description;
    std::int64_t min = std::numeric_limits<std::int64_t>::min();
    std::int64_t max = std::numeric_limits<std::int64_t>::max();
    std::vector<std::string> choices;  ///< allowed values of an Enum
    bool secret = false;               ///< never printed, never logged
};

/// The set of known keys. The kernel declares its own; each plugin declares its own in
/// Plugin::declareSettings, under its own name (`wesend.max_upload_bytes`).
class ConfigSchema {
public:
    /// Adds a key. Throws std::logic_error if the key is already declared.
    void add(Setting setting);
    void addString(std::string key, std::string def, std::string description, bool secret = false);
    void addInt(std::string key, std::int64_t def, std::int64_t min, std::int64_t max,
                std::string description);
    void addBool(std::string key, bool def, std::string description);
    void addEnum(std::string key, std::string def, std::vector<std::string> choices,
                 std::string description);
    void addList(std::string key, std::string def, std::string description);

    /// The setting of that key, or nullptr.
    const Setting* find(const std::string& key) const;
    const std::vector<Setting>& settings() const { return settings_; }

private:
    std::vector<Setting> settings_;
    std::map<std::string, std::size_t> index_;
};

/// A start-up configuration error. Its message names where the value came from (file and line,
/// environment variable or command line), the key, and what was expected. relaisd prints it
/// and exits with code 2.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The validated, immutable configuration: defaults, then the file, then RELAIS_* environment
/// variables, then the command line. Thread-safe to read. Asking for an undeclared key is a
/// programming error and throws std::logic_error.
class Config {
public:
    Config() = default;

    const std::string& getString(const std::string& key) const;
    std::int64_t getInt(const std::string& key) const;
    bool getBool(const std::string& key) const;
    /// A comma-separated value, trimmed, without empty items.
    std::vector<std::string> getList(const std::string& key) const;

    /// True when the value was set by the file, the environment or the command line.
    bool isSet(const std::string& key) const;
    /// Where the value came from, for messages: "config/relais.properties:12", "RELAIS_HTTP_PORT".
    std::string sourceOf(const std::string& key) const;

    /// Every key with its value as text, secrets replaced by "(secret)"; for the start-up log.
    std::vector<std::pair<std::string, std::string>> printable() const;

    /// Builds a configuration from explicit values, for tests and tools: every key of the schema
    /// takes its default unless given. Throws ConfigError like the loader does.
    static Config fromValues(const ConfigSchema& schema,
                             const std::map<std::string, std::string>& values);

private:
    friend class ConfigLoader;
    struct Entry {
        std::string text;
        std::int64_t integer = 0;
        bool boolean = false;
        std::string source;
        bool secret = false;
        bool set = false;
    };
    const Entry& entry(const std::string& key) const;
    std::map<std::string, Entry> entries_;
};

}  // namespace relais

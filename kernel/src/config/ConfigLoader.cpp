#include "config/ConfigLoader.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace relais {

namespace {

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
        ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
        --e;
    return s.substr(b, e - b);
}

bool validKeyName(const std::string& key) {
    if (key.empty() || key.front() == '.' || key.back() == '.')
        return false;
    for (char c : key)
        if (!(std::islower(static_cast<unsigned char>(c)) ||
              std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '.'))
            return false;
    return true;
}

std::string quoted(const std::string& v) {
    std::string out = "\"";
    for (char c : v) {
        if (static_cast<unsigned char>(c) < 0x20)
            out += '?';
        else
            out += c;
    }
    return out + "\"";
}

std::string expectation(const Setting& s) {
    switch (s.type) {
        case SettingType::Integer:
            return "an integer from " + std::to_string(s.min) + " to " + std::to_string(s.max);
        case SettingType::Boolean:
            return "true or false";
        case SettingType::Enum: {
            std::string out = "one of ";
            for (std::size_t i = 0; i < s.choices.size(); ++i)
                out += (i ? ", " : "") + s.choices[i];
            return out;
        }
        case SettingType::List:
            return "a comma-separated list";
        case SettingType::String:
            return "a string";
    }
    return "a value";
}

bool parseInteger(const std::string& text, std::int64_t& out) {
    if (text.empty() || text.size() > 20)
        return false;
    std::size_t i = text[0] == '-' ? 1 : 0;
    if (i == text.size())
        return false;
    for (std::size_t j = i; j < text.size(); ++j)
        if (!std::isdigit(static_cast<unsigned char>(text[j])))
            return false;
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (errno == ERANGE || *end != '\0')
        return false;
    out = v;
    return true;
}

}  // namespace

std::string ConfigLoader::environmentName(const std::string& key) {
    std::string out = "RELAIS_";
    for (char c : key)
        out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

void ConfigLoader::loadFile(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw ConfigError(path + ": cannot read the configuration file (" + std::strerror(errno) +
                          ")");
    std::string line, pending;
    int lineNo = 0, startLine = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        // Java properties: a continued line keeps what precedes the backslash, and the next
        // line loses its leading blanks.
        std::string t = trim(line);
        if (pending.empty()) {
            if (t.empty() || t[0] == '#' || t[0] == '!')
                continue;
            startLine = lineNo;
        }
        if (!t.empty() && t.back() == '\\') {
            std::string kept = line.substr(0, line.rfind('\\'));
            kept.erase(0, kept.find_first_not_of(" \t"));
            pending += kept;
            continue;
        }
        pending += t;
        std::string whole = pending;
        pending.clear();
        const std::string where = path + ":" + std::to_string(startLine);
        auto eq = whole.find('=');
        if (eq == std::string::npos)
            throw ConfigError(where + ": expected 'key = value', got " + quoted(whole));
        std::string key = trim(whole.substr(0, eq));
        std::string value = trim(whole.substr(eq + 1));
        if (!validKeyName(key))
            throw ConfigError(where + ": " + quoted(key) +
                              " is not a valid key name (a-z, 0-9, '_' and '.')");
        if (file_.count(key))
            throw ConfigError(where + ": " + key + " is already set at " + file_[key].source);
        file_[key] = Raw{value, where};
    }
    if (!pending.empty())
        throw ConfigError(path + ":" + std::to_string(startLine) +
                          ": the file ends inside a continued line");
}

void ConfigLoader::loadEnvironment(char** environ) {
    for (char** e = environ; e && *e; ++e) {
        const char* entry = *e;
        if (std::strncmp(entry, "RELAIS_", 7) != 0)
            continue;
        const char* eq = std::strchr(entry, '=');
        if (!eq)
            continue;
        std::string name(entry, eq);
        environment_[name] = Raw{std::string(eq + 1), "environment variable " + name};
    }
}

void ConfigLoader::setOverride(const std::string& key, const std::string& value,
                               const std::string& source) {
    overrides_[key] = Raw{value, source};
}

std::optional<std::string> ConfigLoader::peek(const std::string& key) const {
    if (auto it = overrides_.find(key); it != overrides_.end())
        return it->second.value;
    if (auto it = environment_.find(environmentName(key)); it != environment_.end())
        return it->second.value;
    if (auto it = file_.find(key); it != file_.end())
        return it->second.value;
    return std::nullopt;
}

Config ConfigLoader::validate(const ConfigSchema& schema,
                              const std::set<std::string>& toleratedPrefixes,
                              std::vector<std::string>* warnings, bool tolerateUnknown) const {
    auto tolerated = [&](const std::string& key) {
        if (tolerateUnknown)
            return true;
        auto dot = key.find('.');
        return dot != std::string::npos && toleratedPrefixes.count(key.substr(0, dot)) > 0;
    };
    auto unknown = [&](const std::string& key, const Raw& raw) {
        if (tolerated(key)) {
            if (warnings && !tolerateUnknown)
                warnings->push_back(raw.source + ": " + key +
                                    " belongs to a plugin that was not loaded; ignored");
            return;
        }
        throw ConfigError(raw.source + ": unknown key '" + key + "'");
    };

    // Unknown keys first, in every layer: a typo must never fall back to a default silently.
    std::map<std::string, std::string> envToKey;
    for (const auto& s : schema.settings())
        envToKey[environmentName(s.key)] = s.key;
    for (const auto& [key, raw] : file_)
        if (!schema.find(key))
            unknown(key, raw);
    for (const auto& [name, raw] : environment_)
        if (!envToKey.count(name)) {
            // Map the variable back to a key only to name it in the message.
            std::string guess;
            for (char c : name.substr(7))
                guess +=
                    c == '_' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (tolerated(guess))
                continue;
            throw ConfigError(raw.source + ": no configuration key is named by this variable");
        }
    for (const auto& [key, raw] : overrides_)
        if (!schema.find(key))
            unknown(key, raw);

    Config config;
    for (const auto& s : schema.settings()) {
        Config::Entry e;
        e.secret = s.secret;
        e.text = s.defaultValue;
        e.source = "default";
        const Raw* chosen = nullptr;
        if (auto it = overrides_.find(s.key); it != overrides_.end())
            chosen = &it->second;
        else if (auto it = environment_.find(environmentName(s.key)); it != environment_.end())
            chosen = &it->second;
        else if (auto it = file_.find(s.key); it != file_.end())
            chosen = &it->second;
        if (chosen) {
            e.text = chosen->value;
            e.source = chosen->source;
            e.set = true;
        }
        auto fail = [&]() -> ConfigError {
            std::string got = s.secret ? "(a secret value)" : quoted(e.text);
            std::string where = chosen ? chosen->source + ": " : std::string("default of ");
            return ConfigError(where + s.key + ": expected " + expectation(s) + ", got " + got);
        };
        switch (s.type) {
            case SettingType::Integer:
                if (!parseInteger(e.text, e.integer) || e.integer < s.min || e.integer > s.max)
                    throw fail();
                break;
            case SettingType::Boolean:
                if (e.text == "true")
                    e.boolean = true;
                else if (e.text == "false")
                    e.boolean = false;
                else
                    throw fail();
                break;
            case SettingType::Enum: {
                bool ok = false;
                for (const auto& c : s.choices)
                    ok = ok || c == e.text;
                if (!ok)
                    throw fail();
                break;
            }
            case SettingType::String:
            case SettingType::List:
                for (char c : e.text)
                    if (c == '\0' || c == '\n' || c == '\r')
                        throw fail();
                break;
        }
        config.entries_[s.key] = std::move(e);
    }
    return config;
}

}  // namespace relais

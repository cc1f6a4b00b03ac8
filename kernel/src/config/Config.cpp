#include "relais/Config.h"

#include <stdexcept>

#include "config/ConfigLoader.h"

namespace relais {

const Config::Entry& Config::entry(const std::string& key) const {
    auto it = entries_.find(key);
    if (it == entries_.end())
        throw std::logic_error("undeclared configuration key: " + key);
    return it->second;
}

const std::string& Config::getString(const std::string& key) const {
    return entry(key).text;
}
std::int64_t Config::getInt(const std::string& key) const {
    return entry(key).integer;
}
bool Config::getBool(const std::string& key) const {
    return entry(key).boolean;
}
bool Config::isSet(const std::string& key) const {
    return entry(key).set;
}
std::string Config::sourceOf(const std::string& key) const {
    return entry(key).source;
}

std::vector<std::string> Config::getList(const std::string& key) const {
    std::vector<std::string> out;
    const std::string& text = entry(key).text;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos)
            comma = text.size();
        std::string item = text.substr(start, comma - start);
        std::size_t b = item.find_first_not_of(" \t");
        std::size_t e = item.find_last_not_of(" \t");
        if (b != std::string::npos)
            out.push_back(item.substr(b, e - b + 1));
        start = comma + 1;
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> Config::printable() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, e] : entries_)
        out.emplace_back(key, e.secret && !e.text.empty() ? "(secret)" : e.text);
    return out;
}

Config Config::fromValues(const ConfigSchema& schema,
                          const std::map<std::string, std::string>& values) {
    ConfigLoader loader;
    for (const auto& [k, v] : values)
        loader.setOverride(k, v, "value " + k);
    return loader.validate(schema, {}, nullptr);
}

}  // namespace relais

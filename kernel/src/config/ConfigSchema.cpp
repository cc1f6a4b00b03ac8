#include "relais/Config.h"

#include <stdexcept>

namespace relais {

void ConfigSchema::add(Setting setting) {
    if (index_.count(setting.key))
        throw std::logic_error("configuration key declared twice: " + setting.key);
    index_[setting.key] = settings_.size();
    settings_.push_back(std::move(setting));
}

void ConfigSchema::addString(std::string key, std::string def, std::string description,
                             bool secret) {
    Setting s;
    s.key = std::move(key);
    s.type = SettingType::String;
    s.defaultValue = std::move(def);
    s.description = std::move(description);
    s.secret = secret;
    add(std::move(s));
}

void ConfigSchema::addInt(std::string key, std::int64_t def, std::int64_t min, std::int64_t max,
                          std::string description) {
    Setting s;
    s.key = std::move(key);
    s.type = SettingType::Integer;
    s.defaultValue = std::to_string(def);
    s.description = std::move(description);
    s.min = min;
    s.max = max;
    add(std::move(s));
}

void ConfigSchema::addBool(std::string key, bool def, std::string description) {
    Setting s;
    s.key = std::move(key);
    s.type = SettingType::Boolean;
    s.defaultValue = def ? "true" : "false";
    s.description = std::move(description);
    add(std::move(s));
}

void ConfigSchema::addEnum(std::string key, std::string def, std::vector<std::string> choices,
                           std::string description) {
    Setting s;
    s.key = std::move(key);
    s.type = SettingType::Enum;
    s.defaultValue = std::move(def);
    s.choices = std::move(choices);
    s.description = std::move(description);
    add(std::move(s));
}

void ConfigSchema::addList(std::string key, std::string def, std::string description) {
    Setting s;
    s.key = std::move(key);
    s.type = SettingType::List;
    s.defaultValue = std::move(def);
    s.description = std::move(description);
    add(std::move(s));
}

const Setting* ConfigSchema::find(const std::string& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &settings_[it->second];
}

}  // namespace relais

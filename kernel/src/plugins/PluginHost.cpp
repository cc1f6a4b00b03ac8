#include "plugins/PluginHost.h"

#include <Poco/Logger.h>

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "relais/Plugin.h"
#include "relais/Version.h"

namespace relais {

namespace {

// Loaded libraries live until the process ends: objects their code created may outlive any
// owner, so they are deliberately never destroyed (not even by static destructors at exit).
std::vector<boost::dll::shared_library>& libraries() {
    static auto* keep = new std::vector<boost::dll::shared_library>();
    return *keep;
}

// The plugin objects, likewise: never destroyed, always reachable.
std::vector<std::unique_ptr<Plugin>>& instances() {
    static auto* keep = new std::vector<std::unique_ptr<Plugin>>();
    return *keep;
}

bool validName(const std::string& n) {
    if (n.empty() || n.size() > 32 || !(n[0] >= 'a' && n[0] <= 'z'))
        return false;
    return std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

const std::string kAbiPrefix = "relais_plugin_abi_v";

}  // namespace

void PluginHost::loadAll(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        log_.information("no plugins folder at %s; starting with the kernel only", dir);
        return;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".so")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());

    struct Candidate {
        LoadedPlugin info;
        Plugin* (*create)() = nullptr;
    };
    std::map<std::string, Candidate> candidates;
    const std::string wanted = kAbiPrefix + std::to_string(kPluginAbiVersion);

    for (const auto& file : files) {
        const std::string path = file.string();
        auto refuse = [&](const std::string& name, const std::string& reason) {
            log_.error("plugin %s skipped: %s", path, reason);
            skipped_.push_back({name, path, reason});
        };
        // 1. The ABI, from the symbol table, before loading anything.
        std::vector<std::string> symbols;
        try {
            boost::dll::library_info info{boost::dll::fs::path(path)};
            symbols = info.symbols("boostdll");
        } catch (const std::exception& e) {
            refuse(file.stem().string(), std::string("not a readable plugin library: ") + e.what());
            continue;
        }
        if (std::find(symbols.begin(), symbols.end(), wanted) == symbols.end()) {
            std::string found = "none";
            for (const auto& s : symbols)
                if (s.rfind(kAbiPrefix, 0) == 0)
                    found = s.substr(kAbiPrefix.size());
            refuse(file.stem().string(), "built for plugin ABI " + found +
                                             ", this relaisd has ABI " +
                                             std::to_string(kPluginAbiVersion));
            continue;
        }
        // 2. Load it, check the ABI value, read the manifest.
        Candidate c;
        try {
            boost::dll::shared_library lib(boost::dll::fs::path(path),
                                           boost::dll::load_mode::rtld_now);
            const std::uint32_t abi = lib.get_alias<const std::uint32_t>(wanted);
            if (abi != kPluginAbiVersion) {
                refuse(file.stem().string(), "its ABI symbol says " + std::to_string(abi));
                continue;
            }
            const PluginManifest& m = lib.get_alias<const PluginManifest>("relais_plugin_manifest");
            c.create = &lib.get_alias<Plugin*()>("relais_plugin_create");
            c.info.name = m.name ? m.name : "";
            c.info.version = m.version ? m.version : "";
            c.info.description = m.description ? m.description : "";
            c.info.path = path;
            for (const char* const* d = m.dependencies; d && *d; ++d)
                c.info.dependencies.emplace_back(*d);
            libraries().push_back(std::move(lib));
        } catch (const std::exception& e) {
            refuse(file.stem().string(), std::string("cannot be loaded: ") + e.what());
            continue;
        }
        if (!validName(c.info.name)) {
            refuse(file.stem().string(),
                   "its manifest name '" + c.info.name + "' is not [a-z][a-z0-9_]*");
            continue;
        }
        if (candidates.count(c.info.name)) {
            refuse(c.info.name, "a plugin named " + c.info.name + " is already loaded from " +
                                    candidates[c.info.name].info.path);
            continue;
        }
        candidates[c.info.name] = std::move(c);
    }

    // 3. Dependencies: drop what cannot be satisfied, repeatedly, then order topologically.
    for (bool changed = true; changed;) {
        changed = false;
        for (auto it = candidates.begin(); it != candidates.end();) {
            std::string missing;
            for (const auto& d : it->second.info.dependencies)
                if (!candidates.count(d))
                    missing = d;
            if (missing.empty()) {
                ++it;
                continue;
            }
            const std::string reason = "depends on '" + missing + "', which is not loaded";
            log_.error("plugin %s skipped: %s", it->second.info.path, reason);
            skipped_.push_back({it->first, it->second.info.path, reason});
            it = candidates.erase(it);
            changed = true;
        }
    }
    std::set<std::string> placed;
    while (!candidates.empty()) {
        bool progress = false;
        for (auto it = candidates.begin(); it != candidates.end();) {
            const auto& deps = it->second.info.dependencies;
            if (std::all_of(deps.begin(), deps.end(),
                            [&](const std::string& d) { return placed.count(d) > 0; })) {
                LoadedPlugin info = it->second.info;
                try {
                    info.plugin = it->second.create();
                    instances().emplace_back(info.plugin);
                } catch (const std::exception& e) {
                    log_.error("plugin %s skipped: its factory failed: %s", info.path,
                               std::string(e.what()));
                    skipped_.push_back(
                        {info.name, info.path, std::string("factory failed: ") + e.what()});
                    it = candidates.erase(it);
                    progress = true;
                    continue;
                }
                placed.insert(info.name);
                log_.information("plugin %s %s loaded from %s", info.name, info.version, info.path);
                loaded_.push_back(std::move(info));
                it = candidates.erase(it);
                progress = true;
            } else {
                ++it;
            }
        }
        if (!progress) {
            for (const auto& [name, c] : candidates) {
                log_.error("plugin %s skipped: its dependencies form a cycle", c.info.path);
                skipped_.push_back({name, c.info.path, "its dependencies form a cycle"});
            }
            break;
        }
    }
}

std::vector<std::string> PluginHost::skip(const std::string& name, const std::string& reason) {
    std::vector<std::string> gone{name};
    std::set<std::string> goneSet{name};
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& p : loaded_) {
            if (goneSet.count(p.name))
                continue;
            for (const auto& d : p.dependencies)
                if (goneSet.count(d)) {
                    goneSet.insert(p.name);
                    gone.push_back(p.name);
                    changed = true;
                    break;
                }
        }
    }
    for (auto it = loaded_.begin(); it != loaded_.end();) {
        if (goneSet.count(it->name)) {
            const std::string why =
                it->name == name ? reason : "depends on '" + name + "', which was skipped";
            log_.error("plugin %s skipped: %s", it->path, why);
            skipped_.push_back({it->name, it->path, why});
            it = loaded_.erase(it);
        } else {
            ++it;
        }
    }
    return gone;
}

std::set<std::string> PluginHost::skippedNames() const {
    std::set<std::string> out;
    for (const auto& s : skipped_)
        out.insert(s.name);
    return out;
}

}  // namespace relais

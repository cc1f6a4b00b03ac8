#pragma once

#include <array>
#include <cstdint>

namespace relais {

/// The product version, reported by /healthz and `relaisd --version`.
extern const char* const kVersion;

/// The plugin ABI version. A plugin built against another value is refused before any of its
/// code runs. Bump it whenever a type or virtual function of kernel/include/relais changes.
/// The macro form exists so that the version can be pasted into the exported symbol's name
/// (relais_plugin_abi_v1), which the host reads from the file before loading it.
#define RELAIS_PLUGIN_ABI_VERSION 9
constexpr std::uint32_t kPluginAbiVersion = RELAIS_PLUGIN_ABI_VERSION;

/// The product's modules, whose keys config/relais.properties documents even where the plugin
/// is not installed.
constexpr std::array<const char*, 6> kProductModules = {"wesend", "sante", "ldapsync", "branding", "billing", "sla"};

}  // namespace relais

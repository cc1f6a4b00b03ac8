#pragma once

// Include in the one source file of a plugin that says RELAIS_PLUGIN(...).

#include <boost/dll/alias.hpp>
#include <boost/preprocessor/cat.hpp>

#include "relais/Plugin.h"
#include "relais/Version.h"

/// Exports a plugin: its ABI version (also pasted into a symbol name, which the host reads from
/// the file before loading it), its manifest and its factory.
///
///   static const char* const kDeps[] = {"wesend", nullptr};
///   RELAIS_PLUGIN(SantePlugin, "sante", "1.0.0", "Health-data variant", kDeps)
#define RELAIS_PLUGIN(PluginClass, Name, VersionText, Description, Dependencies)              \
    namespace relais_plugin_entry {                                                           \
    const std::uint32_t abiVersion = ::relais::kPluginAbiVersion;                             \
    const ::relais::PluginManifest manifest = {Name, VersionText, Description, Dependencies}; \
    ::relais::Plugin* create() {                                                              \
        return new PluginClass();                                                             \
    }                                                                                         \
    }                                                                                         \
    BOOST_DLL_ALIAS(relais_plugin_entry::abiVersion,                                          \
                    BOOST_PP_CAT(relais_plugin_abi_v, RELAIS_PLUGIN_ABI_VERSION))             \
    BOOST_DLL_ALIAS(relais_plugin_entry::manifest, relais_plugin_manifest)                    \
    BOOST_DLL_ALIAS(relais_plugin_entry::create, relais_plugin_create)

#pragma once

#include <cstdint>
#include <ostream>

#include "tenancy/Services.h"
#include "tenancy/TenancyStore.h"

namespace relais {

/// The complete export of a tenant, as one ZIP archive written in a single pass (so that it
/// can stream as an HTTP body in bounded memory):
///   README.txt                  the format, in French then English
///   files/<file id>             every stored file, decrypted
///   manifest.json               the tenant, users, profiles, modules, files (size, SHA-256),
///                               transfers, folders, and the whole journal with its check
/// Exports are offered to the tenant's admins, in particular during the window after
/// termination.
class TenantExport {
public:
    explicit TenantExport(TenancyServices& services) : s_(services) {}

    /// Writes the archive to `out`. Throws on a storage or stream failure (the archive is then
    /// incomplete, and the client sees a cut body).
    void write(const Tenant& tenant, std::ostream& out);

private:
    TenancyServices& s_;
};

}  // namespace relais

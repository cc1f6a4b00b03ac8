#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace relais {

/// What a module keeps for each tenant, for the kernel's tenant-wide features: the data export
/// of a terminated tenant (manifest.json) and the usage figures resellers read. A plugin
/// registers one with Kernel::addTenantData in registerWith. Called from request and job
/// threads at once: implementations are thread-safe.
class TenantData {
public:
    virtual ~TenantData() = default;
    /// The manifest members this module fills ("transfers", "upload_requests"): each is an
    /// array of objects. The kernel writes "transfers" and "folders" as empty arrays when no
    /// module fills them, so that the manifest's shape does not depend on the plugins.
    virtual std::vector<std::string> exportMembers() const = 0;
    /// Calls `add` with each object of `member` for the tenant, as compact JSON text, in
    /// bounded memory. Stored files they name by id are already in the export, under files/<id>.
    virtual void exportMember(const std::string& tenantId, const std::string& member,
                              const std::function<void(const std::string& json)>& add) = 0;
    /// Usage figures, by name ("transfers_30d", "bytes_sent_30d"); they replace the kernel's 0.
    virtual std::map<std::string, std::int64_t> usage(const std::string& tenantId) = 0;
};

}  // namespace relais

#pragma once

#include "relais/TenantData.h"

namespace relais::db {
class Database;
}

namespace relais::plugins::wesend {

/// WeSend's part of a tenant's export ("transfers" and "upload_requests" in manifest.json,
/// with the FileStore id of each file so that it can be found under files/<file_id>) and of its
/// usage figures (transfers_30d, bytes_sent_30d, from the daily statistics).
class WesendTenantData final : public TenantData {
public:
    explicit WesendTenantData(db::Database& db) : db_(db) {}
    std::vector<std::string> exportMembers() const override { return {"transfers", "upload_requests"}; }
    void exportMember(const std::string& tenantId, const std::string& member,
                      const std::function<void(const std::string& json)>& add) override;
    std::map<std::string, std::int64_t> usage(const std::string& tenantId) override;

private:
    db::Database& db_;
};

}  // namespace relais::plugins::wesend

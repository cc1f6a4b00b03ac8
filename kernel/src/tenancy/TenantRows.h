#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace relais {

namespace db {
class Connection;
}

/// Every row a tenant owns, in any table, the kernel's or a plugin's: the tables with a
/// `tenant_id` column, found in the database's own catalogue so that a table added by a later
/// migration is covered without being listed here, and the rows of the tenant's users in the
/// tables keyed by `user_id` alone. Used by the purge.
class TenantRows {
public:
    /// Deletes every row of the tenant, then the tenant row, inside `tx`: first the rows of its
    /// users in the tables with a user_id column and no tenant_id column (sessions, keys,
    /// codes, links), then the tables with a tenant_id column but `tenants` itself and the
    /// platform's records about tenants (deletion certificates), children before the tables
    /// they reference so that no foreign key breaks. Returns the count of rows deleted per
    /// table.
    static std::map<std::string, std::int64_t> deleteAll(db::Connection& tx, const std::string& tenantId);
};

}  // namespace relais

#pragma once

#include <cstdint>
#include <string>

#include "relais/FileStore.h"

namespace relais {

namespace db {
class Connection;
class Database;
}  // namespace db

/// Plaintext bytes per tenant, against its quota, correct under concurrent writers on any
/// number of nodes: every check and change holds the tenant's row lock (SQLite: the write
/// lock). A write in progress holds a reservation, renewed while it writes; used bytes grow
/// only when a write commits. A crashed writer's reservation expires.
class StorageQuota {
public:
    StorageQuota(db::Database& database, std::int64_t reservationTtlMs);

    /// Reserves `bytes` for a write. Throws Problem 413 `quota_exceeded` when used bytes, live
    /// reservations and `bytes` would pass the quota. Returns the reservation id.
    std::string reserve(const std::string& tenantId, std::int64_t bytes);
    /// Adds `moreBytes` to a reservation (and renews it), with the same check.
    void extend(const std::string& tenantId, const std::string& reservationId, std::int64_t moreBytes);
    /// Pushes a reservation's expiry forward.
    void renew(const std::string& reservationId);
    /// Drops a reservation (the write was abandoned). Never throws.
    void release(const std::string& reservationId) noexcept;
    /// Inside the caller's transaction: the write committed `bytes`; its reservation goes.
    void settle(db::Connection& tx, const std::string& tenantId, const std::string& reservationId,
                std::int64_t bytes);
    /// Inside the caller's transaction: `bytes` were deleted.
    void free(db::Connection& tx, const std::string& tenantId, std::int64_t bytes);
    /// Inside the caller's transaction: forget the tenant (purge).
    void forget(db::Connection& tx, const std::string& tenantId);

    StorageUsage usage(const std::string& tenantId);
    void setQuota(const std::string& tenantId, std::int64_t quotaBytes);
    /// The same inside the caller's transaction.
    void setQuota(db::Connection& tx, const std::string& tenantId, std::int64_t quotaBytes);
    /// Deletes expired reservations; returns how many.
    std::int64_t expire();

private:
    void check(db::Connection& tx, const std::string& tenantId, const std::string& except, std::int64_t bytes);

    db::Database& db_;
    std::int64_t ttlMs_;
};

}  // namespace relais

#include "storage/StorageQuota.h"

#include "relais/Database.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Time.h"

namespace relais {

namespace {

// Makes sure the tenant's row exists, then locks it until the end of the transaction.
db::Row lockTenant(db::Connection& tx, const std::string& tenantId) {
    const bool mysql = tx.dialect() == db::Dialect::MySQL;
    tx.execute(std::string(mysql ? "INSERT IGNORE" : "INSERT OR IGNORE") +
                   " INTO storage_quota (tenant_id, quota_bytes, used_bytes) VALUES (?, NULL, 0)",
               {tenantId});
    return tx.query(std::string("SELECT quota_bytes, used_bytes FROM storage_quota WHERE tenant_id = ?") +
                        (mysql ? " FOR UPDATE" : ""),
                    {tenantId})
        .at(0);
}

}  // namespace

StorageQuota::StorageQuota(db::Database& database, std::int64_t reservationTtlMs)
    : db_(database), ttlMs_(reservationTtlMs) {}

void StorageQuota::check(db::Connection& tx, const std::string& tenantId, const std::string& except,
                         std::int64_t bytes) {
    const db::Row row = lockTenant(tx, tenantId);
    if (row.isNull("quota_bytes")) return;
    const std::int64_t quota = row.getInt("quota_bytes");
    const std::int64_t reserved =
        tx.query("SELECT COALESCE(SUM(bytes), 0) AS r FROM storage_reservations"
                 " WHERE tenant_id = ? AND expires_at > ? AND id <> ?",
                 {tenantId, nowMs(), except})[0]
            .getInt("r");
    const std::int64_t used = row.getInt("used_bytes");
    if (used + reserved + bytes > quota)
        throw Problem(413, "quota_exceeded",
                      "The storage quota is reached: " + std::to_string(used) + " of " + std::to_string(quota) +
                          " bytes used, " + std::to_string(reserved) + " reserved by uploads in progress.");
}

std::string StorageQuota::reserve(const std::string& tenantId, std::int64_t bytes) {
    const std::string id = randomId("rsv");
    db_.transaction([&](db::Connection& tx) {
        check(tx, tenantId, id, bytes);
        tx.execute("INSERT INTO storage_reservations (id, tenant_id, bytes, expires_at) VALUES (?, ?, ?, ?)",
                   {id, tenantId, bytes, nowMs() + ttlMs_});
    });
    return id;
}

void StorageQuota::extend(const std::string& tenantId, const std::string& reservationId, std::int64_t moreBytes) {
    db_.transaction([&](db::Connection& tx) {
        auto rows = tx.query("SELECT bytes FROM storage_reservations WHERE id = ?", {reservationId});
        const std::int64_t current = rows.empty() ? 0 : rows[0].getInt("bytes");
        check(tx, tenantId, reservationId, current + moreBytes);
        if (rows.empty())
            tx.execute("INSERT INTO storage_reservations (id, tenant_id, bytes, expires_at) VALUES (?, ?, ?, ?)",
                       {reservationId, tenantId, current + moreBytes, nowMs() + ttlMs_});
        else
            tx.execute("UPDATE storage_reservations SET bytes = ?, expires_at = ? WHERE id = ?",
                       {current + moreBytes, nowMs() + ttlMs_, reservationId});
    });
}

void StorageQuota::renew(const std::string& reservationId) {
    db_.execute("UPDATE storage_reservations SET expires_at = ? WHERE id = ?", {nowMs() + ttlMs_, reservationId});
}

void StorageQuota::release(const std::string& reservationId) noexcept {
    try {
        db_.execute("DELETE FROM storage_reservations WHERE id = ?", {reservationId});
    } catch (...) {
        // It expires by itself.
    }
}

void StorageQuota::settle(db::Connection& tx, const std::string& tenantId, const std::string& reservationId,
                          std::int64_t bytes) {
    lockTenant(tx, tenantId);
    tx.execute("DELETE FROM storage_reservations WHERE id = ?", {reservationId});
    tx.execute("UPDATE storage_quota SET used_bytes = used_bytes + ? WHERE tenant_id = ?", {bytes, tenantId});
}

void StorageQuota::free(db::Connection& tx, const std::string& tenantId, std::int64_t bytes) {
    lockTenant(tx, tenantId);
    tx.execute("UPDATE storage_quota SET used_bytes = CASE WHEN used_bytes > ? THEN used_bytes - ? ELSE 0 END"
               " WHERE tenant_id = ?",
               {bytes, bytes, tenantId});
}

void StorageQuota::forget(db::Connection& tx, const std::string& tenantId) {
    tx.execute("DELETE FROM storage_reservations WHERE tenant_id = ?", {tenantId});
    tx.execute("DELETE FROM storage_quota WHERE tenant_id = ?", {tenantId});
}

StorageUsage StorageQuota::usage(const std::string& tenantId) {
    StorageUsage u;
    auto rows = db_.query("SELECT quota_bytes, used_bytes FROM storage_quota WHERE tenant_id = ?", {tenantId});
    if (!rows.empty()) {
        u.usedBytes = rows[0].getInt("used_bytes");
        u.quotaBytes = rows[0].isNull("quota_bytes") ? -1 : rows[0].getInt("quota_bytes");
    }
    return u;
}

void StorageQuota::setQuota(const std::string& tenantId, std::int64_t quotaBytes) {
    db_.transaction([&](db::Connection& tx) { setQuota(tx, tenantId, quotaBytes); });
}

void StorageQuota::setQuota(db::Connection& tx, const std::string& tenantId, std::int64_t quotaBytes) {
    lockTenant(tx, tenantId);
    tx.execute("UPDATE storage_quota SET quota_bytes = ? WHERE tenant_id = ?",
               {quotaBytes < 0 ? db::Value() : db::Value(static_cast<long long>(quotaBytes)), tenantId});
}

std::int64_t StorageQuota::expire() {
    return static_cast<std::int64_t>(db_.execute("DELETE FROM storage_reservations WHERE expires_at <= ?", {nowMs()}));
}

}  // namespace relais

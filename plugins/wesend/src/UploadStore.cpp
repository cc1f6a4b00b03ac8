#include "UploadStore.h"

#include <set>

#include "relais/Database.h"
#include "relais/Problem.h"

namespace relais::plugins::wesend {

namespace {

const char* kColumns =
    "id, tenant_id, owner_user_id, request_id, file_id, length, metadata, filename, filetype,"
    " sha256, state, created_at, expires_at";

UploadRecord fromRow(const db::Row& row) {
    UploadRecord r;
    r.id = row.getString("id");
    r.tenantId = row.getString("tenant_id");
    r.ownerUserId = row.getString("owner_user_id");
    r.requestId = row.getString("request_id");
    r.fileId = row.getString("file_id");
    r.length = row.isNull("length") ? -1 : row.getInt("length");
    r.metadata = row.getString("metadata");
    r.filename = row.getString("filename");
    r.filetype = row.getString("filetype");
    r.sha256 = row.getString("sha256");
    r.state = row.getString("state");
    r.createdAtMs = row.getInt("created_at");
    r.expiresAtMs = row.getInt("expires_at");
    return r;
}

}  // namespace

void UploadStore::insert(const UploadRecord& r) {
    db_.execute(std::string("INSERT INTO wesend_uploads (") + kColumns +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {r.id, r.tenantId, db::Value::textOrNull(r.ownerUserId),
                 db::Value::textOrNull(r.requestId), r.fileId,
                 r.length < 0 ? db::Value() : db::Value(static_cast<long long>(r.length)),
                 r.metadata, r.filename, r.filetype, db::Value::textOrNull(r.sha256), r.state,
                 static_cast<long long>(r.createdAtMs), static_cast<long long>(r.expiresAtMs)});
}

std::optional<UploadRecord> UploadStore::find(const std::string& tenantId, const std::string& id) {
    auto rows = db_.query(std::string("SELECT ") + kColumns +
                              " FROM wesend_uploads WHERE id = ? AND tenant_id = ?",
                          {id, tenantId});
    if (rows.empty()) return std::nullopt;
    return fromRow(rows[0]);
}

bool UploadStore::tryLock(const std::string& tenantId, const std::string& id, const std::string& owner,
                          std::int64_t nowMs, std::int64_t untilMs) {
    return db_.execute("UPDATE wesend_uploads SET lock_owner = ?, lock_until = ?"
                       " WHERE id = ? AND tenant_id = ? AND (lock_until IS NULL OR lock_until < ?)",
                       {owner, static_cast<long long>(untilMs), id, tenantId,
                        static_cast<long long>(nowMs)}) == 1;
}

void UploadStore::refresh(const std::string& tenantId, const std::string& id, const std::string& owner,
                          std::int64_t lockUntilMs, std::int64_t expiresAtMs) {
    db_.execute("UPDATE wesend_uploads SET lock_until = ?, expires_at = ?"
                " WHERE id = ? AND tenant_id = ? AND lock_owner = ?",
                {static_cast<long long>(lockUntilMs), static_cast<long long>(expiresAtMs), id,
                 tenantId, owner});
}

void UploadStore::unlock(const std::string& tenantId, const std::string& id, const std::string& owner) {
    db_.execute("UPDATE wesend_uploads SET lock_owner = NULL, lock_until = NULL"
                " WHERE id = ? AND tenant_id = ? AND lock_owner = ?",
                {id, tenantId, owner});
}

void UploadStore::setLength(const std::string& tenantId, const std::string& id, std::int64_t length) {
    db_.execute("UPDATE wesend_uploads SET length = ? WHERE id = ? AND tenant_id = ? AND length IS NULL",
                {static_cast<long long>(length), id, tenantId});
}

void UploadStore::complete(const std::string& tenantId, const std::string& id, const std::string& sha256,
                           std::int64_t nowMs, std::int64_t expiresAtMs) {
    db_.execute("UPDATE wesend_uploads SET state = 'complete', sha256 = ?, completed_at = ?,"
                " expires_at = ? WHERE id = ? AND tenant_id = ?",
                {sha256, static_cast<long long>(nowMs), static_cast<long long>(expiresAtMs), id,
                 tenantId});
}

bool UploadStore::remove(const std::string& tenantId, const std::string& id, const std::string& lockOwner,
                         std::int64_t expiredBefore) {
    std::string sql = "DELETE FROM wesend_uploads WHERE id = ? AND tenant_id = ?";
    db::Params params{id, tenantId};
    if (!lockOwner.empty()) {
        sql += " AND lock_owner = ?";
        params.push_back(lockOwner);
    }
    if (expiredBefore > 0) {
        sql += " AND expires_at < ?";
        params.push_back(static_cast<long long>(expiredBefore));
    }
    return db_.execute(sql, params) == 1;
}

std::vector<UploadRecord> UploadStore::claim(db::Connection& tx, const std::string& tenantId,
                                             const std::vector<std::string>& ids,
                                             const std::string& ownerUserId,
                                             const std::string& requestId, const std::string& field) {
    std::vector<UploadRecord> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::string where = field + "[" + std::to_string(i) + "]";
        if (!seen.insert(ids[i]).second)
            throw Problem(422, "invalid_field", "An upload is listed twice.",
                          {{where, "listed twice"}});
        auto rows = tx.query(std::string("SELECT ") + kColumns +
                                 " FROM wesend_uploads WHERE id = ? AND tenant_id = ?",
                             {ids[i], tenantId});
        if (rows.empty())
            throw Problem(422, "invalid_field", "An upload does not exist.", {{where, "no such upload"}});
        UploadRecord r = fromRow(rows[0]);
        if (r.ownerUserId != ownerUserId || r.requestId != requestId)
            throw Problem(422, "invalid_field", "An upload does not exist.", {{where, "no such upload"}});
        if (r.state != "complete")
            throw Problem(422, "upload_incomplete", "An upload is not finished.",
                          {{where, "the upload is not finished"}});
        if (tx.execute("DELETE FROM wesend_uploads WHERE id = ? AND tenant_id = ? AND state = 'complete'",
                       {r.id, tenantId}) != 1)
            throw Problem(422, "invalid_field", "An upload does not exist.", {{where, "no such upload"}});
        out.push_back(std::move(r));
    }
    return out;
}

UploadStore::Pending UploadStore::pending(const std::string& tenantId, const std::string& requestId) {
    auto rows = db_.query("SELECT COUNT(*) AS n, COALESCE(SUM(length), 0) AS bytes FROM wesend_uploads"
                          " WHERE tenant_id = ? AND request_id = ?",
                          {tenantId, requestId});
    return rows.empty() ? Pending{} : Pending{rows[0].getInt("n"), rows[0].getInt("bytes")};
}

std::vector<UploadRecord> UploadStore::expired(std::int64_t nowMs, int limit) {
    std::vector<UploadRecord> out;
    for (const auto& row : db_.query(std::string("SELECT ") + kColumns +
                                         " FROM wesend_uploads WHERE expires_at < ?"
                                         " ORDER BY expires_at LIMIT ?",
                                     {static_cast<long long>(nowMs), limit}))
        out.push_back(fromRow(row));
    return out;
}

}  // namespace relais::plugins::wesend

#include "auth/SessionStore.h"

#include "relais/Database.h"
#include "relais/Time.h"

namespace relais {

namespace {
Session sessionFrom(const db::Row& r) {
    Session s;
    s.id = r.getString("id");
    s.publicId = r.getString("public_id");
    s.userId = r.getString("user_id");
    s.csrfHash = r.getString("csrf_hash");
    s.createdAtMs = r.getInt("created_at");
    s.lastSeenAtMs = r.getInt("last_seen_at");
    s.expiresAtMs = r.getInt("expires_at");
    s.ip = r.getString("ip");
    s.userAgent = r.getString("user_agent");
    s.totpPending = r.getInt("totp_pending") != 0;
    return s;
}
}  // namespace

void SessionStore::insert(db::Connection& tx, const Session& s) {
    tx.execute("INSERT INTO sessions (id, public_id, user_id, csrf_hash, created_at, last_seen_at, expires_at, ip,"
               " user_agent, totp_pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {s.id, s.publicId, s.userId, s.csrfHash, s.createdAtMs, s.lastSeenAtMs, s.expiresAtMs, s.ip, s.userAgent,
                s.totpPending ? 1 : 0});
}

std::optional<Session> SessionStore::byId(const std::string& id) {
    auto rows = db_.query("SELECT * FROM sessions WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return sessionFrom(rows[0]);
}

void SessionStore::touch(const std::string& id, std::int64_t atMs) {
    db_.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {atMs, id});
}

std::uint64_t SessionStore::removeExpired(std::int64_t now, std::int64_t idleMs) {
    return db_.execute("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?", {now, now - idleMs});
}

void SessionStore::remove(const std::string& id) { db_.execute("DELETE FROM sessions WHERE id = ?", {id}); }

std::uint64_t SessionStore::removeAllOf(db::Connection& tx, const std::string& userId, const std::string& keepId) {
    return tx.execute("DELETE FROM sessions WHERE user_id = ? AND id <> ?", {userId, keepId});
}

bool SessionStore::removeByPublicId(const std::string& userId, const std::string& publicId) {
    return db_.execute("DELETE FROM sessions WHERE user_id = ? AND public_id = ?", {userId, publicId}) > 0;
}

std::vector<Session> SessionStore::listOf(const std::string& userId) {
    std::vector<Session> out;
    for (const auto& r : db_.query("SELECT * FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at",
                                   {userId, nowMs()}))
        out.push_back(sessionFrom(r));
    return out;
}

void SessionStore::clearTotpPending(db::Connection& tx, const std::string& userId) {
    tx.execute("UPDATE sessions SET totp_pending = 0 WHERE user_id = ?", {userId});
}

void SessionStore::insertKey(db::Connection& tx, const ApiKey& key, const std::string& keyHash) {
    tx.execute("INSERT INTO api_keys (id, user_id, name, key_hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, NULL)",
               {key.id, key.userId, key.name, keyHash, key.createdAtMs});
}

std::optional<std::pair<std::string, std::string>> SessionStore::keyByHash(const std::string& keyHash) {
    auto rows = db_.query("SELECT id, user_id FROM api_keys WHERE key_hash = ?", {keyHash});
    if (rows.empty()) return std::nullopt;
    return std::make_pair(rows[0].getString("id"), rows[0].getString("user_id"));
}

std::vector<ApiKey> SessionStore::keysOf(const std::string& userId) {
    std::vector<ApiKey> out;
    for (const auto& r : db_.query("SELECT id, user_id, name, created_at, last_used_at FROM api_keys WHERE user_id = ?"
                                   " ORDER BY created_at",
                                   {userId}))
        out.push_back(ApiKey{r.getString("id"), r.getString("user_id"), r.getString("name"), r.getInt("created_at"),
                             r.getInt("last_used_at")});
    return out;
}

bool SessionStore::removeKey(const std::string& userId, const std::string& id) {
    return db_.execute("DELETE FROM api_keys WHERE id = ? AND user_id = ?", {id, userId}) > 0;
}

void SessionStore::touchKey(const std::string& id, std::int64_t atMs) {
    db_.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", {atMs, id});
}

}  // namespace relais

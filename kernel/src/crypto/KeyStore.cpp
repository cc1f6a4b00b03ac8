#include "crypto/KeyStore.h"

#include <Poco/Logger.h>

#include <openssl/crypto.h>

#include "crypto/Aead.h"
#include "crypto/MasterKeyring.h"
#include "relais/Database.h"
#include "relais/Random.h"
#include "relais/Time.h"

namespace relais {

namespace {

std::string tenantAad(const std::string& tenantId, int version) {
    return "relais/tenant-key|" + tenantId + "|v" + std::to_string(version);
}

std::string dataAad(const std::string& tenantId, const std::string& fileId, int tenantVersion) {
    return "relais/data-key|" + tenantId + "|" + fileId + "|tv" + std::to_string(tenantVersion);
}

constexpr auto kCacheFor = std::chrono::seconds(60);

}  // namespace

KeyStore::KeyStore(db::Database& database, MasterKeyring& master, Poco::Logger& log)
    : db_(database), master_(master), log_(log) {}

std::string KeyStore::cached(const std::string& id, int version) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find({id, version});
    if (it == cache_.end() || it->second.until < std::chrono::steady_clock::now()) return {};
    return it->second.key;
}

void KeyStore::remember(const std::string& id, int version, const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    cache_[{id, version}] = Entry{key, std::chrono::steady_clock::now() + kCacheFor};
}

void KeyStore::forget(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = cache_.begin(); it != cache_.end();) {
        if (it->first.first == id) {
            OPENSSL_cleanse(it->second.key.data(), it->second.key.size());
            it = cache_.erase(it);
        } else {
            ++it;
        }
    }
}

std::string KeyStore::platformKey(const std::string& purpose) {
    const std::string cacheId = "platform:" + purpose;
    if (auto k = cached(cacheId, 0); !k.empty()) return k;
    const std::string aad = "relais/platform-key|" + purpose;
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto rows = db_.query("SELECT master_version, wrapped FROM platform_keys WHERE purpose = ?", {purpose});
        if (!rows.empty()) {
            std::string key = master_.unwrap(static_cast<int>(rows[0].getInt("master_version")),
                                             fromHex(rows[0].getString("wrapped")), aad);
            remember(cacheId, 0, key);
            return key;
        }
        const auto [version, sealed] = master_.wrap(randomBytes(32), aad);
        try {
            db_.execute("INSERT INTO platform_keys (purpose, master_version, wrapped, created_at) VALUES (?, ?, ?, ?)",
                        {purpose, version, toHex(sealed), nowMs()});
        } catch (const db::Error& e) {
            if (e.kind() != db::Error::Kind::Constraint) throw;  // another node made it first
        }
    }
    throw std::runtime_error("cannot make the platform key " + purpose);
}

std::pair<int, std::string> KeyStore::currentTenantKey(const std::string& tenantId) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto rows = db_.query("SELECT MAX(version) AS v FROM tenant_keys WHERE tenant_id = ?", {tenantId});
        if (!rows.empty() && !rows[0].isNull("v")) {
            const int version = static_cast<int>(rows[0].getInt("v"));
            return {version, tenantKey(tenantId, version)};
        }
        const auto [masterVersion, sealed] = master_.wrap(randomBytes(32), tenantAad(tenantId, 1));
        try {
            db_.execute("INSERT INTO tenant_keys (tenant_id, version, master_version, wrapped, created_at)"
                        " VALUES (?, 1, ?, ?, ?)",
                        {tenantId, masterVersion, toHex(sealed), nowMs()});
        } catch (const db::Error& e) {
            if (e.kind() != db::Error::Kind::Constraint) throw;
        }
    }
    throw std::runtime_error("cannot make a key for tenant " + tenantId);
}

std::string KeyStore::tenantKey(const std::string& tenantId, int version) {
    if (auto k = cached(tenantId, version); !k.empty()) return k;
    auto rows = db_.query("SELECT master_version, wrapped FROM tenant_keys WHERE tenant_id = ? AND version = ?",
                          {tenantId, version});
    if (rows.empty())
        throw KeyUnavailable("key version " + std::to_string(version) + " of tenant " + tenantId + " is gone");
    std::string key = master_.unwrap(static_cast<int>(rows[0].getInt("master_version")),
                                     fromHex(rows[0].getString("wrapped")), tenantAad(tenantId, version));
    remember(tenantId, version, key);
    return key;
}

std::string KeyStore::wrapDataKey(const std::string& tenantId, const std::string& fileId,
                                  const std::string& dataKey, int& tenantKeyVersion) {
    const auto [version, key] = currentTenantKey(tenantId);
    tenantKeyVersion = version;
    Aes256Gcm gcm(key);
    return gcm.sealMessage(dataAad(tenantId, fileId, version), dataKey);
}

std::string KeyStore::unwrapDataKey(const std::string& tenantId, const std::string& fileId,
                                    int tenantKeyVersion, const std::string& wrapped) {
    Aes256Gcm gcm(tenantKey(tenantId, tenantKeyVersion));
    return gcm.openMessage(dataAad(tenantId, fileId, tenantKeyVersion), wrapped);
}

std::string KeyStore::rewrapDataKey(const std::string& tenantId, const std::string& fileId, int fromVersion,
                                    const std::string& wrapped, int& toVersion) {
    std::string dataKey = unwrapDataKey(tenantId, fileId, fromVersion, wrapped);
    std::string out = wrapDataKey(tenantId, fileId, dataKey, toVersion);
    OPENSSL_cleanse(dataKey.data(), dataKey.size());
    return out;
}

int KeyStore::addTenantKeyVersion(const std::string& tenantId) {
    currentTenantKey(tenantId);  // version 1 exists from here on
    for (int attempt = 0; attempt < 5; ++attempt) {
        const int next = static_cast<int>(
            db_.query("SELECT MAX(version) AS v FROM tenant_keys WHERE tenant_id = ?", {tenantId})[0].getInt("v") + 1);
        const auto [masterVersion, sealed] = master_.wrap(randomBytes(32), tenantAad(tenantId, next));
        try {
            db_.execute("INSERT INTO tenant_keys (tenant_id, version, master_version, wrapped, created_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        {tenantId, next, masterVersion, toHex(sealed), nowMs()});
            return next;
        } catch (const db::Error& e) {
            if (e.kind() != db::Error::Kind::Constraint) throw;
        }
    }
    throw std::runtime_error("cannot add a key version for tenant " + tenantId);
}

void KeyStore::destroyTenantKeysBefore(const std::string& tenantId, int keep) {
    db_.execute("DELETE FROM tenant_keys WHERE tenant_id = ? AND version < ?", {tenantId, keep});
    forget(tenantId);
}

void KeyStore::destroyTenantKeys(db::Connection& tx, const std::string& tenantId) {
    tx.execute("DELETE FROM tenant_keys WHERE tenant_id = ?", {tenantId});
    tx.afterCommit([this, tenantId] { forget(tenantId); });
}

std::pair<int, std::int64_t> KeyStore::rotateMaster() {
    const int version = master_.addVersion();
    std::int64_t rewrapped = 0;
    for (const auto& row : db_.query("SELECT purpose, master_version, wrapped FROM platform_keys WHERE master_version <> ?",
                                     {version})) {
        const std::string aad = "relais/platform-key|" + row.getString("purpose");
        std::string key = master_.unwrap(static_cast<int>(row.getInt("master_version")),
                                         fromHex(row.getString("wrapped")), aad);
        const auto [v, sealed] = master_.wrap(key, aad);
        OPENSSL_cleanse(key.data(), key.size());
        rewrapped += static_cast<std::int64_t>(
            db_.execute("UPDATE platform_keys SET master_version = ?, wrapped = ? WHERE purpose = ? AND master_version = ?",
                        {v, toHex(sealed), row.getString("purpose"), row.getInt("master_version")}));
    }
    for (;;) {
        auto page = db_.query("SELECT tenant_id, version, master_version, wrapped FROM tenant_keys"
                              " WHERE master_version <> ? ORDER BY tenant_id, version LIMIT 500",
                              {version});
        if (page.empty()) break;
        for (const auto& row : page) {
            const std::string tenantId = row.getString("tenant_id");
            const int tv = static_cast<int>(row.getInt("version"));
            std::string key = master_.unwrap(static_cast<int>(row.getInt("master_version")),
                                             fromHex(row.getString("wrapped")), tenantAad(tenantId, tv));
            const auto [v, sealed] = master_.wrap(key, tenantAad(tenantId, tv));
            OPENSSL_cleanse(key.data(), key.size());
            rewrapped += static_cast<std::int64_t>(db_.execute(
                "UPDATE tenant_keys SET master_version = ?, wrapped = ? WHERE tenant_id = ? AND version = ?"
                " AND master_version = ?",
                {v, toHex(sealed), tenantId, tv, row.getInt("master_version")}));
        }
    }
    const bool done =
        db_.query("SELECT COUNT(*) AS n FROM tenant_keys WHERE master_version <> ?", {version})[0].getInt("n") == 0 &&
        db_.query("SELECT COUNT(*) AS n FROM platform_keys WHERE master_version <> ?", {version})[0].getInt("n") == 0;
    if (done) master_.dropOldVersions();
    log_.notice("master key rotated to version %d; %s key(s) re-wrapped", version, std::to_string(rewrapped));
    return {version, rewrapped};
}

bool KeyStore::holdsWrappedKeys() {
    return db_.query("SELECT COUNT(*) AS n FROM tenant_keys")[0].getInt("n") > 0 ||
           db_.query("SELECT COUNT(*) AS n FROM platform_keys")[0].getInt("n") > 0;
}

}  // namespace relais

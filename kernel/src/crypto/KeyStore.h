#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

namespace Poco {
class Logger;
}

namespace relais {

class MasterKeyring;
namespace db {
class Connection;
class Database;
}  // namespace db

/// A key that is gone: its tenant was purged (crypto-shredded), or it never existed.
class KeyUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The middle of the key hierarchy, in the database, every key wrapped by the one above:
///
///   master key (file)  ─wraps→  tenant key (tenant_keys, one per tenant and version)
///                      ─wraps→  platform keys (platform_keys: the journal's MAC key)
///   tenant key         ─wraps→  data key (one per file, kept by the storage subsystem)
///
/// Every wrap is AES-256-GCM with associated data that names what the key belongs to (tenant,
/// version, file), so that a wrapped key moved to another row does not open. Unwrapped keys
/// are cached for a minute. Thread-safe.
class KeyStore {
public:
    KeyStore(db::Database& database, MasterKeyring& master, Poco::Logger& log);

    /// The 32-byte platform key for `purpose` ("journal"), made on first use.
    std::string platformKey(const std::string& purpose);

    /// The tenant's current key, made on first use: {version, key}.
    std::pair<int, std::string> currentTenantKey(const std::string& tenantId);
    /// One version of a tenant's key. Throws KeyUnavailable when it is gone.
    std::string tenantKey(const std::string& tenantId, int version);

    /// Wraps a file's data key under the tenant's current key; sets `tenantKeyVersion`.
    std::string wrapDataKey(const std::string& tenantId, const std::string& fileId,
                            const std::string& dataKey, int& tenantKeyVersion);
    /// Throws KeyUnavailable (tenant key gone) or std::runtime_error (the wrap does not open:
    /// moved from another file or tenant, or altered).
    std::string unwrapDataKey(const std::string& tenantId, const std::string& fileId,
                              int tenantKeyVersion, const std::string& wrapped);
    /// Re-wraps a data key from one tenant-key version to the current one (tenant rotation).
    std::string rewrapDataKey(const std::string& tenantId, const std::string& fileId, int fromVersion,
                              const std::string& wrapped, int& toVersion);

    /// Adds a new version of the tenant's key, which becomes current. Returns it.
    int addTenantKeyVersion(const std::string& tenantId);
    /// Destroys the tenant's key versions older than `keep`.
    void destroyTenantKeysBefore(const std::string& tenantId, int keep);
    /// Destroys every key of the tenant, inside the caller's transaction (crypto-shredding).
    void destroyTenantKeys(db::Connection& tx, const std::string& tenantId);

    /// Master rotation: a new master version, every tenant and platform key re-wrapped under
    /// it, then the old versions dropped from the key file. Safe to run again after a crash.
    /// Returns {new version, keys re-wrapped}.
    std::pair<int, std::int64_t> rotateMaster();

    /// Whether any key is wrapped by the master key (data exists that needs it).
    bool holdsWrappedKeys();

private:
    std::string cached(const std::string& id, int version);
    void remember(const std::string& id, int version, const std::string& key);
    void forget(const std::string& id);

    db::Database& db_;
    MasterKeyring& master_;
    Poco::Logger& log_;
    std::mutex mutex_;
    struct Entry {
        std::string key;
        std::chrono::steady_clock::time_point until;
    };
    std::map<std::pair<std::string, int>, Entry> cache_;
};

}  // namespace relais

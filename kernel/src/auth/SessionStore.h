#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace relais {

namespace db {
class Connection;
class Database;
}  // namespace db

/// A login session. The token itself is never stored: `id` is its SHA-256.
struct Session {
    std::string id;
    std::string publicId;  ///< shown to the user to list and revoke
    std::string userId;
    std::string csrfHash;
    std::int64_t createdAtMs = 0;
    std::int64_t lastSeenAtMs = 0;
    std::int64_t expiresAtMs = 0;  ///< absolute
    std::string ip;
    std::string userAgent;
    bool totpPending = false;  ///< the profile wants a second factor the user has not set up
};

struct ApiKey {
    std::string id;
    std::string userId;
    std::string name;
    std::int64_t createdAtMs = 0;
    std::int64_t lastUsedAtMs = 0;
};

/// Sessions and API keys, in SQL, looked up by the hash of their secret.
class SessionStore {
public:
    explicit SessionStore(db::Database& database) : db_(database) {}

    void insert(db::Connection& tx, const Session& s);
    std::optional<Session> byId(const std::string& id);
    /// Records activity (at most about once a minute per session, by the caller).
    void touch(const std::string& id, std::int64_t atMs);
    void remove(const std::string& id);
    /// Revokes a user's sessions, but `keepId`; returns how many.
    std::uint64_t removeAllOf(db::Connection& tx, const std::string& userId, const std::string& keepId = {});
    bool removeByPublicId(const std::string& userId, const std::string& publicId);
    std::vector<Session> listOf(const std::string& userId);
    void clearTotpPending(db::Connection& tx, const std::string& userId);
    /// Deletes sessions past their absolute expiry or idle longer than `idleMs`; returns how many.
    std::uint64_t removeExpired(std::int64_t nowMs, std::int64_t idleMs);

    void insertKey(db::Connection& tx, const ApiKey& key, const std::string& keyHash);
    /// {key id, user id} of a key hash.
    std::optional<std::pair<std::string, std::string>> keyByHash(const std::string& keyHash);
    std::vector<ApiKey> keysOf(const std::string& userId);
    bool removeKey(const std::string& userId, const std::string& id);
    void touchKey(const std::string& id, std::int64_t atMs);

private:
    db::Database& db_;
};

}  // namespace relais

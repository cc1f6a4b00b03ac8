#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace relais::db {
class Connection;
class Database;
}  // namespace relais::db

namespace relais::plugins::wesend {

/// A tus upload as stored. Its bytes are the FileStore file `fileId`, whose size is the
/// upload's offset: only bytes committed there, durable and encrypted, are ever reported.
struct UploadRecord {
    std::string id;
    std::string tenantId;
    std::string ownerUserId;  ///< an account's upload, or ""
    std::string requestId;    ///< a guest's upload under an upload request, or ""
    std::string fileId;
    std::int64_t length = -1;  ///< -1 while deferred
    std::string metadata;      ///< the Upload-Metadata header, echoed by HEAD
    std::string filename;
    std::string filetype;
    std::string sha256;
    std::string state;  ///< open, complete
    std::int64_t createdAtMs = 0;
    std::int64_t expiresAtMs = 0;
};

/// The wesend_uploads table. Every call names the tenant. Thread-safe.
class UploadStore {
public:
    explicit UploadStore(db::Database& db) : db_(db) {}

    void insert(const UploadRecord& r);
    std::optional<UploadRecord> find(const std::string& tenantId, const std::string& id);

    /// Takes the upload's lock for `owner` until `untilMs` if nobody holds it (or the holder's
    /// time ran out). Works across nodes: the lock is a row condition.
    bool tryLock(const std::string& tenantId, const std::string& id, const std::string& owner,
                 std::int64_t nowMs, std::int64_t untilMs);
    /// Extends a lock held by `owner`, and the upload's expiry.
    void refresh(const std::string& tenantId, const std::string& id, const std::string& owner,
                 std::int64_t lockUntilMs, std::int64_t expiresAtMs);
    void unlock(const std::string& tenantId, const std::string& id, const std::string& owner);

    void setLength(const std::string& tenantId, const std::string& id, std::int64_t length);
    void complete(const std::string& tenantId, const std::string& id, const std::string& sha256,
                  std::int64_t nowMs, std::int64_t expiresAtMs);
    /// Deletes the upload's row; true when this call deleted it. With `lockOwner`, only while
    /// that lock holds it; with `expiredBefore` > 0, only if it expired before then. Whoever
    /// gets false must leave the file alone: a transfer or deposit claimed it meanwhile.
    bool remove(const std::string& tenantId, const std::string& id, const std::string& lockOwner = {},
                std::int64_t expiredBefore = 0);

    /// Inside a transaction: the complete uploads `ids` of this owner (an account, or an
    /// upload request), removed from the table so that their files now belong to the caller.
    /// Problem 422 `invalid_field` on `field` for an unknown, foreign or unfinished one.
    std::vector<UploadRecord> claim(db::Connection& tx, const std::string& tenantId,
                                    const std::vector<std::string>& ids,
                                    const std::string& ownerUserId, const std::string& requestId,
                                    const std::string& field);

    /// The request's uploads not yet deposited: how many, and their declared lengths.
    struct Pending {
        std::int64_t count = 0;
        std::int64_t bytes = 0;
    };
    Pending pending(const std::string& tenantId, const std::string& requestId);

    /// Uploads past their expiry, oldest first.
    std::vector<UploadRecord> expired(std::int64_t nowMs, int limit);

private:
    db::Database& db_;
};

}  // namespace relais::plugins::wesend

#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "relais/FileStore.h"
#include "storage/StorageQuota.h"

namespace Poco {
class Logger;
}

namespace relais {

class BlobStore;
class Journal;
class KeyStore;
namespace db {
class Database;
}

struct FileStoreOptions {
    std::uint32_t segmentBytes = 1 << 20;
    std::int64_t gcGraceMs = 6LL * 3600 * 1000;
    std::int64_t reservationTtlMs = 15LL * 60 * 1000;
    std::int64_t reserveChunkBytes = 64LL << 20;  ///< quota reserved ahead while writing
};

/// One file that failed `relaisd storage verify`.
struct BadFile {
    std::string fileId;
    std::string tenantId;
    std::string reason;
};

/// The FileStore: files are rows of `storage_files` (with the data key wrapped by the tenant
/// key) and pieces in `storage_pieces`, each piece one encrypted blob (PieceFormat). The blob
/// is committed before its row, so a crash leaves at worst an orphan blob, which
/// collectGarbage() removes once older than the grace period.
class EncryptedFileStore final : public FileStore {
public:
    EncryptedFileStore(db::Database& database, BlobStore& blobs, KeyStore& keys, Journal& journal,
                       Poco::Logger& log, FileStoreOptions options);

    std::string createFile(const std::string& tenantId) override;
    std::unique_ptr<FileWriter> append(const std::string& tenantId, const std::string& fileId,
                                       std::int64_t expectedBytes) override;
    void seal(const std::string& tenantId, const std::string& fileId) override;
    std::unique_ptr<FileReader> open(const std::string& tenantId, const std::string& fileId) override;
    StoredFileInfo stat(const std::string& tenantId, const std::string& fileId) override;
    void remove(const std::string& tenantId, const std::string& fileId) override;
    StorageUsage usage(const std::string& tenantId) override;
    void setQuota(const std::string& tenantId, std::int64_t quotaBytes) override;

    /// The tenant's files ordered by id, after `afterId`, at most `limit` (exports).
    std::vector<StoredFileInfo> listFiles(const std::string& tenantId, const std::string& afterId, int limit);
    /// Crypto-shreds a whole tenant: its keys, its files' rows, then its blobs.
    void purgeTenant(const std::string& tenantId);
    /// A new tenant key version; every data key of the tenant re-wrapped under it; the old
    /// versions destroyed. Data is not re-encrypted. Returns {version, data keys re-wrapped}.
    std::pair<int, std::int64_t> rotateTenantKey(const std::string& tenantId);
    /// Authenticates every segment of every file. `bad` is called for each failing file.
    std::int64_t verifyAll(const std::function<void(const BadFile&)>& bad);
    struct Collected {
        std::int64_t orphans = 0;
        std::int64_t pending = 0;
        std::int64_t reservations = 0;
    };
    /// Removes blobs no row points to and pending writes, both older than the grace period,
    /// and expired quota reservations.
    Collected collectGarbage();

    StorageQuota& quota() { return quota_; }
    BlobStore& blobs() { return blobs_; }

    // For the writer and reader classes.
    struct Record {
        std::string id;
        std::string tenantId;
        std::int64_t size = 0;
        bool sealed = false;
        std::uint32_t segmentBytes = 0;
        int tenantKeyVersion = 0;
        std::string wrappedKey;
        std::int64_t createdAtMs = 0;
    };
    Record load(const std::string& tenantId, const std::string& fileId);
    std::string dataKey(const Record& record);
    void reportIntegrityFailure(const Record& record, const std::string& reason);

    db::Database& database() { return db_; }
    const FileStoreOptions& options() const { return options_; }

private:
    db::Database& db_;
    BlobStore& blobs_;
    KeyStore& keys_;
    Journal& journal_;
    Poco::Logger& log_;
    FileStoreOptions options_;
    StorageQuota quota_;
};

}  // namespace relais

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace relais {

/// A storage failure that is not the client's fault. The HTTP core maps the kinds to
/// 404 not_found, 507 insufficient_storage, 503 storage_unavailable and, for a blob that
/// fails authentication, 500 storage_integrity (logged and journalled).
class StorageError : public std::runtime_error {
public:
    enum class Kind {
        NotFound,     ///< no such file for this tenant
        Full,         ///< the disk is full
        Unavailable,  ///< the storage cannot be written or read (read-only, missing, I/O error)
        Integrity,    ///< a blob is corrupt, truncated, reordered or under the wrong key
    };
    StorageError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

/// Adds bytes at the end of a file. Used by one thread. Nothing written is part of the file
/// until commit(); destroying the writer without commit() discards what it wrote.
class FileWriter {
public:
    virtual ~FileWriter() = default;
    /// Appends plaintext; it is encrypted and stored as it comes, in bounded memory. Throws
    /// Problem 413 `quota_exceeded` before storing a byte that would pass the tenant's quota,
    /// StorageError Full or Unavailable. After a throw the writer can only be discarded, or
    /// committed with what it stored before.
    virtual void write(const char* data, std::size_t size) = 0;
    /// Plaintext bytes this writer has taken so far.
    virtual std::int64_t written() const = 0;
    /// Makes what was written durable and part of the file. Returns the file's new size.
    virtual std::int64_t commit() = 0;
};

/// Reads a file's plaintext, decrypting only the segments a range needs. Used by one thread.
class FileReader {
public:
    virtual ~FileReader() = default;
    virtual std::int64_t size() const = 0;
    /// Up to `size` bytes from `offset`; 0 at the end. A segment that fails authentication
    /// throws StorageError Integrity before any of its bytes are returned.
    virtual std::size_t read(std::int64_t offset, char* buffer, std::size_t size) = 0;
};

/// What a tenant stores, in plaintext bytes.
struct StorageUsage {
    std::int64_t usedBytes = 0;
    std::int64_t quotaBytes = -1;  ///< -1: no quota
};

struct StoredFileInfo {
    std::string id;
    std::int64_t size = 0;
    bool sealed = false;
    std::int64_t createdAtMs = 0;
};

/// Every file users upload: encrypted with a key of its own, under anonymised blob names,
/// counted against the tenant's quota. Every call names the tenant, and a file of another
/// tenant is NotFound. Thread-safe.
class FileStore {
public:
    virtual ~FileStore() = default;
    /// A new, empty file of the tenant. Returns its id.
    virtual std::string createFile(const std::string& tenantId) = 0;
    /// A writer that appends to the file (which must not be sealed). `expectedBytes`, when
    /// known (else -1), is reserved against the quota at once: Problem 413 `quota_exceeded`.
    virtual std::unique_ptr<FileWriter> append(const std::string& tenantId, const std::string& fileId,
                                               std::int64_t expectedBytes) = 0;
    /// No more appends.
    virtual void seal(const std::string& tenantId, const std::string& fileId) = 0;
    virtual std::unique_ptr<FileReader> open(const std::string& tenantId, const std::string& fileId) = 0;
    virtual StoredFileInfo stat(const std::string& tenantId, const std::string& fileId) = 0;
    /// Crypto-shredding: the file's data key is destroyed, then its blobs.
    virtual void remove(const std::string& tenantId, const std::string& fileId) = 0;
    virtual StorageUsage usage(const std::string& tenantId) = 0;
    /// Sets the tenant's quota in bytes; -1 for none.
    virtual void setQuota(const std::string& tenantId, std::int64_t quotaBytes) = 0;
};

}  // namespace relais

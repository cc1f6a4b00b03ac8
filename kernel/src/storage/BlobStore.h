#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace relais {

/// A blob being written: invisible until commit() makes it durable and visible at once.
/// Destroying it uncommitted removes what was written. Used by one thread.
class BlobWriter {
public:
    virtual ~BlobWriter() = default;
    /// Throws StorageError Full or Unavailable.
    virtual void write(const char* data, std::size_t size) = 0;
    /// Durable first (data and name), visible after. Throws like write().
    virtual void commit() = 0;
};

/// A committed blob, read by offset. Used by one thread.
class BlobReader {
public:
    virtual ~BlobReader() = default;
    virtual std::int64_t size() const = 0;
    /// Reads up to `size` bytes at `offset`; fewer only at the end. Throws StorageError.
    virtual std::size_t readAt(std::int64_t offset, char* buffer, std::size_t size) = 0;
};

struct BlobInfo {
    std::string name;
    std::int64_t size = 0;
    std::int64_t modifiedMs = 0;
    bool pending = false;  ///< a write in progress, or left by a crash
};

/// Where encrypted blobs live: a local folder now, an object store (S3) for scale-out.
/// Names are opaque [0-9a-f]{32} chosen by the caller (newName()); nothing else about a file
/// reaches the store. No call assumes a filesystem: no paths, no partial overwrite, no append
/// to a committed blob. Thread-safe.
class BlobStore {
public:
    virtual ~BlobStore() = default;
    /// A fresh random name (128 bits).
    static std::string newName();
    /// Starts writing a blob. Throws StorageError Unavailable (read-only, missing folder).
    virtual std::unique_ptr<BlobWriter> create(const std::string& name) = 0;
    /// Throws StorageError NotFound or Unavailable.
    virtual std::unique_ptr<BlobReader> open(const std::string& name) = 0;
    /// A committed blob's size and age, or nothing when it does not exist.
    virtual std::optional<BlobInfo> stat(const std::string& name) = 0;
    /// Removes a committed blob, or a pending one (by the name list() gave). False if absent.
    virtual bool remove(const BlobInfo& blob) = 0;
    /// Every blob, committed and pending, for the garbage collector.
    virtual void list(const std::function<void(const BlobInfo&)>& visit) = 0;
    /// Whether blobs can be written now (for /healthz).
    virtual bool healthy() = 0;
};

}  // namespace relais

#pragma once

#include <string>

#include "storage/BlobStore.h"

namespace relais {

/// Blobs in a local folder (or a shared volume): <root>/<n[0..1]>/<n[2..3]>/<name>, written to
/// <root>/.pending/ first, then fsynced, renamed into place, and the folder fsynced; a crash
/// leaves either no blob or the whole blob, and at worst a pending file that GC removes.
/// Folders are 0700, files 0600.
class LocalBlobStore final : public BlobStore {
public:
    /// Creates the folders when it can; when it cannot (read-only), writes fail later with
    /// StorageError Unavailable and healthy() is false.
    explicit LocalBlobStore(std::string root);

    std::unique_ptr<BlobWriter> create(const std::string& name) override;
    std::unique_ptr<BlobReader> open(const std::string& name) override;
    std::optional<BlobInfo> stat(const std::string& name) override;
    bool remove(const BlobInfo& blob) override;
    void list(const std::function<void(const BlobInfo&)>& visit) override;
    bool healthy() override;

    const std::string& root() const { return root_; }
    /// Where a committed blob lives (tests and tools).
    std::string pathOf(const std::string& name) const;

private:
    std::string root_;
    std::string pending_;
};

/// Whether `name` is 32 lower-case hex characters.
bool isBlobName(const std::string& name);

}  // namespace relais

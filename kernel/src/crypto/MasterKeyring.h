#pragma once

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

namespace relais {

/// A master key that cannot be used: missing, unreadable, malformed, or readable by others.
class MasterKeyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The platform's master keys, top of the key hierarchy: they only wrap other keys (tenant
/// keys and platform keys), with AES-256-GCM. The key file holds one line per version,
/// `<version>:<64 hex characters>` (a bare 64-hex line is version 1), mode 0600; the highest
/// version wraps new keys. During a rotation the file holds the old and the new version; when
/// every wrapped key has been re-wrapped, the old one is dropped. Thread-safe. Key bytes are
/// wiped from memory when dropped.
class MasterKeyring {
public:
    /// Loads the file. When it does not exist and `createIfMissing`, generates version 1 with
    /// mode 0600 (in a folder created 0700). Throws MasterKeyError if the file is accessible to
    /// group or others, is malformed, or cannot be read.
    static MasterKeyring load(const std::string& path, bool createIfMissing);

    MasterKeyring(MasterKeyring&& other) noexcept;
    MasterKeyring& operator=(MasterKeyring&&) = delete;
    MasterKeyring(const MasterKeyring&) = delete;
    MasterKeyring& operator=(const MasterKeyring&) = delete;
    ~MasterKeyring();

    /// Seals `plain` under the current version; returns {version, sealed bytes}.
    std::pair<int, std::string> wrap(const std::string& plain, const std::string& aad) const;
    /// Opens what `wrap` sealed. A version this process does not know makes it read the file
    /// again once (another process may have rotated). Throws MasterKeyError for a version the
    /// file does not hold, std::runtime_error when authentication fails.
    std::string unwrap(int version, const std::string& sealed, const std::string& aad);

    int currentVersion() const;
    /// Adds a new random version to the file (written atomically) and makes it current.
    int addVersion();
    /// Rewrites the file with the current version only.
    void dropOldVersions();

    bool created() const { return created_; }
    const std::string& path() const { return path_; }

private:
    MasterKeyring(std::string path, std::map<int, std::string> keys, bool created)
        : path_(std::move(path)), keys_(std::move(keys)), created_(created) {}
    void save();  // with mutex_ held

    std::string path_;
    mutable std::mutex mutex_;
    std::map<int, std::string> keys_;  // version -> 32 key bytes
    bool created_ = false;
};

}  // namespace relais

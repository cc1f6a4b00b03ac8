#pragma once

#include <stdexcept>
#include <string>

namespace relais {

/// A master key that cannot be used: missing, unreadable, malformed, or readable by others.
class MasterKeyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The platform's master key: 32 random bytes, written as 64 hex characters in a file of mode
/// 0600. Every other key is derived from it or wrapped by it. Copying is disabled so that the
/// key lives in one place, and it is wiped from memory at destruction.
class MasterKey {
public:
    /// Loads the key file. When it does not exist and `createIfMissing`, generates one with mode
    /// 0600 (in a folder created 0700). Throws MasterKeyError if the file is readable or
    /// writable by group or others, is not 64 hex characters, or cannot be read.
    static MasterKey load(const std::string& path, bool createIfMissing);

    MasterKey(MasterKey&& other) noexcept;
    MasterKey& operator=(MasterKey&&) = delete;
    MasterKey(const MasterKey&) = delete;
    MasterKey& operator=(const MasterKey&) = delete;
    ~MasterKey();

    /// HKDF-SHA-256 of the master key for one purpose ("relais journal v1"): a 32-byte key.
    std::string derive(const std::string& purpose) const;
    /// Whether the file was created by this load.
    bool created() const { return created_; }

private:
    MasterKey(std::string key, bool created) : key_(std::move(key)), created_(created) {}
    std::string key_;
    bool created_ = false;
};

}  // namespace relais

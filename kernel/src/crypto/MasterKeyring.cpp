#include "crypto/MasterKeyring.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>

#include "crypto/Aead.h"
#include "relais/Random.h"

namespace relais {

namespace {

void wipe(std::string& s) {
    if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
    s.clear();
}

std::string modeText(mode_t mode) {
    char m[8];
    std::snprintf(m, sizeof m, "%04o", static_cast<unsigned>(mode & 07777));
    return m;
}

// Writes `content` to `path` through a temporary file: fsync, rename (or link, when the file
// must not exist yet: returns false if it appeared meanwhile), fsync of the folder.
bool writeAtomically(const std::string& path, const std::string& content, bool mustNotExist = false) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    std::error_code ec;
    if (!target.parent_path().empty() && !fs::exists(target.parent_path(), ec)) {
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw MasterKeyError("cannot create " + target.parent_path().string() + ": " + ec.message());
        ::chmod(target.parent_path().c_str(), 0700);
    }
    const std::string tmp = path + ".tmp-" + toHex(randomBytes(4));
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw MasterKeyError("cannot write the master key file " + tmp + ": " + std::strerror(errno));
    bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (ok && mustNotExist) {
        const bool linked = ::link(tmp.c_str(), path.c_str()) == 0;
        const int err = errno;
        ::unlink(tmp.c_str());
        if (!linked && err == EEXIST) return false;
        ok = linked;
        errno = err;
    } else if (ok) {
        ok = ::rename(tmp.c_str(), path.c_str()) == 0;
    }
    if (!ok) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw MasterKeyError("cannot write the master key file " + path + ": " + std::strerror(err));
    }
    const std::string dir = target.parent_path().empty() ? "." : target.parent_path().string();
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

std::map<int, std::string> readKeys(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw MasterKeyError("the master key file " + path + " cannot be read: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw MasterKeyError("the master key " + path + " is not a regular file");
    if (st.st_mode & 077)
        throw MasterKeyError("the master key file " + path + " is accessible to group or others (mode " +
                             modeText(st.st_mode) + "); run: chmod 600 " + path);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw MasterKeyError("the master key file " + path + " cannot be read: " + std::strerror(errno));
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0 && text.size() < 65536) text.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    OPENSSL_cleanse(buf, sizeof buf);

    std::map<int, std::string> keys;
    std::istringstream lines(text);
    std::string line;
    int lineNo = 0;
    while (std::getline(lines, line)) {
        ++lineNo;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty()) continue;
        int version = 1;
        std::string hex = line;
        auto colon = line.find(':');
        if (colon != std::string::npos) {
            const std::string v = line.substr(0, colon);
            version = v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos
                          ? 0
                          : std::stoi(v);
            hex = line.substr(colon + 1);
        }
        std::string key;
        try {
            if (hex.size() == 64) key = fromHex(hex);
        } catch (const std::invalid_argument&) {
            key.clear();
        }
        wipe(hex);
        if (version < 1 || key.size() != 32 || keys.count(version)) {
            wipe(text);
            throw MasterKeyError("the master key file " + path + ", line " + std::to_string(lineNo) +
                                 ": expected <version>:<64 hexadecimal characters>");
        }
        keys[version] = std::move(key);
    }
    wipe(line);
    wipe(text);
    if (keys.empty()) throw MasterKeyError("the master key file " + path + " holds no key");
    return keys;
}

}  // namespace

MasterKeyring MasterKeyring::load(const std::string& path, bool createIfMissing) {
    bool created = false;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT || !createIfMissing)
            throw MasterKeyError("the master key file " + path + " cannot be read: " + std::strerror(errno));
        std::string line = "1:" + toHex(randomBytes(32)) + "\n";
        // Two processes starting at once never both write a key: the second reads the first's.
        created = writeAtomically(path, line, true);
        wipe(line);
    }
    return MasterKeyring(path, readKeys(path), created);
}

MasterKeyring::MasterKeyring(MasterKeyring&& other) noexcept
    : path_(std::move(other.path_)), keys_(std::move(other.keys_)), created_(other.created_) {}

MasterKeyring::~MasterKeyring() {
    for (auto& [v, k] : keys_) wipe(k);
}

int MasterKeyring::currentVersion() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return keys_.rbegin()->first;
}

std::pair<int, std::string> MasterKeyring::wrap(const std::string& plain, const std::string& aad) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto& [version, key] = *keys_.rbegin();
    Aes256Gcm gcm(key);
    return {version, gcm.sealMessage(aad + "|master:" + std::to_string(version), plain)};
}

std::string MasterKeyring::unwrap(int version, const std::string& sealed, const std::string& aad) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = keys_.find(version);
    if (it == keys_.end()) {
        auto fresh = readKeys(path_);
        for (auto& [v, k] : fresh)
            if (!keys_.count(v)) keys_[v] = std::move(k);
        for (auto& [v, k] : fresh) wipe(k);
        it = keys_.find(version);
        if (it == keys_.end())
            throw MasterKeyError("master key version " + std::to_string(version) + " is not in " + path_);
    }
    Aes256Gcm gcm(it->second);
    return gcm.openMessage(aad + "|master:" + std::to_string(version), sealed);
}

void MasterKeyring::save() {
    std::string content;
    for (const auto& [v, k] : keys_) content += std::to_string(v) + ":" + toHex(k) + "\n";
    writeAtomically(path_, content);
    wipe(content);
}

int MasterKeyring::addVersion() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [v, k] : readKeys(path_))
        if (!keys_.count(v)) keys_[v] = k;
    const int version = keys_.rbegin()->first + 1;
    keys_[version] = randomBytes(32);
    save();
    return version;
}

void MasterKeyring::dropOldVersions() {
    std::lock_guard<std::mutex> lock(mutex_);
    while (keys_.size() > 1) {
        wipe(keys_.begin()->second);
        keys_.erase(keys_.begin());
    }
    save();
}

}  // namespace relais

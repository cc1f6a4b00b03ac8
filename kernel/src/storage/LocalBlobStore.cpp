#include "storage/LocalBlobStore.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "relais/FileStore.h"
#include "relais/Random.h"

namespace fs = std::filesystem;

namespace relais {

namespace {

[[noreturn]] void fail(int err, const std::string& what) {
    const bool full = err == ENOSPC || err == EDQUOT || err == EFBIG;
    throw StorageError(full ? StorageError::Kind::Full : StorageError::Kind::Unavailable,
                       what + ": " + std::strerror(err));
}

void fsyncDir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail(errno, "cannot open folder " + dir);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) fail(err, "cannot sync folder " + dir);
}

// mkdir -p for the two shard levels; each new folder is synced into its parent.
void ensureDir(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0700) == 0) {
        fsyncDir(fs::path(dir).parent_path().string());
    } else if (errno != EEXIST) {
        fail(errno, "cannot create folder " + dir);
    }
}

std::int64_t mtimeMs(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}

class LocalWriter final : public BlobWriter {
public:
    LocalWriter(std::string pendingPath, std::string finalDir, std::string finalPath, int fd)
        : pending_(std::move(pendingPath)), dir_(std::move(finalDir)), final_(std::move(finalPath)), fd_(fd) {}
    ~LocalWriter() override {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) ::unlink(pending_.c_str());
    }

    void write(const char* data, std::size_t size) override {
        while (size > 0) {
            const ssize_t n = ::write(fd_, data, size);
            if (n < 0) {
                if (errno == EINTR) continue;
                fail(errno, "cannot write a blob");
            }
            data += n;
            size -= static_cast<std::size_t>(n);
        }
    }

    void commit() override {
        if (::fsync(fd_) != 0) fail(errno, "cannot sync a blob");
        ::close(fd_);
        fd_ = -1;
        const std::string shard1 = fs::path(dir_).parent_path().string();
        ensureDir(shard1);
        ensureDir(dir_);
        if (::rename(pending_.c_str(), final_.c_str()) != 0) fail(errno, "cannot move a blob into place");
        committed_ = true;
        fsyncDir(dir_);
    }

private:
    std::string pending_, dir_, final_;
    int fd_;
    bool committed_ = false;
};

class LocalReader final : public BlobReader {
public:
    LocalReader(int fd, std::int64_t size) : fd_(fd), size_(size) {}
    ~LocalReader() override { ::close(fd_); }
    std::int64_t size() const override { return size_; }
    std::size_t readAt(std::int64_t offset, char* buffer, std::size_t size) override {
        std::size_t done = 0;
        while (done < size) {
            const ssize_t n = ::pread(fd_, buffer + done, size - done, static_cast<off_t>(offset) + static_cast<off_t>(done));
            if (n < 0) {
                if (errno == EINTR) continue;
                fail(errno, "cannot read a blob");
            }
            if (n == 0) break;
            done += static_cast<std::size_t>(n);
        }
        return done;
    }

private:
    int fd_;
    std::int64_t size_;
};

}  // namespace

std::string BlobStore::newName() { return toHex(randomBytes(16)); }

bool isBlobName(const std::string& name) {
    if (name.size() != 32) return false;
    for (char c : name)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

LocalBlobStore::LocalBlobStore(std::string root) : root_(std::move(root)), pending_(root_ + "/.pending") {
    std::error_code ec;
    if (fs::create_directories(pending_, ec)) {
        ::chmod(root_.c_str(), 0700);
        ::chmod(pending_.c_str(), 0700);
    }
}

std::string LocalBlobStore::pathOf(const std::string& name) const {
    return root_ + "/" + name.substr(0, 2) + "/" + name.substr(2, 2) + "/" + name;
}

std::unique_ptr<BlobWriter> LocalBlobStore::create(const std::string& name) {
    if (!isBlobName(name)) throw std::invalid_argument("a blob name is 32 hexadecimal characters");
    std::error_code ec;
    fs::create_directories(pending_, ec);
    const std::string pending = pending_ + "/" + name + "." + toHex(randomBytes(4)) + ".part";
    int fd = ::open(pending.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) fail(errno, "cannot create a blob under " + root_);
    const std::string final = pathOf(name);
    return std::make_unique<LocalWriter>(pending, fs::path(final).parent_path().string(), final, fd);
}

std::unique_ptr<BlobReader> LocalBlobStore::open(const std::string& name) {
    if (!isBlobName(name)) throw StorageError(StorageError::Kind::NotFound, "no blob named so");
    int fd = ::open(pathOf(name).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) throw StorageError(StorageError::Kind::NotFound, "blob " + name + " is missing");
        fail(errno, "cannot open blob " + name);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        fail(err, "cannot stat blob " + name);
    }
    return std::make_unique<LocalReader>(fd, static_cast<std::int64_t>(st.st_size));
}

std::optional<BlobInfo> LocalBlobStore::stat(const std::string& name) {
    if (!isBlobName(name)) return std::nullopt;
    struct stat st {};
    if (::stat(pathOf(name).c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        fail(errno, "cannot stat blob " + name);
    }
    return BlobInfo{name, static_cast<std::int64_t>(st.st_size), mtimeMs(st), false};
}

bool LocalBlobStore::remove(const BlobInfo& blob) {
    std::string path;
    if (blob.pending) {
        const std::string& n = blob.name;
        if (n.find('/') != std::string::npos || n.size() < 6 || n.compare(n.size() - 5, 5, ".part") != 0) return false;
        path = pending_ + "/" + blob.name;
    } else {
        if (!isBlobName(blob.name)) return false;
        path = pathOf(blob.name);
    }
    return ::unlink(path.c_str()) == 0;
}

void LocalBlobStore::list(const std::function<void(const BlobInfo&)>& visit) {
    auto entries = [](const std::string& dir, const std::function<void(const std::string&, const struct stat&)>& fn) {
        DIR* d = ::opendir(dir.c_str());
        if (!d) return;
        while (dirent* e = ::readdir(d)) {
            const std::string n = e->d_name;
            if (n == "." || n == "..") continue;
            struct stat st {};
            if (::lstat((dir + "/" + n).c_str(), &st) == 0) fn(n, st);
        }
        ::closedir(d);
    };
    entries(root_, [&](const std::string& a, const struct stat& sa) {
        if (a.size() != 2 || !S_ISDIR(sa.st_mode)) return;
        entries(root_ + "/" + a, [&](const std::string& b, const struct stat& sb) {
            if (b.size() != 2 || !S_ISDIR(sb.st_mode)) return;
            entries(root_ + "/" + a + "/" + b, [&](const std::string& n, const struct stat& st) {
                if (S_ISREG(st.st_mode) && isBlobName(n))
                    visit(BlobInfo{n, static_cast<std::int64_t>(st.st_size), mtimeMs(st), false});
            });
        });
    });
    entries(pending_, [&](const std::string& n, const struct stat& st) {
        if (S_ISREG(st.st_mode)) visit(BlobInfo{n, static_cast<std::int64_t>(st.st_size), mtimeMs(st), true});
    });
}

bool LocalBlobStore::healthy() {
    return ::access(root_.c_str(), W_OK | X_OK) == 0 && ::access(pending_.c_str(), W_OK | X_OK) == 0;
}

}  // namespace relais

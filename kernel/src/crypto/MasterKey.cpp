#include "crypto/MasterKey.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "relais/Random.h"

namespace relais {

namespace {

std::string fromHex(const std::string& hex) {
    auto val = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        int hi = val(hex[i]), lo = val(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return {};
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
}

void writeNewKeyFile(const std::string& path, const std::string& hex) {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
        std::filesystem::create_directories(parent, ec);
        if (ec)
            throw MasterKeyError("cannot create " + parent.string() + ": " + ec.message());
        ::chmod(parent.c_str(), 0700);
    }
    // O_EXCL: two processes starting at once never both write a key.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        throw MasterKeyError("cannot create the master key file " + path + ": " +
                             std::strerror(errno));
    const std::string content = hex + "\n";
    bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
        ::unlink(path.c_str());
        throw MasterKeyError("cannot write the master key file " + path);
    }
}

}  // namespace

MasterKey MasterKey::load(const std::string& path, bool createIfMissing) {
    bool created = false;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT || !createIfMissing)
            throw MasterKeyError("the master key file " + path +
                                 " cannot be read: " + std::strerror(errno));
        writeNewKeyFile(path, toHex(randomBytes(32)));
        created = true;
        if (::stat(path.c_str(), &st) != 0)
            throw MasterKeyError("the master key file " + path + " vanished after creation");
    }
    if (!S_ISREG(st.st_mode))
        throw MasterKeyError("the master key " + path + " is not a regular file");
    if (st.st_mode & 077)
        throw MasterKeyError(
            "the master key file " + path + " is accessible to group or others (mode " +
            [&] {
                char m[8];
                std::snprintf(m, sizeof m, "%04o", static_cast<unsigned>(st.st_mode & 07777));
                return std::string(m);
            }() +
            "); run: chmod 600 " + path);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw MasterKeyError("the master key file " + path +
                             " cannot be read: " + std::strerror(errno));
    char buf[130];
    ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    std::string text(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    OPENSSL_cleanse(buf, sizeof buf);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    std::string key = text.size() == 64 ? fromHex(text) : std::string();
    OPENSSL_cleanse(text.data(), text.size());
    if (key.size() != 32)
        throw MasterKeyError("the master key file " + path +
                             " must hold 64 hexadecimal characters");
    return MasterKey(std::move(key), created);
}

MasterKey::MasterKey(MasterKey&& other) noexcept
    : key_(std::move(other.key_)), created_(other.created_) {
    other.key_.clear();
}

MasterKey::~MasterKey() {
    if (!key_.empty())
        OPENSSL_cleanse(key_.data(), key_.size());
}

std::string MasterKey::derive(const std::string& purpose) const {
    std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr),
                                                          EVP_KDF_free);
    if (!kdf)
        throw std::runtime_error("HKDF is not available");
    std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()),
                                                                  EVP_KDF_CTX_free);
    char digest[] = "SHA256";
    std::string info = purpose;
    std::string salt = "relais";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(key_.data()),
                                          key_.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt.data(), salt.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
        OSSL_PARAM_construct_end()};
    std::string out(32, '\0');
    if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(),
                       params) != 1)
        throw std::runtime_error("HKDF failed");
    return out;
}

}  // namespace relais

#pragma once

#include <cstddef>
#include <string>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace relais {

/// Streaming SHA-256 (OpenSSL EVP), for checksums of files of any size.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(const void* data, std::size_t size);
    /// The digest as lower-case hex; the object is done after it.
    std::string hexDigest();

private:
    EVP_MD_CTX* ctx_;
};

}  // namespace relais

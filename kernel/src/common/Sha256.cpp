#include "relais/Sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "relais/Random.h"

namespace relais {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(ctx_);
        throw std::runtime_error("SHA-256 is not available");
    }
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(ctx_, data, size) != 1) throw std::runtime_error("SHA-256 failed");
}

std::string Sha256::hexDigest() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_, out, &len) != 1) throw std::runtime_error("SHA-256 failed");
    return toHex(std::string(reinterpret_cast<char*>(out), len));
}

}  // namespace relais

#include "crypto/Ed25519.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace relais {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

Key privateKey(const std::string& seed) {
    if (seed.size() != 32) throw std::invalid_argument("an Ed25519 seed has 32 bytes");
    Key key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes(seed), seed.size()), &EVP_PKEY_free);
    if (!key) throw std::runtime_error("OpenSSL refused the Ed25519 key");
    return key;
}

}  // namespace

Ed25519::Ed25519(const std::string& seed) : seed_(seed) {
    Key key = privateKey(seed_);
    std::size_t size = 32;
    public_.resize(size);
    if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(public_.data()), &size) != 1 ||
        size != 32)
        throw std::runtime_error("OpenSSL cannot derive the Ed25519 public key");
}

std::string Ed25519::sign(const std::string& message) const {
    Key key = privateKey(seed_);
    Context ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::string signature(64, '\0');
    std::size_t size = signature.size();
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, bytes(message),
                       message.size()) != 1 ||
        size != 64)
        throw std::runtime_error("Ed25519 signing failed");
    return signature;
}

bool Ed25519::verify(const std::string& publicKey, const std::string& message, const std::string& signature) {
    if (publicKey.size() != 32 || signature.size() != 64) return false;
    Key key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(publicKey), publicKey.size()),
            &EVP_PKEY_free);
    Context ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
    return EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(message), message.size()) == 1;
}

}  // namespace relais

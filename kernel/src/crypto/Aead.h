#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;

namespace relais {

/// AES-256-GCM through OpenSSL's EVP interface: 256-bit keys, 96-bit nonces, 128-bit tags.
/// One object holds one key and is used by one thread; it can seal or open many messages.
class Aes256Gcm {
public:
    static constexpr std::size_t kKeyBytes = 32;
    static constexpr std::size_t kNonceBytes = 12;
    static constexpr std::size_t kTagBytes = 16;

    /// `key` must be 32 bytes. Throws std::invalid_argument otherwise.
    explicit Aes256Gcm(const std::string& key);
    ~Aes256Gcm();
    Aes256Gcm(const Aes256Gcm&) = delete;
    Aes256Gcm& operator=(const Aes256Gcm&) = delete;

    /// Encrypts `size` bytes of `plain` into `out` (size bytes) and writes the tag to `tag`.
    void seal(const unsigned char* nonce, const std::string& aad, const char* plain, std::size_t size,
              char* out, unsigned char* tag);
    /// Decrypts and authenticates. Returns false, and leaves `out` unspecified (never to be
    /// used), when the tag does not match.
    bool open(const unsigned char* nonce, const std::string& aad, const char* cipher, std::size_t size,
              const unsigned char* tag, char* out);

    /// Whole-message forms for small secrets (wrapped keys): nonce ‖ ciphertext ‖ tag.
    std::string sealMessage(const std::string& aad, const std::string& plain);
    /// Throws std::runtime_error when authentication fails.
    std::string openMessage(const std::string& aad, const std::string& sealed);

private:
    EVP_CIPHER_CTX* enc_;
    EVP_CIPHER_CTX* dec_;
};

}  // namespace relais

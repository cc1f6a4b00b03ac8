#include "crypto/Aead.h"

#include <openssl/evp.h>

#include "relais/Random.h"

namespace relais {

namespace {
void check(int ok, const char* what) {
    if (ok != 1) throw std::runtime_error(std::string("AES-256-GCM: ") + what + " failed");
}
}  // namespace

Aes256Gcm::Aes256Gcm(const std::string& key) : enc_(EVP_CIPHER_CTX_new()), dec_(EVP_CIPHER_CTX_new()) {
    if (key.size() != kKeyBytes) {
        EVP_CIPHER_CTX_free(enc_);
        EVP_CIPHER_CTX_free(dec_);
        throw std::invalid_argument("an AES-256 key is 32 bytes");
    }
    const auto* k = reinterpret_cast<const unsigned char*>(key.data());
    // The key schedule is computed once; each message only sets its nonce.
    check(EVP_EncryptInit_ex(enc_, EVP_aes_256_gcm(), nullptr, k, nullptr), "key set-up");
    check(EVP_DecryptInit_ex(dec_, EVP_aes_256_gcm(), nullptr, k, nullptr), "key set-up");
}

Aes256Gcm::~Aes256Gcm() {
    EVP_CIPHER_CTX_free(enc_);
    EVP_CIPHER_CTX_free(dec_);
}

void Aes256Gcm::seal(const unsigned char* nonce, const std::string& aad, const char* plain,
                     std::size_t size, char* out, unsigned char* tag) {
    int len = 0;
    check(EVP_EncryptInit_ex(enc_, nullptr, nullptr, nullptr, nonce), "nonce");
    check(EVP_EncryptUpdate(enc_, nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                            static_cast<int>(aad.size())),
          "AAD");
    std::size_t done = 0;
    while (done < size) {  // EVP lengths are int
        const int chunk = static_cast<int>(std::min<std::size_t>(size - done, 1 << 30));
        check(EVP_EncryptUpdate(enc_, reinterpret_cast<unsigned char*>(out + done), &len,
                                reinterpret_cast<const unsigned char*>(plain + done), chunk),
              "encryption");
        done += static_cast<std::size_t>(chunk);
    }
    check(EVP_EncryptFinal_ex(enc_, reinterpret_cast<unsigned char*>(out + done), &len), "final");
    check(EVP_CIPHER_CTX_ctrl(enc_, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes), tag), "tag");
}

bool Aes256Gcm::open(const unsigned char* nonce, const std::string& aad, const char* cipher,
                     std::size_t size, const unsigned char* tag, char* out) {
    int len = 0;
    check(EVP_DecryptInit_ex(dec_, nullptr, nullptr, nullptr, nonce), "nonce");
    check(EVP_DecryptUpdate(dec_, nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                            static_cast<int>(aad.size())),
          "AAD");
    std::size_t done = 0;
    while (done < size) {
        const int chunk = static_cast<int>(std::min<std::size_t>(size - done, 1 << 30));
        check(EVP_DecryptUpdate(dec_, reinterpret_cast<unsigned char*>(out + done), &len,
                                reinterpret_cast<const unsigned char*>(cipher + done), chunk),
              "decryption");
        done += static_cast<std::size_t>(chunk);
    }
    check(EVP_CIPHER_CTX_ctrl(dec_, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                              const_cast<unsigned char*>(tag)),
          "tag");
    return EVP_DecryptFinal_ex(dec_, reinterpret_cast<unsigned char*>(out + done), &len) == 1;
}

std::string Aes256Gcm::sealMessage(const std::string& aad, const std::string& plain) {
    std::string out(kNonceBytes + plain.size() + kTagBytes, '\0');
    const std::string nonce = randomBytes(kNonceBytes);
    out.replace(0, kNonceBytes, nonce);
    seal(reinterpret_cast<const unsigned char*>(nonce.data()), aad, plain.data(), plain.size(),
         &out[kNonceBytes], reinterpret_cast<unsigned char*>(&out[kNonceBytes + plain.size()]));
    return out;
}

std::string Aes256Gcm::openMessage(const std::string& aad, const std::string& sealed) {
    if (sealed.size() < kNonceBytes + kTagBytes) throw std::runtime_error("a sealed message is too short");
    const std::size_t size = sealed.size() - kNonceBytes - kTagBytes;
    std::string out(size, '\0');
    if (!open(reinterpret_cast<const unsigned char*>(sealed.data()), aad, sealed.data() + kNonceBytes, size,
              reinterpret_cast<const unsigned char*>(sealed.data() + kNonceBytes + size), out.data()))
        throw std::runtime_error("a sealed message failed authentication");
    return out;
}

}  // namespace relais

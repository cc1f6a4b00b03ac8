#pragma once

#include <string>

namespace relais {

/// Ed25519 signatures (RFC 8032) through OpenSSL, for documents a third party must be able to
/// check without any secret of ours: deletion certificates.
class Ed25519 {
public:
    /// A signer whose private key is the 32-byte `seed`.
    explicit Ed25519(const std::string& seed);
    /// The 32-byte public key.
    std::string publicKey() const { return public_; }
    /// The 64-byte signature of `message`.
    std::string sign(const std::string& message) const;
    /// Whether `signature` is `publicKey`'s signature of `message`.
    static bool verify(const std::string& publicKey, const std::string& message, const std::string& signature);

private:
    std::string seed_;
    std::string public_;
};

}  // namespace relais

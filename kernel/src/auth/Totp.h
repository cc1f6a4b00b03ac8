#pragma once

#include <cstdint>
#include <string>

namespace relais {

/// Time-based one-time passwords, RFC 6238 with HMAC-SHA-1, 30-second steps, 6 digits: what
/// authenticator apps expect.
class Totp {
public:
    /// A new 160-bit secret.
    static std::string newSecret();
    /// RFC 4648 base32, without padding (as otpauth:// wants it).
    static std::string base32(const std::string& bytes);
    /// otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
    static std::string uri(const std::string& issuer, const std::string& account, const std::string& secret);
    /// The code of time step `step` (unix time / 30).
    static std::string code(const std::string& secret, std::uint64_t step);
    /// The step whose code `code` is, within one step either side of `nowStep`, and later than
    /// `lastUsedStep` (a code used once is refused after); 0 when none matches.
    static std::uint64_t match(const std::string& secret, const std::string& code, std::uint64_t nowStep,
                               std::uint64_t lastUsedStep);
    static std::uint64_t stepAt(std::int64_t epochMs) { return static_cast<std::uint64_t>(epochMs / 1000 / 30); }
};

}  // namespace relais

#pragma once

#include <cstddef>
#include <string>

namespace relais {

/// n bytes from OpenSSL's CSPRNG. Throws std::runtime_error if the generator fails.
std::string randomBytes(std::size_t n);

/// A secret token of `bytes` random bytes (at least 16), base64url without padding.
/// Store only its hash (sha256Hex), never the token.
std::string randomToken(std::size_t bytes = 32);

/// An opaque identifier: prefix, '_', then 20 base32 characters (100 random bits).
/// Identifiers are not secrets; secrets use randomToken.
std::string randomId(const std::string& prefix);

/// Lower-case hex of SHA-256.
std::string sha256Hex(const std::string& data);

/// Raw HMAC-SHA-256 (32 bytes).
std::string hmacSha256(const std::string& key, const std::string& data);

/// Lower-case hex of bytes.
std::string toHex(const std::string& bytes);
/// The bytes of a hex string (either case). Throws std::invalid_argument if it is not hex.
std::string fromHex(const std::string& hex);

/// Compares two strings in time that does not depend on where they differ.
bool constantTimeEquals(const std::string& a, const std::string& b);

}  // namespace relais

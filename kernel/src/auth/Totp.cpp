#include "auth/Totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>

#include "relais/Random.h"

namespace relais {

std::string Totp::newSecret() { return randomBytes(20); }

std::string Totp::base32(const std::string& bytes) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out.push_back(kAlphabet[(buffer >> (bits - 5)) & 0x1F]);
            bits -= 5;
        }
    }
    if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1F]);
    return out;
}

namespace {
std::string percent(const std::string& s) {
    std::string out;
    char buf[4];
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
            out.push_back(static_cast<char>(c));
        } else {
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}
}  // namespace

std::string Totp::uri(const std::string& issuer, const std::string& account, const std::string& secret) {
    return "otpauth://totp/" + percent(issuer) + ":" + percent(account) + "?secret=" + base32(secret) +
           "&issuer=" + percent(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

std::string Totp::code(const std::string& secret, std::uint64_t step) {
    unsigned char counter[8];
    for (int i = 7; i >= 0; --i, step >>= 8) counter[i] = static_cast<unsigned char>(step & 0xFF);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), counter, sizeof counter, mac, &len);
    const int offset = mac[len - 1] & 0x0F;
    const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                                 (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                                 (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
    char out[8];
    std::snprintf(out, sizeof out, "%06u", binary % 1000000);
    return out;
}

std::uint64_t Totp::match(const std::string& secret, const std::string& code, std::uint64_t nowStep,
                          std::uint64_t lastUsedStep) {
    if (code.size() != 6) return 0;
    for (std::uint64_t step = nowStep + 1; step + 2 > nowStep && step > 0; --step) {
        if (step <= lastUsedStep) break;
        if (constantTimeEquals(Totp::code(secret, step), code)) return step;
        if (step == nowStep - 1) break;
    }
    return 0;
}

}  // namespace relais

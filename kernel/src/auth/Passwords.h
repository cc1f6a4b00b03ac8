#pragma once

#include <string>

namespace relais {

/// argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), in PHC string form
/// ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"), with a 16-byte random salt.
class PasswordHasher {
public:
    static std::string hash(const std::string& password);
    /// Constant-time comparison inside libargon2. False for a malformed hash.
    static bool verify(const std::string& password, const std::string& encoded);
    /// Burns the time of one verification, for accounts that do not exist: login answers in
    /// the same time either way.
    static void verifyNothing(const std::string& password);
};

/// The password policy: CNIL deliberation 2022-100, case 2 (a password with account
/// lockout): at least 50 bits of entropy, counted as length × log2(size of the character
/// classes used: 26 lower-case, 26 upper-case, 10 digits, 37 others), at least 8 characters,
/// at most 256 bytes, not containing the account's e-mail name, not one of the most common
/// passwords. Returns "" when acceptable, else the reason, in French.
std::string passwordWeakness(const std::string& password, const std::string& email);

}  // namespace relais

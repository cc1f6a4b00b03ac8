#pragma once

#include <string>

namespace relais {

/// argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), in PHC string form
/// ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"), with a 16-byte random salt. Used for account
/// passwords and for every password-like secret a plugin stores (link passwords).
class PasswordHasher {
public:
    static std::string hash(const std::string& password);
    /// Constant-time comparison inside libargon2. False for a malformed hash.
    static bool verify(const std::string& password, const std::string& encoded);
    /// Burns the time of one verification, for accounts that do not exist: login answers in
    /// the same time either way.
    static void verifyNothing(const std::string& password);
};

}  // namespace relais

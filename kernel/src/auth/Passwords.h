#pragma once

#include <string>

#include "relais/Passwords.h"

namespace relais {

/// The password policy: CNIL deliberation 2022-100, case 2 (a password with account
/// lockout): at least 50 bits of entropy, counted as length × log2(size of the character
/// classes used: 26 lower-case, 26 upper-case, 10 digits, 37 others), at least 8 characters,
/// at most 256 bytes, not containing the account's e-mail name, not one of the most common
/// passwords. Returns "" when acceptable, else the reason, in French.
std::string passwordWeakness(const std::string& password, const std::string& email);

}  // namespace relais

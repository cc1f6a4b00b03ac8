#pragma once

#include <cstddef>
#include <string>

#include "relais/http/Fields.h"

namespace Poco::JSON {
class Object;
}

namespace relais {

/// A tenant slug: 3 to 40 of [a-z0-9-], not starting or ending with '-', not reserved (www,
/// api, admin, mail...). Returns "" when valid, else why.
std::string slugProblem(const std::string& slug);

/// A SIREN: 9 digits whose Luhn checksum is right (spaces allowed and removed).
bool isValidSiren(const std::string& siren);
/// The SIREN without spaces.
std::string normaliseSiren(const std::string& siren);

/// Lower-case and trimmed; "" if not a plain address.
std::string normaliseEmail(const std::string& email);

/// A host name: labels of [a-z0-9-], 1 to 63 each, 253 at most, at least one dot.
bool isValidHostname(const std::string& host);

/// The number of characters (code points) of UTF-8 text: what length limits count.
std::size_t characterCount(const std::string& utf8);

}  // namespace relais

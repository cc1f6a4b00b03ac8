#pragma once

#include <cstddef>
#include <string>

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

/// Reading request fields with precise errors (Problem 400 invalid_field naming the field).
namespace field {
/// A required string of 1..max characters, no control characters.
std::string text(const Poco::JSON::Object& body, const std::string& name, std::size_t max);
/// An optional one: "" when absent or null.
std::string optionalText(const Poco::JSON::Object& body, const std::string& name, std::size_t max);
bool has(const Poco::JSON::Object& body, const std::string& name);
/// A valid address, lower-cased.
std::string email(const Poco::JSON::Object& body, const std::string& name);
bool boolean(const Poco::JSON::Object& body, const std::string& name);
std::int64_t integer(const Poco::JSON::Object& body, const std::string& name, std::int64_t min, std::int64_t max);
}  // namespace field

}  // namespace relais

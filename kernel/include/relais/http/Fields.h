#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace Poco::JSON {
class Object;
}

/// Reading the fields of a JSON request body, with precise errors: Problem 400 invalid_field
/// naming the field. Booleans are not integers and integers past 64 bits are refused, both
/// with the field's name (Poco's Var would take the first and throw on the second).
namespace relais::field {
/// Present and not null.
bool has(const Poco::JSON::Object& body, const std::string& name);
/// A required string of 1..max characters, no control characters.
std::string text(const Poco::JSON::Object& body, const std::string& name, std::size_t max);
/// An optional one: "" when absent or null.
std::string optionalText(const Poco::JSON::Object& body, const std::string& name, std::size_t max);
/// A valid address, lower-cased.
std::string email(const Poco::JSON::Object& body, const std::string& name);
bool boolean(const Poco::JSON::Object& body, const std::string& name);
std::int64_t integer(const Poco::JSON::Object& body, const std::string& name, std::int64_t min, std::int64_t max);
}  // namespace relais::field

#pragma once

#include <string>
#include <vector>

#include "relais/Text.h"

namespace relais::http {

/// The request-target of a request line, split and decoded.
struct RequestTarget {
    std::vector<std::string> segments;  ///< percent-decoded path segments
    std::string path;                   ///< "/" + the decoded segments joined by '/'
    std::string rawQuery;               ///< after '?', undecoded
};

/// Parses an origin-form ("/a/b?q") or absolute-form ("http://h/a/b?q") target. Throws
/// Problem 400 `invalid_path` for a bad percent escape, an encoded NUL or control character,
/// invalid UTF-8, or a "." or ".." segment: no path ever needs them, and refusing them here
/// keeps traversal out of every handler.
RequestTarget parseRequestTarget(const std::string& target);

}  // namespace relais::http

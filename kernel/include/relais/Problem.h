#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace relais {

/// One invalid field of a request, reported in the `errors` member of a problem.
struct FieldError {
    std::string field;
    std::string message;
};

/// An expected failure of a request, answered as RFC 9457 application/problem+json.
///
/// Throw it from a handler or a middleware; the HTTP core turns it into the response, and no
/// other code writes error bodies. `code` is the stable machine-readable word clients rely on
/// (`invalid_field`, `not_found`, ...); `detail` is a human sentence and must never carry a
/// secret. Extra headers (Retry-After, Allow, ...) travel with it.
class Problem : public std::runtime_error {
public:
    Problem(int status, std::string code, std::string detail = {},
            std::vector<FieldError> errors = {});

    int status() const { return status_; }
    const std::string& code() const { return code_; }
    const std::string& detail() const { return detail_; }
    const std::vector<FieldError>& errors() const { return errors_; }
    const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

    /// Adds a response header, for example Retry-After or Allow. Returns *this for chaining.
    Problem& withHeader(std::string name, std::string value);
    /// Adds an extension member to the body (RFC 9457 §3.2), for example {"reason": "revoked"};
    /// it never replaces a standard member. Returns *this for chaining.
    Problem& with(std::string name, std::string value);
    const std::vector<std::pair<std::string, std::string>>& extensions() const { return extensions_; }

    // The usual ones, so that codes stay consistent across the code base.
    static Problem badRequest(std::string code, std::string detail);
    static Problem invalidField(std::string field, std::string message);
    static Problem notFound(std::string detail = "The resource does not exist.");
    static Problem unsupportedMediaType(std::string expected);

private:
    int status_;
    std::string code_;
    std::string detail_;
    std::vector<FieldError> errors_;
    std::vector<std::pair<std::string, std::string>> headers_;
    std::vector<std::pair<std::string, std::string>> extensions_;
};

/// The standard reason phrase of an HTTP status, used as a problem's `title`.
const char* statusTitle(int status);

}  // namespace relais

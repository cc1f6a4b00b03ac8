#include "relais/Problem.h"

namespace relais {

Problem::Problem(int status, std::string code, std::string detail, std::vector<FieldError> errors)
    : std::runtime_error(code + ": " + detail),
      status_(status),
      code_(std::move(code)),
      detail_(std::move(detail)),
      errors_(std::move(errors)) {}

Problem& Problem::with(std::string name, std::string value) {
    extensions_.emplace_back(std::move(name), std::move(value));
    return *this;
}

Problem& Problem::withHeader(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
}

Problem Problem::badRequest(std::string code, std::string detail) {
    return Problem(400, std::move(code), std::move(detail));
}

Problem Problem::invalidField(std::string field, std::string message) {
    std::string detail = "The field '" + field + "' is invalid: " + message;
    return Problem(400, "invalid_field", detail, {{std::move(field), std::move(message)}});
}

Problem Problem::notFound(std::string detail) {
    return Problem(404, "not_found", std::move(detail));
}

Problem Problem::unsupportedMediaType(std::string expected) {
    return Problem(415, "unsupported_media_type", "The body must be " + expected + ".");
}

const char* statusTitle(int status) {
    switch (status) {
        case 100:
            return "Continue";
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 206:
            return "Partial Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 303:
            return "See Other";
        case 304:
            return "Not Modified";
        case 307:
            return "Temporary Redirect";
        case 308:
            return "Permanent Redirect";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 406:
            return "Not Acceptable";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 411:
            return "Length Required";
        case 412:
            return "Precondition Failed";
        case 413:
            return "Content Too Large";
        case 414:
            return "URI Too Long";
        case 415:
            return "Unsupported Media Type";
        case 416:
            return "Range Not Satisfiable";
        case 422:
            return "Unprocessable Content";
        case 423:
            return "Locked";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 460:
            return "Checksum Mismatch";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 503:
            return "Service Unavailable";
        case 505:
            return "HTTP Version Not Supported";
        case 507:
            return "Insufficient Storage";
        default:
            if (status < 400)
                return "OK";
            return status < 500 ? "Client Error" : "Server Error";
    }
}

}  // namespace relais

#pragma once

// JSON in and out of HTTP handlers. Include it only where JSON is handled: it pulls in
// Poco::JSON.

#include <Poco/JSON/Object.h>
#include <cstddef>
#include <string>

namespace relais::http {

class Request;
class Response;

/// The default size limit of a JSON request body.
constexpr std::size_t kJsonBodyLimit = 1 << 20;

/// Reads the body as a JSON object. Problem 415 `unsupported_media_type` unless the body is
/// application/json, 413 `body_too_large` past `limit`, 400 `invalid_json` if it does not
/// parse or is not an object.
Poco::JSON::Object::Ptr readJsonObject(Request& request, std::size_t limit = kJsonBodyLimit);

/// Sends `value` as application/json; charset=utf-8.
void sendJson(Response& response, int status, const Poco::Dynamic::Var& value);

/// Serialises a JSON value compactly.
std::string toJson(const Poco::Dynamic::Var& value);

}  // namespace relais::http

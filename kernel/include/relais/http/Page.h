#pragma once

// Paginated lists, as API.md fixes them: ?limit= (default 50, at most 500) and ?cursor=, and
// the answer {"items": [...], "next_cursor": "..." | null}. Include it only where lists are
// answered: it pulls in Poco::JSON.

#include <Poco/JSON/Array.h>

#include <string>

namespace relais::http {

class Request;
class Response;

/// What a list request asks for: how many items, and the key after which to list ("" for
/// the first page). Cursors are opaque to clients: a key wrapped by cursorAfter().
struct Page {
    int limit = 50;
    std::string after;
};

/// Reads ?limit= and ?cursor=. Problem 400 `invalid_field` for a bad limit, or a cursor this
/// API did not hand out.
Page pageOf(const Request& request);
/// The cursor that continues after `key`.
std::string cursorAfter(const std::string& key);
/// Sends {"items": items, "next_cursor": cursorAfter(nextKey), or null when nextKey is ""}.
void sendPage(Response& response, const Poco::JSON::Array& items, const std::string& nextKey);

}  // namespace relais::http

#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "Links.h"
#include "TusHandler.h"
#include "Tracking.h"
#include "UploadStore.h"
#include "WesendSettings.h"

namespace Poco {
class Logger;
}

namespace relais {
class FileStore;
class Journal;
class Mailer;
class EventBus;
namespace db {
class Connection;
class Database;
class Row;
class Value;
using Params = std::vector<Value>;
}  // namespace db
namespace http {
class Request;
class Response;
}  // namespace http
}  // namespace relais

namespace relais::plugins::wesend {

/// What the module's parts share, built once at registration.
struct Services {
    const WesendSettings& settings;
    db::Database& db;
    FileStore& files;
    Mailer& mail;
    Journal& journal;
    EventBus& events;
    Poco::Logger& log;
    UploadStore& uploads;
    Links& links;
    Tracking& tracking;
    TusHandler& tus;
};

// Request-body helpers shared by the transfer and request routes.

/// An optional string member: "" when absent or null; Problem 422 when not a string or longer
/// than `maxBytes`, or (when `oneLine`) holding a control character.
std::string optionalText(const Poco::JSON::Object::Ptr& body, const std::string& field,
                         std::size_t maxBytes, bool oneLine);
/// An optional integer member in [min, max]; `def` when absent or null.
std::int64_t optionalInt(const Poco::JSON::Object::Ptr& body, const std::string& field,
                         std::int64_t min, std::int64_t max, std::int64_t def);
/// A list of distinct e-mail addresses (lower-case), at most `max`.
std::vector<std::string> emailList(const Poco::JSON::Object::Ptr& body, const std::string& field,
                                   std::size_t max);
/// A list of strings (upload ids), 1 to `max` of them.
std::vector<std::string> idList(const Poco::JSON::Object::Ptr& body, const std::string& field,
                                std::size_t max);
/// A link password: absent, or 8 to 256 bytes. Returns its argon2id hash, or "".
std::string optionalPassword(const Poco::JSON::Object::Ptr& body);
/// Answers one page (relais/http/Page.h) of a list, newest first: `select` is a SELECT of rows
/// with created_at and id, ending in its WHERE conditions (bound by `params`); each row becomes
/// an item through `item`, in one read. The cursor key is "<created_at>.<id>" of the page's
/// last row; a key this API did not write is Problem 400 `invalid_field`.
void sendNewestFirst(http::Request& req, http::Response& res, db::Database& db, const std::string& select,
                     const db::Params& params,
                     const std::function<Poco::JSON::Object::Ptr(db::Connection&, const db::Row&)>& item);
/// A tracking event for a guest request: ip and user agent of `req`.
TrackEvent guestEvent(const http::Request& req);

}  // namespace relais::plugins::wesend

#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "WesendSettings.h"

namespace relais {
class Journal;
namespace db {
class Connection;
class Database;
}  // namespace db
namespace http {
class Request;
class Response;
}  // namespace http
}  // namespace relais

namespace relais::plugins::wesend {

/// A capability link (/d/<token> for a transfer, /r/<token> for an upload request).
struct Link {
    std::string tokenHash;  ///< SHA-256 of the token: the token itself is never stored
    std::string tenantId;
    std::string kind;  ///< "transfer" or "request"
    std::string objectId;
    std::string recipient;  ///< whom it was mailed to, or "" for the owner's own copy
};

/// What a guest may see of a password-protected object.
struct Protection {
    std::string table;  ///< "wesend_transfers" or "wesend_upload_requests" (never user data)
    std::string objectId;
    std::string passwordHash;  ///< "" when there is no password
};

/// Links, their passwords and the access tokens a password unlocks. Tokens have 256 random
/// bits; an unknown token costs the same lookup as a known one. Thread-safe.
class Links {
public:
    /// The cookie an unlock also sets, scoped to the link's API paths (HttpOnly, SameSite=Strict):
    /// requireAccess takes it when no Bearer token is sent.
    static constexpr const char* kAccessCookie = "relais_link_access";

    Links(db::Database& db, Journal& journal, const WesendSettings& settings)
        : db_(db), journal_(journal), settings_(settings) {}

    /// Inside a transaction: a new link; returns its token (to mail, never to store).
    std::string create(db::Connection& tx, const std::string& tenantId, const std::string& kind,
                       const std::string& objectId, const std::string& recipient);
    /// The link of `token` in this tenant and of this kind; Problem 404 otherwise.
    Link resolve(const std::string& tenantId, const std::string& kind, const std::string& token);

    /// Answers POST .../unlock {password}: checks it (Problem 401 `invalid_password`, 429
    /// `link_locked` after wesend.password_max_attempts failures, for
    /// wesend.password_lock_minutes) and sends {access_token, expires_at}: a bearer token for
    /// this link, valid wesend.unlock_minutes; also set in the kAccessCookie cookie.
    void unlock(http::Request& req, http::Response& res, const Link& link, const Protection& protection);
    /// Problem 401 `password_required` unless the request carries an access token of `link`
    /// (Authorization: Bearer), or the object has no password.
    void requireAccess(const http::Request& req, const Link& link, const Protection& protection);

private:
    db::Database& db_;
    Journal& journal_;
    const WesendSettings& settings_;
};

}  // namespace relais::plugins::wesend

#include "Links.h"

#include <Poco/JSON/Object.h>

#include "relais/Database.h"
#include "relais/Journal.h"
#include "relais/Passwords.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "Services.h"
#include "relais/http/Access.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"

namespace relais::plugins::wesend {

std::string Links::create(db::Connection& tx, const std::string& tenantId, const std::string& kind,
                          const std::string& objectId, const std::string& recipient) {
    const std::string token = randomToken(32);
    tx.execute("INSERT INTO wesend_links (token_hash, tenant_id, kind, object_id, recipient, created_at)"
               " VALUES (?, ?, ?, ?, ?, ?)",
               {sha256Hex(token), tenantId, kind, objectId, db::Value::textOrNull(recipient),
                static_cast<long long>(nowMs())});
    return token;
}

Link Links::resolve(const std::string& tenantId, const std::string& kind, const std::string& token) {
    // Hash first, whatever the token looks like: a malformed token costs what a good one does.
    const std::string hash = sha256Hex(token);
    auto rows = db_.query("SELECT tenant_id, kind, object_id, recipient FROM wesend_links WHERE token_hash = ?",
                          {hash});
    if (rows.empty() || token.size() > 100 || rows[0].getString("tenant_id") != tenantId ||
        rows[0].getString("kind") != kind)
        throw Problem(404, "not_found", "This link does not exist.");
    Link l;
    l.tokenHash = hash;
    l.tenantId = tenantId;
    l.kind = kind;
    l.objectId = rows[0].getString("object_id");
    l.recipient = rows[0].getString("recipient");
    return l;
}

void Links::unlock(http::Request& req, http::Response& res, const Link& link, const Protection& p) {
    const auto body = http::readJsonObject(req, 4096);
    const std::string password = optionalText(body, "password", 256, false);
    if (password.empty()) throw Problem::invalidField("password", "is required");
    if (p.passwordHash.empty()) throw Problem(409, "no_password", "This link has no password.");
    const std::string table = p.table == "wesend_transfers" ? "wesend_transfers" : "wesend_upload_requests";
    const std::int64_t now = nowMs();
    auto rows = db_.query("SELECT locked_until FROM " + table + " WHERE id = ? AND tenant_id = ?",
                          {p.objectId, link.tenantId});
    if (!rows.empty() && !rows[0].isNull("locked_until") && rows[0].getInt("locked_until") > now) {
        const std::int64_t wait = (rows[0].getInt("locked_until") - now + 999) / 1000;
        throw Problem(429, "link_locked", "Too many wrong passwords: this link is locked for a while.")
            .withHeader("Retry-After", std::to_string(wait));
    }
    const std::string kindLabel = link.kind == "transfer" ? "transfer" : "upload_request";
    JournalEntry entry;
    entry.tenantId = link.tenantId;
    entry.actor = {"guest", "", link.recipient};
    entry.objectType = kindLabel;
    entry.objectId = p.objectId;
    entry.ip = req.clientIp();
    if (!PasswordHasher::verify(password, p.passwordHash)) {
        bool locked = false;
        db_.transaction([&](db::Connection& tx) {
            tx.execute("UPDATE " + table + " SET password_failures = password_failures + 1 WHERE id = ? AND tenant_id = ?",
                       {p.objectId, link.tenantId});
            auto r = tx.query("SELECT password_failures FROM " + table + " WHERE id = ? AND tenant_id = ?",
                              {p.objectId, link.tenantId});
            locked = !r.empty() && r[0].getInt("password_failures") >= settings_.passwordMaxAttempts;
            if (locked)
                tx.execute("UPDATE " + table + " SET password_failures = 0, locked_until = ? WHERE id = ? AND tenant_id = ?",
                           {static_cast<long long>(now + settings_.passwordLockMs), p.objectId, link.tenantId});
            entry.action = kindLabel + (locked ? ".link_locked" : ".password_failed");
            journal_.append(tx, entry);
        });
        if (locked)
            throw Problem(429, "link_locked", "Too many wrong passwords: this link is locked for a while.")
                .withHeader("Retry-After", std::to_string(settings_.passwordLockMs / 1000));
        throw Problem(401, "invalid_password", "The password is wrong.");
    }
    const std::string access = randomToken(32);
    db_.transaction([&](db::Connection& tx) {
        tx.execute("UPDATE " + table + " SET password_failures = 0 WHERE id = ? AND tenant_id = ?",
                   {p.objectId, link.tenantId});
        tx.execute("INSERT INTO wesend_link_access (token_hash, tenant_id, link_hash, expires_at) VALUES (?, ?, ?, ?)",
                   {sha256Hex(access), link.tenantId, link.tokenHash,
                    static_cast<long long>(now + settings_.unlockTtlMs)});
        entry.action = kindLabel + ".unlocked";
        journal_.append(tx, entry);
    });
    // The same token in a cookie scoped to this link's API paths, so that a browser can
    // download with a plain link (streamed by the browser, not through script memory).
    std::string base = req.path();
    base.resize(base.size() - std::string("/unlock").size());
    res.addHeader("Set-Cookie", std::string(kAccessCookie) + "=" + access + "; Path=" + base +
                                    "; Max-Age=" + std::to_string(settings_.unlockTtlMs / 1000) +
                                    "; HttpOnly; SameSite=Strict" + (req.secure() ? "; Secure" : ""));
    Poco::JSON::Object out;
    out.set("access_token", access);
    out.set("expires_at", formatRfc3339(now + settings_.unlockTtlMs));
    http::sendJson(res, 200, out);
}

void Links::requireAccess(const http::Request& req, const Link& link, const Protection& p) {
    if (p.passwordHash.empty()) return;
    std::string access = http::bearerToken(req);
    if (access.empty()) access = req.cookie(kAccessCookie);
    if (!access.empty()) {
        auto rows = db_.query("SELECT link_hash, tenant_id, expires_at FROM wesend_link_access WHERE token_hash = ?",
                              {sha256Hex(access)});
        if (!rows.empty() && rows[0].getString("link_hash") == link.tokenHash &&
            rows[0].getString("tenant_id") == link.tenantId && rows[0].getInt("expires_at") > nowMs())
            return;
    }
    throw Problem(401, "password_required", "This link is protected by a password: unlock it first.")
        .withHeader("WWW-Authenticate", "Bearer");
}

}  // namespace relais::plugins::wesend

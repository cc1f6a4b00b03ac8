#include "RequestService.h"

#include <Poco/JSON/Array.h>

#include "Downloads.h"
#include "Mails.h"
#include "relais/Database.h"
#include "relais/FileStore.h"
#include "relais/Mail.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "relais/http/Access.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"
#include "relais/http/Route.h"

namespace relais::plugins::wesend {

namespace {

struct UploadRequest {
    std::string id, tenantId, ownerUserId, ownerEmail, ownerName, message, passwordHash, state;
    std::int64_t maxFiles = -1, maxBytes = -1, filesReceived = 0, bytesReceived = 0;
    std::int64_t createdAtMs = 0, expiresAtMs = 0, closedAtMs = 0, shreddedAtMs = 0;
};

const char* kColumns =
    "id, tenant_id, owner_user_id, owner_email, owner_name, message, password_hash, state, max_files, max_bytes,"
    " files_received, bytes_received, created_at, expires_at, closed_at, shredded_at";

UploadRequest requestFrom(const db::Row& r) {
    UploadRequest u;
    u.id = r.getString("id");
    u.tenantId = r.getString("tenant_id");
    u.ownerUserId = r.getString("owner_user_id");
    u.ownerEmail = r.getString("owner_email");
    u.ownerName = r.getString("owner_name");
    u.message = r.getString("message");
    u.passwordHash = r.getString("password_hash");
    u.state = r.getString("state");
    u.maxFiles = r.isNull("max_files") ? -1 : r.getInt("max_files");
    u.maxBytes = r.isNull("max_bytes") ? -1 : r.getInt("max_bytes");
    u.filesReceived = r.getInt("files_received");
    u.bytesReceived = r.getInt("bytes_received");
    u.createdAtMs = r.getInt("created_at");
    u.expiresAtMs = r.getInt("expires_at");
    u.closedAtMs = r.getInt("closed_at");
    u.shreddedAtMs = r.getInt("shredded_at");
    return u;
}

std::optional<UploadRequest> findRequest(db::Connection& c, const std::string& tenantId, const std::string& id,
                                         bool forUpdate = false) {
    auto rows = c.query(std::string("SELECT ") + kColumns + " FROM wesend_upload_requests WHERE id = ? AND tenant_id = ?" +
                            (forUpdate && c.dialect() == db::Dialect::MySQL ? " FOR UPDATE" : ""),
                        {id, tenantId});
    if (rows.empty()) return std::nullopt;
    return requestFrom(rows[0]);
}

std::string visibleState(const UploadRequest& r, std::int64_t now) {
    if (r.state == "open" && r.expiresAtMs <= now) return "expired";
    return r.state;
}

Poco::Dynamic::Var orNull(std::int64_t v) { return v < 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(v); }

Poco::JSON::Object::Ptr requestJson(db::Connection& c, const UploadRequest& r) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", r.id);
    o->set("message", r.message);
    o->set("state", visibleState(r, nowMs()));
    o->set("created_at", formatRfc3339(r.createdAtMs));
    o->set("expires_at", formatRfc3339(r.expiresAtMs));
    o->set("closed_at", r.closedAtMs ? Poco::Dynamic::Var(formatRfc3339(r.closedAtMs)) : Poco::Dynamic::Var());
    o->set("files_deleted", r.shreddedAtMs != 0);
    o->set("password_protected", !r.passwordHash.empty());
    o->set("max_files", orNull(r.maxFiles));
    o->set("max_bytes", orNull(r.maxBytes));
    o->set("files_received", r.filesReceived);
    o->set("bytes_received", r.bytesReceived);
    Poco::JSON::Array::Ptr recipients = new Poco::JSON::Array;
    for (const auto& row : c.query("SELECT email FROM wesend_request_recipients WHERE tenant_id = ? AND request_id = ?"
                                   " ORDER BY email",
                                   {r.tenantId, r.id}))
        recipients->add(row.getString("email"));
    o->set("recipients", recipients);
    auto n = c.query("SELECT COUNT(*) AS n FROM wesend_deposits WHERE tenant_id = ? AND request_id = ?", {r.tenantId, r.id});
    o->set("deposit_count", n[0].getInt("n"));
    return o;
}

/// A deposit as its owner sees it, with a download URL for each file (`row`: id, request_id,
/// sender_email, message, created_at of wesend_deposits).
Poco::JSON::Object::Ptr depositJson(db::Connection& c, const db::Row& d) {
    const std::string requestId = d.getString("request_id");
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", d.getString("id"));
    o->set("request_id", requestId);
    o->set("sender_email", d.getString("sender_email"));
    o->set("message", d.getString("message"));
    o->set("created_at", formatRfc3339(d.getInt("created_at")));
    Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
    for (const auto& f : c.query("SELECT id, name, type, size, sha256 FROM wesend_deposit_files"
                                 " WHERE deposit_id = ? ORDER BY position",
                                 {d.getString("id")})) {
        Poco::JSON::Object::Ptr fo = new Poco::JSON::Object;
        fo->set("id", f.getString("id"));
        fo->set("name", f.getString("name"));
        fo->set("type", f.getString("type").empty() ? "application/octet-stream" : f.getString("type"));
        fo->set("size", f.getInt("size"));
        fo->set("sha256", f.getString("sha256"));
        fo->set("download_url", "/api/v1/upload-requests/" + requestId + "/deposits/" + d.getString("id") +
                                    "/files/" + f.getString("id"));
        files->add(fo);
    }
    o->set("files", files);
    return o;
}

/// 410 link_expired with `reason`: expired or closed.
Problem linkExpired(const std::string& reason) {
    return Problem(410, "link_expired", "This upload request has expired or was closed.").with("reason", reason);
}

TrackEvent ownerEvent(const UploadRequest& r, const std::string& action) {
    TrackEvent e;
    e.tenantId = r.tenantId;
    e.ownerUserId = r.ownerUserId;
    e.subjectType = "upload_request";
    e.subjectId = r.id;
    e.action = action;
    return e;
}

}  // namespace

void RequestService::registerRoutes(http::RouteRegistry& routes) {
    auto bind = [this](void (RequestService::*fn)(http::Request&, http::Response&)) {
        return [this, fn](http::Request& req, http::Response& res) { (this->*fn)(req, res); };
    };
    routes.add({"POST", "/api/v1/upload-requests", bind(&RequestService::create)});
    routes.add({"GET", "/api/v1/upload-requests", bind(&RequestService::list)});
    routes.add({"GET", "/api/v1/upload-requests/{id}", bind(&RequestService::get)});
    routes.add({"DELETE", "/api/v1/upload-requests/{id}", bind(&RequestService::close)});
    routes.add({"GET", "/api/v1/upload-requests/{id}/deposits", bind(&RequestService::deposits)});
    routes.add({"GET", "/api/v1/received/deposits", bind(&RequestService::receivedDeposits)});
    routes.add({"GET", "/api/v1/upload-requests/{id}/deposits/{deposit_id}/files/{file_id}",
                bind(&RequestService::depositFile)});

    const std::string base = "/api/v1/public/upload-requests/{token}";
    TusHandler& tus = s_.tus;
    std::vector<http::Route> guest = {
        {"GET", base, bind(&RequestService::publicGet)},
        {"POST", base + "/unlock", bind(&RequestService::publicUnlock)},
        {"POST", base + "/deposits", bind(&RequestService::publicDeposit)},
        {"OPTIONS", base + "/uploads",
         [&tus](http::Request& req, http::Response& res) { tus.options(req, res); }},
        {"OPTIONS", base + "/uploads/{id}",
         [&tus](http::Request& req, http::Response& res) { tus.options(req, res); }},
        {"POST", base + "/uploads",
         [this, &tus](http::Request& req, http::Response& res) {
             TusHandler::guarded(req, res, true, [&] { tus.create(req, res, guestScope(req)); });
         },
         http::Scope::Tenant, s_.settings.maxUploadBytes},
        {"HEAD", base + "/uploads/{id}",
         [this, &tus](http::Request& req, http::Response& res) {
             TusHandler::guarded(req, res, true, [&] { tus.head(req, res, guestScope(req), req.param("id")); });
         }},
        {"PATCH", base + "/uploads/{id}",
         [this, &tus](http::Request& req, http::Response& res) {
             TusHandler::guarded(req, res, true, [&] { tus.patch(req, res, guestScope(req), req.param("id")); });
         },
         http::Scope::Tenant, s_.settings.maxUploadBytes},
        {"DELETE", base + "/uploads/{id}",
         [this, &tus](http::Request& req, http::Response& res) {
             TusHandler::guarded(req, res, true, [&] { tus.terminate(req, res, guestScope(req), req.param("id")); });
         }},
    };
    for (auto& r : guest) {
        r.capability = true;
        routes.add(std::move(r));
    }
}

void RequestService::create(http::Request& req, http::Response& res) {
    const Principal& p = http::requireFeature(req, "upload_requests");
    const TenantContext& tenant = http::requireTenant(req);
    const auto body = http::readJsonObject(req);
    const std::vector<std::string> recipients = emailList(body, "recipients", s_.settings.maxRecipients);
    const std::string message = optionalText(body, "message", 10000, false);
    const std::int64_t days = optionalInt(body, "expires_in_days", 1, tenant.maxExpiryDays, tenant.defaultExpiryDays);
    const std::int64_t maxFiles = optionalInt(body, "max_files", 1, s_.settings.maxFilesPerTransfer, -1);
    const std::int64_t maxBytes = optionalInt(body, "max_bytes", 1, INT64_MAX / 2, -1);
    const std::string passwordHash = optionalPassword(body);
    const std::int64_t now = nowMs();
    const std::string id = randomId("ur");
    const std::int64_t expiresAt = now + days * 86400000;
    std::string ownerLink;
    Poco::JSON::Object::Ptr out;
    s_.db.transaction([&](db::Connection& tx) {
        tx.execute("INSERT INTO wesend_upload_requests (id, tenant_id, owner_user_id, owner_email, owner_name, message,"
                   " language, password_hash, max_files, max_bytes, state, created_at, expires_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                   {id, tenant.id, p.userId, p.email, p.name, db::Value::textOrNull(message), tenant.language,
                    db::Value::textOrNull(passwordHash),
                    maxFiles < 0 ? db::Value() : db::Value(static_cast<long long>(maxFiles)),
                    maxBytes < 0 ? db::Value() : db::Value(static_cast<long long>(maxBytes)),
                    static_cast<long long>(now), static_cast<long long>(expiresAt)});
        ownerLink = req.linkBase() + "/r/" + s_.links.create(tx, tenant.id, "request", id, "");
        for (const auto& email : recipients) {
            tx.execute("INSERT INTO wesend_request_recipients (id, tenant_id, request_id, email) VALUES (?, ?, ?, ?)",
                       {randomId("rr"), tenant.id, id, email});
            const std::string link = req.linkBase() + "/r/" + s_.links.create(tx, tenant.id, "request", id, email);
            MailMessage m = mails::requestInvitation(email, p.name, p.email, message, expiresAt, !passwordHash.empty(), link);
            m.tenantId = tenant.id;
            m.reference = "wesend.request:" + id;
            s_.mail.enqueue(tx, m);
        }
        const UploadRequest r = *findRequest(tx, tenant.id, id);
        TrackEvent e = ownerEvent(r, "created");
        e.ip = req.clientIp();
        e.actorType = p.role;
        e.actorId = p.userId;
        e.actorEmail = p.email;
        s_.tracking.record(tx, e);
        out = requestJson(tx, r);
    });
    out->set("link", ownerLink);
    res.setHeader("Location", "/api/v1/upload-requests/" + id);
    http::sendJson(res, 201, out);
}

void RequestService::list(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    sendNewestFirst(req, res, s_.db,
                    std::string("SELECT ") + kColumns +
                        " FROM wesend_upload_requests WHERE tenant_id = ? AND owner_user_id = ?",
                    {tenant.id, p.userId},
                    [](db::Connection& c, const db::Row& row) { return requestJson(c, requestFrom(row)); });
}

void RequestService::get(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    auto out = s_.db.read([&](db::Connection& c) {
        auto r = findRequest(c, tenant.id, req.param("id"));
        if (!r || r->ownerUserId != p.userId) throw Problem::notFound("No such upload request.");
        auto o = requestJson(c, *r);
        o->set("events", Tracking::eventsOf(c, tenant.id, r->id));
        return o;
    });
    http::sendJson(res, 200, out);
}

void RequestService::close(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    s_.db.transaction([&](db::Connection& tx) {
        auto r = findRequest(tx, tenant.id, req.param("id"), true);
        if (!r || r->ownerUserId != p.userId) throw Problem::notFound("No such upload request.");
        if (r->state != "open") return;
        tx.execute("UPDATE wesend_upload_requests SET state = 'closed', closed_at = ? WHERE id = ? AND tenant_id = ?",
                   {static_cast<long long>(nowMs()), r->id, tenant.id});
        TrackEvent e = ownerEvent(*r, "closed");
        e.ip = req.clientIp();
        e.actorType = p.role;
        e.actorId = p.userId;
        e.actorEmail = p.email;
        s_.tracking.record(tx, e);
    });
    res.sendEmpty(204);
}

void RequestService::deposits(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    auto r = s_.db.read([&](db::Connection& c) { return findRequest(c, tenant.id, req.param("id")); });
    if (!r || r->ownerUserId != p.userId) throw Problem::notFound("No such upload request.");
    const std::string requestId = r->id;
    sendNewestFirst(req, res, s_.db,
                    "SELECT id, request_id, sender_email, message, created_at FROM wesend_deposits WHERE tenant_id = ?"
                    " AND request_id = ?",
                    {tenant.id, requestId}, depositJson);
}

void RequestService::receivedDeposits(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    sendNewestFirst(req, res, s_.db,
                    "SELECT id, request_id, sender_email, message, created_at FROM wesend_deposits WHERE tenant_id = ?"
                    " AND request_id IN (SELECT r.id FROM wesend_upload_requests r WHERE r.tenant_id = ?"
                    " AND r.owner_user_id = ?)",
                    {tenant.id, tenant.id, p.userId}, depositJson);
}

void RequestService::depositFile(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    DownloadFile file;
    s_.db.read([&](db::Connection& c) {
        auto r = findRequest(c, tenant.id, req.param("id"));
        if (!r || r->ownerUserId != p.userId) throw Problem::notFound("No such upload request.");
        if (r->shreddedAtMs) throw Problem(410, "files_deleted", "The files of this request were deleted.");
        auto rows = c.query("SELECT file_id, name, type, size, sha256 FROM wesend_deposit_files"
                            " WHERE id = ? AND tenant_id = ? AND deposit_id = ? AND request_id = ?",
                            {req.param("file_id"), tenant.id, req.param("deposit_id"), r->id});
        if (rows.empty()) throw Problem::notFound("No such file.");
        file = {rows[0].getString("file_id"), rows[0].getString("name"), rows[0].getString("type"),
                rows[0].getInt("size"), rows[0].getString("sha256")};
    });
    sendFile(req, res, s_.files, tenant.id, file, parseRange(req.header("Range"), file.size));
}

namespace {

struct GuestView {
    Link link;
    UploadRequest request;
};

GuestView openGuest(Services& s, http::Request& req) {
    const TenantContext& tenant = http::requireTenant(req);
    GuestView v;
    v.link = s.links.resolve(tenant.id, "request", req.param("token"));
    auto r = s.db.read([&](db::Connection& c) { return findRequest(c, tenant.id, v.link.objectId); });
    if (!r) throw Problem(404, "not_found", "This link does not exist.");
    v.request = *r;
    if (visibleState(v.request, nowMs()) != "open") throw linkExpired(visibleState(v.request, nowMs()));
    s.links.requireAccess(req, v.link, {"wesend_upload_requests", r->id, r->passwordHash});
    return v;
}

Problem limitExceeded(int status, const std::string& what) {
    return Problem(status, "request_limit_exceeded", "This upload request accepts no more " + what + ".");
}

}  // namespace

UploadScope RequestService::guestScope(http::Request& req) {
    const GuestView v = openGuest(s_, req);
    UploadScope scope;
    scope.tenantId = v.request.tenantId;
    scope.requestId = v.request.id;
    scope.basePath = "/api/v1/public/upload-requests/" + req.param("token") + "/uploads";
    scope.checkSize = [this, r = v.request](std::int64_t length, bool added) {
        if (r.maxFiles < 0 && r.maxBytes < 0) return;
        const UploadStore::Pending pending = s_.uploads.pending(r.tenantId, r.id);
        if (added && r.maxFiles >= 0 && r.filesReceived + pending.count + 1 > r.maxFiles)
            throw limitExceeded(413, "files");
        if (r.maxBytes >= 0 && length >= 0 && r.bytesReceived + pending.bytes + length > r.maxBytes)
            throw limitExceeded(413, "bytes");
    };
    return scope;
}

void RequestService::publicGet(http::Request& req, http::Response& res) {
    const GuestView v = openGuest(s_, req);
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("message", v.request.message);
    Poco::JSON::Object::Ptr owner = new Poco::JSON::Object;
    owner->set("name", v.request.ownerName);
    owner->set("email", v.request.ownerEmail);
    out->set("owner", owner);
    out->set("expires_at", formatRfc3339(v.request.expiresAtMs));
    out->set("max_files", orNull(v.request.maxFiles));
    out->set("max_bytes", orNull(v.request.maxBytes));
    out->set("files_remaining",
             v.request.maxFiles < 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(std::max<std::int64_t>(0, v.request.maxFiles - v.request.filesReceived)));
    out->set("bytes_remaining",
             v.request.maxBytes < 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(std::max<std::int64_t>(0, v.request.maxBytes - v.request.bytesReceived)));
    out->set("uploads_url", "/api/v1/public/upload-requests/" + req.param("token") + "/uploads");
    if (req.method() != "HEAD") {
        TrackEvent e = guestEvent(req);
        TrackEvent o = ownerEvent(v.request, "link_opened");
        o.ip = e.ip;
        o.userAgent = e.userAgent;
        o.recipient = v.link.recipient;
        s_.tracking.record(o);
    }
    http::sendJson(res, 200, out);
}

void RequestService::publicUnlock(http::Request& req, http::Response& res) {
    const TenantContext& tenant = http::requireTenant(req);
    const Link link = s_.links.resolve(tenant.id, "request", req.param("token"));
    auto r = s_.db.read([&](db::Connection& c) { return findRequest(c, tenant.id, link.objectId); });
    if (!r) throw Problem(404, "not_found", "This link does not exist.");
    if (visibleState(*r, nowMs()) != "open") throw linkExpired(visibleState(*r, nowMs()));
    s_.links.unlock(req, res, link, {"wesend_upload_requests", r->id, r->passwordHash});
}

void RequestService::publicDeposit(http::Request& req, http::Response& res) {
    const GuestView v = openGuest(s_, req);
    const auto body = http::readJsonObject(req);
    const std::vector<std::string> ids = idList(body, "uploads", s_.settings.maxFilesPerTransfer);
    const std::string senderEmail = optionalText(body, "sender_email", 254, true);
    if (senderEmail.empty() || !isValidMailAddress(senderEmail))
        throw Problem::invalidField("sender_email", "a valid e-mail address is required");
    const std::string message = optionalText(body, "message", 10000, false);
    const std::string depositId = randomId("dp");
    const std::int64_t now = nowMs();
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    s_.db.transaction([&](db::Connection& tx) {
        auto r = findRequest(tx, v.request.tenantId, v.request.id, true);
        if (!r || visibleState(*r, now) != "open") throw linkExpired(r ? visibleState(*r, now) : "closed");
        const auto claimed = s_.uploads.claim(tx, r->tenantId, ids, "", r->id, "uploads");
        std::int64_t bytes = 0;
        for (const auto& u : claimed) bytes += u.length;
        if (r->maxFiles >= 0 && r->filesReceived + static_cast<std::int64_t>(claimed.size()) > r->maxFiles)
            throw limitExceeded(409, "files");
        if (r->maxBytes >= 0 && r->bytesReceived + bytes > r->maxBytes) throw limitExceeded(409, "bytes");
        tx.execute("INSERT INTO wesend_deposits (id, tenant_id, request_id, sender_email, message, ip, created_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)",
                   {depositId, r->tenantId, r->id, senderEmail, db::Value::textOrNull(message),
                    db::Value::textOrNull(req.clientIp()), static_cast<long long>(now)});
        std::vector<FileCount> counts;
        std::vector<mails::FileLine> lines;
        Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
        int position = 0;
        for (const auto& u : claimed) {
            const std::string fid = randomId("df");
            const std::string name = u.filename.empty() ? "fichier" : u.filename;
            tx.execute("INSERT INTO wesend_deposit_files (id, tenant_id, deposit_id, request_id, position, file_id, name,"
                       " type, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       {fid, r->tenantId, depositId, r->id, position++, u.fileId, name, u.filetype,
                        static_cast<long long>(u.length), u.sha256});
            counts.push_back({u.filetype, u.length});
            lines.push_back({name, u.length});
            Poco::JSON::Object::Ptr fo = new Poco::JSON::Object;
            fo->set("id", fid);
            fo->set("name", name);
            fo->set("size", u.length);
            fo->set("sha256", u.sha256);
            files->add(fo);
        }
        tx.execute("UPDATE wesend_upload_requests SET files_received = files_received + ?, bytes_received = bytes_received + ?"
                   " WHERE id = ? AND tenant_id = ?",
                   {static_cast<long long>(claimed.size()), static_cast<long long>(bytes), r->id, r->tenantId});
        TrackEvent e = ownerEvent(*r, "deposit_received");
        e.ip = req.clientIp();
        e.userAgent = req.header("User-Agent").substr(0, 512);
        e.recipient = senderEmail;
        e.bytes = bytes;
        e.actorEmail = senderEmail;
        s_.tracking.record(tx, e);
        s_.tracking.countDeposit(tx, r->tenantId, counts, now);
        MailMessage m = mails::depositReceived(r->ownerEmail, senderEmail, message, lines, now,
                                               req.linkBase() + "/requests/" + r->id);
        m.tenantId = r->tenantId;
        s_.mail.enqueue(tx, m);
        out->set("id", depositId);
        out->set("files", files);
        out->set("created_at", formatRfc3339(now));
    });
    http::sendJson(res, 201, out);
}

void RequestService::onMailDelivered(const std::string& tenantId, const std::string& requestId,
                                     const std::string& recipient) {
    auto r = s_.db.read([&](db::Connection& c) { return findRequest(c, tenantId, requestId); });
    if (!r) return;
    TrackEvent e = ownerEvent(*r, "mail_delivered");
    e.recipient = recipient;
    e.actorType = "system";
    s_.tracking.record(e);
}

}  // namespace relais::plugins::wesend

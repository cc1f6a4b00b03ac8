#include "TransferService.h"

#include <Poco/JSON/Array.h>
#include <Poco/Logger.h>

#include <functional>

#include "Downloads.h"
#include "Mails.h"
#include "relais/Database.h"
#include "relais/FileStore.h"
#include "relais/Mail.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "relais/http/Access.h"
#include "relais/http/Fields.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"
#include "relais/http/Route.h"

namespace relais::plugins::wesend {

namespace {

struct Transfer {
    std::string id, tenantId, senderUserId, senderEmail, senderName, subject, message, passwordHash, state;
    std::int64_t maxDownloads = -1;
    bool notify = false;
    std::int64_t createdAtMs = 0, expiresAtMs = 0, revokedAtMs = 0, shreddedAtMs = 0;
    int fileCount = 0;
    std::int64_t totalBytes = 0;
};

struct TransferFile {
    DownloadFile file;
    std::string id;
    std::int64_t downloads = 0;
};

const char* kTransferColumns =
    "id, tenant_id, sender_user_id, sender_email, sender_name, subject, message, password_hash, state,"
    " max_downloads, notify_on_download, created_at, expires_at, revoked_at, shredded_at, file_count, total_bytes";

Transfer transferFrom(const db::Row& r) {
    Transfer t;
    t.id = r.getString("id");
    t.tenantId = r.getString("tenant_id");
    t.senderUserId = r.getString("sender_user_id");
    t.senderEmail = r.getString("sender_email");
    t.senderName = r.getString("sender_name");
    t.subject = r.getString("subject");
    t.message = r.getString("message");
    t.passwordHash = r.getString("password_hash");
    t.state = r.getString("state");
    t.maxDownloads = r.isNull("max_downloads") ? -1 : r.getInt("max_downloads");
    t.notify = r.getInt("notify_on_download") != 0;
    t.createdAtMs = r.getInt("created_at");
    t.expiresAtMs = r.getInt("expires_at");
    t.revokedAtMs = r.getInt("revoked_at");
    t.shreddedAtMs = r.getInt("shredded_at");
    t.fileCount = static_cast<int>(r.getInt("file_count"));
    t.totalBytes = r.getInt("total_bytes");
    return t;
}

std::optional<Transfer> findTransfer(db::Connection& c, const std::string& tenantId, const std::string& id) {
    auto rows = c.query(std::string("SELECT ") + kTransferColumns + " FROM wesend_transfers WHERE id = ? AND tenant_id = ?",
                        {id, tenantId});
    if (rows.empty()) return std::nullopt;
    return transferFrom(rows[0]);
}

std::vector<TransferFile> filesOf(db::Connection& c, const std::string& tenantId, const std::string& transferId) {
    std::vector<TransferFile> out;
    for (const auto& r : c.query("SELECT id, file_id, name, type, size, sha256, downloads FROM wesend_transfer_files"
                                 " WHERE tenant_id = ? AND transfer_id = ? ORDER BY position",
                                 {tenantId, transferId})) {
        TransferFile f;
        f.id = r.getString("id");
        f.file = {r.getString("file_id"), r.getString("name"), r.getString("type"), r.getInt("size"),
                  r.getString("sha256")};
        f.downloads = r.getInt("downloads");
        out.push_back(std::move(f));
    }
    return out;
}

// The state a client sees: an active transfer past its expiry is expired.
std::string visibleState(const Transfer& t, std::int64_t now) {
    if (t.state == "active" && t.expiresAtMs <= now) return "expired";
    return t.state;
}

bool exhausted(const Transfer& t, const std::vector<TransferFile>& files) {
    if (t.maxDownloads < 0) return false;
    for (const auto& f : files)
        if (f.downloads < t.maxDownloads) return false;
    return true;
}

Poco::JSON::Object::Ptr fileJson(const TransferFile& f, bool withSha) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", f.id);
    o->set("name", f.file.name);
    o->set("size", f.file.size);
    o->set("type", f.file.type.empty() ? "application/octet-stream" : f.file.type);
    if (withSha) {
        o->set("sha256", f.file.sha256);
        o->set("downloads", f.downloads);
    }
    return o;
}

Poco::JSON::Object::Ptr transferJson(db::Connection& c, const Transfer& t, bool withEvents) {
    const std::int64_t now = nowMs();
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", t.id);
    o->set("subject", t.subject);
    o->set("message", t.message);
    o->set("state", visibleState(t, now));
    o->set("created_at", formatRfc3339(t.createdAtMs));
    o->set("expires_at", formatRfc3339(t.expiresAtMs));
    o->set("revoked_at", t.revokedAtMs ? Poco::Dynamic::Var(formatRfc3339(t.revokedAtMs)) : Poco::Dynamic::Var());
    o->set("files_deleted", t.shreddedAtMs != 0);
    o->set("password_protected", !t.passwordHash.empty());
    o->set("max_downloads", t.maxDownloads < 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(t.maxDownloads));
    o->set("notify_on_download", t.notify);
    o->set("file_count", t.fileCount);
    o->set("total_bytes", t.totalBytes);
    Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
    for (const auto& f : filesOf(c, t.tenantId, t.id)) files->add(fileJson(f, true));
    o->set("files", files);
    Poco::JSON::Array::Ptr recipients = new Poco::JSON::Array;
    for (const auto& r : c.query("SELECT email FROM wesend_transfer_recipients WHERE tenant_id = ? AND transfer_id = ?"
                                 " ORDER BY email",
                                 {t.tenantId, t.id}))
        recipients->add(r.getString("email"));
    o->set("recipients", recipients);
    if (withEvents) o->set("events", Tracking::eventsOf(c, t.tenantId, t.id));
    return o;
}

/// 410 link_expired, with `reason`: expired, revoked, exhausted (its download limit) or
/// files_deleted, so that the download page can say which.
Problem linkExpired(const std::string& reason) {
    return Problem(410, "link_expired", "This link has expired, was revoked or reached its download limit.")
        .with("reason", reason);
}

std::string closedReason(const Transfer& t, std::int64_t now) {
    const std::string state = visibleState(t, now);
    if (state != "active") return state;
    return t.shreddedAtMs ? "files_deleted" : "active";
}

}  // namespace

void TransferService::registerRoutes(http::RouteRegistry& routes) {
    auto bind = [this](void (TransferService::*fn)(http::Request&, http::Response&)) {
        return [this, fn](http::Request& req, http::Response& res) { (this->*fn)(req, res); };
    };
    routes.add({"POST", "/api/v1/transfers", bind(&TransferService::create)});
    routes.add({"GET", "/api/v1/transfers", bind(&TransferService::list)});
    routes.add({"GET", "/api/v1/transfers/{id}", bind(&TransferService::get)});
    routes.add({"DELETE", "/api/v1/transfers/{id}", bind(&TransferService::revoke)});
    routes.add({"GET", "/api/v1/received/transfers", bind(&TransferService::receivedList)});
    routes.add({"GET", "/api/v1/received/transfers/{id}/files/{file_id}", bind(&TransferService::receivedFile)});
    routes.add({"GET", "/api/v1/received/transfers/{id}/zip", bind(&TransferService::receivedZip)});
    for (http::Route r : {http::Route("GET", "/api/v1/public/transfers/{token}", bind(&TransferService::publicGet)),
                          http::Route("POST", "/api/v1/public/transfers/{token}/unlock", bind(&TransferService::publicUnlock)),
                          http::Route("GET", "/api/v1/public/transfers/{token}/files/{file_id}", bind(&TransferService::publicFile)),
                          http::Route("GET", "/api/v1/public/transfers/{token}/zip", bind(&TransferService::publicZip))}) {
        r.capability = true;
        routes.add(std::move(r));
    }
}

void TransferService::create(http::Request& req, http::Response& res) {
    const Principal& p = http::requireFeature(req, "send");
    const TenantContext& tenant = http::requireTenant(req);
    const auto body = http::readJsonObject(req);
    const std::vector<std::string> recipients = emailList(body, "recipients", s_.settings.maxRecipients);
    const std::string subject = optionalText(body, "subject", 255, true);
    const std::string message = optionalText(body, "message", 10000, false);
    const std::vector<std::string> uploadIds = idList(body, "uploads", s_.settings.maxFilesPerTransfer);
    const std::int64_t days = optionalInt(body, "expires_in_days", 1, tenant.maxExpiryDays, tenant.defaultExpiryDays);
    const std::int64_t maxDownloads = optionalInt(body, "max_downloads", 1, 1000000, -1);
    const bool notify = field::has(*body, "notify_on_download") && field::boolean(*body, "notify_on_download");
    const std::string passwordHash = optionalPassword(body);

    const std::int64_t now = nowMs();
    const std::string id = randomId("tr");
    const std::int64_t expiresAt = now + days * 86400000;
    std::string senderLink;
    std::vector<std::pair<std::string, std::string>> fileIds;  // (transfer file id, upload)
    Poco::JSON::Object::Ptr out;
    s_.db.transaction([&](db::Connection& tx) {
        fileIds.clear();
        const auto claimed = s_.uploads.claim(tx, tenant.id, uploadIds, p.userId, "", "uploads");
        std::int64_t total = 0;
        for (const auto& u : claimed) total += u.length;
        tx.execute("INSERT INTO wesend_transfers (id, tenant_id, sender_user_id, sender_email, sender_name, subject,"
                   " message, language, password_hash, max_downloads, notify_on_download, file_count, total_bytes,"
                   " state, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)",
                   {id, tenant.id, p.userId, p.email, p.name, db::Value::textOrNull(subject),
                    db::Value::textOrNull(message), tenant.language, db::Value::textOrNull(passwordHash),
                    maxDownloads < 0 ? db::Value() : db::Value(static_cast<long long>(maxDownloads)), notify,
                    static_cast<long long>(claimed.size()), static_cast<long long>(total), static_cast<long long>(now),
                    static_cast<long long>(expiresAt)});
        std::vector<FileCount> counts;
        std::vector<mails::FileLine> lines;
        int position = 0;
        for (const auto& u : claimed) {
            const std::string fid = randomId("tf");
            tx.execute("INSERT INTO wesend_transfer_files (id, tenant_id, transfer_id, position, file_id, name, type,"
                       " size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       {fid, tenant.id, id, position++, u.fileId, u.filename.empty() ? "fichier" : u.filename,
                        u.filetype, static_cast<long long>(u.length), u.sha256});
            counts.push_back({u.filetype, u.length});
            lines.push_back({u.filename.empty() ? "fichier" : u.filename, u.length});
        }
        senderLink = req.linkBase() + "/d/" + s_.links.create(tx, tenant.id, "transfer", id, "");
        for (const auto& email : recipients) {
            tx.execute("INSERT INTO wesend_transfer_recipients (id, tenant_id, transfer_id, email) VALUES (?, ?, ?, ?)",
                       {randomId("rc"), tenant.id, id, email});
            const std::string link = req.linkBase() + "/d/" + s_.links.create(tx, tenant.id, "transfer", id, email);
            MailMessage m = mails::transferSent(email, p.name, p.email, subject, message, lines, expiresAt,
                                                !passwordHash.empty(), link);
            m.tenantId = tenant.id;
            m.reference = "wesend.transfer:" + id;
            s_.mail.enqueue(tx, m);
        }
        TrackEvent e = guestEvent(req);
        e.tenantId = tenant.id;
        e.ownerUserId = p.userId;
        e.subjectType = "transfer";
        e.subjectId = id;
        e.action = "created";
        e.bytes = total;
        e.actorType = p.role;
        e.actorId = p.userId;
        e.actorEmail = p.email;
        s_.tracking.record(tx, e);
        s_.tracking.countTransfer(tx, tenant.id, p.userId, counts, now);
        out = transferJson(tx, *findTransfer(tx, tenant.id, id), false);
    });
    out->set("link", senderLink);
    res.setHeader("Location", "/api/v1/transfers/" + id);
    http::sendJson(res, 201, out);
}

void TransferService::list(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    sendNewestFirst(req, res, s_.db,
                    std::string("SELECT ") + kTransferColumns +
                        " FROM wesend_transfers WHERE tenant_id = ? AND sender_user_id = ?",
                    {tenant.id, p.userId},
                    [](db::Connection& c, const db::Row& row) { return transferJson(c, transferFrom(row), false); });
}

void TransferService::receivedList(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    sendNewestFirst(req, res, s_.db,
                    std::string("SELECT ") + kTransferColumns +
                        " FROM wesend_transfers WHERE tenant_id = ? AND id IN (SELECT l.object_id FROM wesend_links l"
                        " WHERE l.tenant_id = ? AND l.kind = 'transfer' AND l.recipient = ?)",
                    {tenant.id, tenant.id, p.email}, [](db::Connection& c, const db::Row& row) {
                        const Transfer t = transferFrom(row);
                        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
                        o->set("id", t.id);
                        o->set("subject", t.subject);
                        o->set("message", t.message);
                        Poco::JSON::Object::Ptr sender = new Poco::JSON::Object;
                        sender->set("name", t.senderName);
                        sender->set("email", t.senderEmail);
                        o->set("sender", sender);
                        o->set("created_at", formatRfc3339(t.createdAtMs));
                        o->set("expires_at", formatRfc3339(t.expiresAtMs));
                        o->set("state", closedReason(t, nowMs()));
                        o->set("total_bytes", t.totalBytes);
                        Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
                        for (const auto& f : filesOf(c, t.tenantId, t.id)) files->add(fileJson(f, false));
                        o->set("files", files);
                        return o;
                    });
}

void TransferService::get(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    auto out = s_.db.read([&](db::Connection& c) {
        auto t = findTransfer(c, tenant.id, req.param("id"));
        if (!t || t->senderUserId != p.userId) throw Problem::notFound("No such transfer.");
        return transferJson(c, *t, true);
    });
    http::sendJson(res, 200, out);
}

void TransferService::revoke(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    s_.db.transaction([&](db::Connection& tx) {
        auto t = findTransfer(tx, tenant.id, req.param("id"));
        if (!t || t->senderUserId != p.userId) throw Problem::notFound("No such transfer.");
        if (t->state != "active") return;
        const std::int64_t now = nowMs();
        tx.execute("UPDATE wesend_transfers SET state = 'revoked', revoked_at = ? WHERE id = ? AND tenant_id = ?",
                   {static_cast<long long>(now), t->id, tenant.id});
        TrackEvent e = guestEvent(req);
        e.tenantId = tenant.id;
        e.ownerUserId = p.userId;
        e.subjectType = "transfer";
        e.subjectId = t->id;
        e.action = "revoked";
        e.actorType = p.role;
        e.actorId = p.userId;
        e.actorEmail = p.email;
        s_.tracking.record(tx, e);
    });
    res.sendEmpty(204);
}

namespace {

struct PublicView {
    Link link;
    Transfer transfer;
    std::vector<TransferFile> files;
};

}  // namespace

// 410 link_expired unless the transfer can still be downloaded: active, its files kept, and
// (unless `continuing` a download already counted) not every file at its download limit.
static void requireOpen(const PublicView& v, bool continuing) {
    const std::string reason = closedReason(v.transfer, nowMs());
    if (reason != "active") throw linkExpired(reason);
    if (!continuing && exhausted(v.transfer, v.files)) throw linkExpired("exhausted");
}

// The transfer behind a public token, or 404 / 410; `continuing` lets an exhausted link
// finish a download it already counted.
static PublicView openPublic(Services& s, http::Request& req, bool continuing) {
    const TenantContext& tenant = http::requireTenant(req);
    PublicView v;
    v.link = s.links.resolve(tenant.id, "transfer", req.param("token"));
    s.db.read([&](db::Connection& c) {
        auto t = findTransfer(c, tenant.id, v.link.objectId);
        if (!t) throw Problem(404, "not_found", "This link does not exist.");
        v.transfer = *t;
        v.files = filesOf(c, tenant.id, t->id);
    });
    requireOpen(v, continuing);
    s.links.requireAccess(req, v.link, {"wesend_transfers", v.transfer.id, v.transfer.passwordHash});
    return v;
}

// A transfer addressed to the logged-in user, seen through the link mailed to them, so that the
// download limit, resumption grants and tracking are that recipient's. Their login stands for
// the link's password. Another user's transfer, or one not addressed to them: 404.
static PublicView openReceived(Services& s, http::Request& req, bool continuing) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    PublicView v;
    s.db.read([&](db::Connection& c) {
        auto t = findTransfer(c, tenant.id, req.param("id"));
        auto links = c.query("SELECT token_hash, recipient FROM wesend_links WHERE tenant_id = ? AND kind = 'transfer'"
                             " AND object_id = ? AND recipient = ?",
                             {tenant.id, req.param("id"), p.email});
        if (!t || links.empty()) throw Problem::notFound("No such transfer.");
        v.link = Link{links[0].getString("token_hash"), tenant.id, "transfer", t->id, links[0].getString("recipient")};
        v.transfer = *t;
        v.files = filesOf(c, tenant.id, t->id);
    });
    requireOpen(v, continuing);
    return v;
}

static TrackEvent publicEvent(const http::Request& req, const PublicView& v, const std::string& action) {
    TrackEvent e = guestEvent(req);
    e.tenantId = v.transfer.tenantId;
    e.ownerUserId = v.transfer.senderUserId;
    e.subjectType = "transfer";
    e.subjectId = v.transfer.id;
    e.action = action;
    e.recipient = v.link.recipient;
    return e;
}

void TransferService::publicGet(http::Request& req, http::Response& res) {
    const PublicView v = openPublic(s_, req, false);
    if (req.method() != "HEAD") s_.tracking.record(publicEvent(req, v, "link_opened"));
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("subject", v.transfer.subject);
    out->set("message", v.transfer.message);
    Poco::JSON::Object::Ptr sender = new Poco::JSON::Object;
    sender->set("name", v.transfer.senderName);
    sender->set("email", v.transfer.senderEmail);
    out->set("sender", sender);
    out->set("expires_at", formatRfc3339(v.transfer.expiresAtMs));
    out->set("total_bytes", v.transfer.totalBytes);
    out->set("max_downloads", v.transfer.maxDownloads < 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(v.transfer.maxDownloads));
    Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
    for (const auto& f : v.files) {
        auto o = fileJson(f, false);
        if (v.transfer.maxDownloads >= 0)
            o->set("downloads_remaining", std::max<std::int64_t>(0, v.transfer.maxDownloads - f.downloads));
        files->add(o);
    }
    out->set("files", files);
    http::sendJson(res, 200, out);
}

void TransferService::publicUnlock(http::Request& req, http::Response& res) {
    const TenantContext& tenant = http::requireTenant(req);
    const Link link = s_.links.resolve(tenant.id, "transfer", req.param("token"));
    auto t = s_.db.read([&](db::Connection& c) { return findTransfer(c, tenant.id, link.objectId); });
    if (!t) throw Problem(404, "not_found", "This link does not exist.");
    if (visibleState(*t, nowMs()) != "active") throw linkExpired(visibleState(*t, nowMs()));
    s_.links.unlock(req, res, link, {"wesend_transfers", t->id, t->passwordHash});
}

namespace {

// Counts a download of `target` (a file's id, or "zip": every file) for the link, in one
// conditional UPDATE: all of its files or none (410).
void countDownload(Services& s, const PublicView& v, const std::string& target) {
    s.db.transaction([&](db::Connection& tx) {
        std::string sql = "UPDATE wesend_transfer_files SET downloads = downloads + 1 WHERE tenant_id = ?";
        db::Params params{v.transfer.tenantId};
        if (target == "zip") {
            sql += " AND transfer_id = ?";
            params.push_back(v.transfer.id);
        } else {
            sql += " AND id = ?";
            params.push_back(target);
        }
        if (v.transfer.maxDownloads >= 0) {
            sql += " AND downloads < ?";
            params.push_back(static_cast<long long>(v.transfer.maxDownloads));
        }
        const std::size_t expected = target == "zip" ? v.files.size() : 1;
        if (static_cast<std::size_t>(tx.execute(sql, params)) != expected) throw linkExpired("exhausted");
        tx.execute("INSERT INTO wesend_download_grants (tenant_id, transfer_id, link_hash, target, counted_at)"
                   " VALUES (?, ?, ?, ?, ?)",
                   {v.transfer.tenantId, v.transfer.id, v.link.tokenHash, target, static_cast<long long>(nowMs())});
    });
}

bool hasGrant(Services& s, const PublicView& v, const std::string& fileId) {
    auto rows = s.db.query("SELECT COUNT(*) AS n FROM wesend_download_grants WHERE link_hash = ? AND tenant_id = ?"
                           " AND target IN (?, 'zip') AND counted_at > ?",
                           {v.link.tokenHash, v.transfer.tenantId, fileId,
                            static_cast<long long>(nowMs() - s.settings.resumeWindowMs)});
    return !rows.empty() && rows[0].getInt("n") > 0;
}

// How a download ended: a tracking event and the statistics, in one transaction. Never throws:
// the download itself has been answered (or is failing with its own error) by now.
void recordDownload(Services& s, const http::Request& req, const PublicView& v, const std::string& action,
                    const std::string& fileId, std::int64_t bytes, bool counted) {
    TrackEvent e = publicEvent(req, v, action);
    e.fileId = fileId;
    e.bytes = bytes;
    try {
        s.db.transaction([&](db::Connection& tx) {
            s.tracking.record(tx, e);
            s.tracking.countDownload(tx, v.transfer.tenantId, counted, bytes, nowMs());
        });
    } catch (const std::exception& x) {
        s.log.error("cannot record a download of transfer %s: %s", v.transfer.id, std::string(x.what()));
    }
}

// After a complete download by a known recipient: tell the sender once they have everything.
void notifyIfComplete(Services& s, const PublicView& v) {
    if (!v.transfer.notify || v.link.recipient.empty()) return;
    // Told already (the usual case after the first complete download): no write transaction.
    auto told = s.db.query("SELECT notified_at FROM wesend_transfer_recipients WHERE tenant_id = ? AND transfer_id = ?"
                           " AND email = ?",
                           {v.transfer.tenantId, v.transfer.id, v.link.recipient});
    if (told.empty() || !told[0].isNull("notified_at")) return;
    s.db.transaction([&](db::Connection& tx) {
        auto zip = tx.query("SELECT COUNT(*) AS n FROM wesend_events WHERE tenant_id = ? AND subject_id = ?"
                            " AND recipient = ? AND action = 'zip_downloaded'",
                            {v.transfer.tenantId, v.transfer.id, v.link.recipient});
        auto files = tx.query("SELECT COUNT(DISTINCT file_id) AS n FROM wesend_events WHERE tenant_id = ?"
                              " AND subject_id = ? AND recipient = ? AND action = 'file_downloaded'",
                              {v.transfer.tenantId, v.transfer.id, v.link.recipient});
        const bool all = zip[0].getInt("n") > 0 || files[0].getInt("n") >= static_cast<std::int64_t>(v.files.size());
        if (!all) return;
        const std::int64_t now = nowMs();
        if (tx.execute("UPDATE wesend_transfer_recipients SET notified_at = ? WHERE tenant_id = ? AND transfer_id = ?"
                       " AND email = ? AND notified_at IS NULL",
                       {static_cast<long long>(now), v.transfer.tenantId, v.transfer.id, v.link.recipient}) != 1)
            return;
        MailMessage m = mails::transferDownloaded(v.transfer.senderEmail, v.link.recipient, v.transfer.subject, now);
        m.tenantId = v.transfer.tenantId;
        s.mail.enqueue(tx, m);
    });
}

}  // namespace

// A file of a transfer opened by `open` (a public link, or the logged-in recipient's own link),
// with the counting and tracking described in TransferService.h.
static void sendTransferFile(Services& s, http::Request& req, http::Response& res,
                      const std::function<PublicView(bool continuing)>& open) {
    const bool head = req.method() == "HEAD";
    // A Range that does not start at 0 may continue a counted download past the limit.
    const std::string& rangeHeader = req.header("Range");
    const bool mayContinue = !rangeHeader.empty() && rangeHeader.rfind("bytes=0-", 0) != 0;
    const PublicView v = open(mayContinue || head);
    const TransferFile* file = nullptr;
    for (const auto& f : v.files)
        if (f.id == req.param("file_id")) file = &f;
    if (!file) throw Problem::notFound("No such file in this transfer.");
    const ByteRange range = parseRange(rangeHeader, file->file.size);

    bool counted = false;
    if (!head) {
        if (range.start == 0 || !hasGrant(s, v, file->id)) {
            countDownload(s, v, file->id);
            counted = true;
        }
    }
    std::int64_t sent = 0;
    try {
        sent = sendFile(req, res, s.files, v.transfer.tenantId, file->file, range);
    } catch (...) {
        if (!head) recordDownload(s, req, v, "file_partially_downloaded", file->id, res.bytesSent(), counted);
        throw;
    }
    if (head) return;
    // Whole: it reached the end, and started at 0 or continued a download this link counted.
    const bool whole = range.end == file->file.size && (range.start == 0 || !counted);
    recordDownload(s, req, v, whole ? "file_downloaded" : "file_partially_downloaded", file->id, sent, counted);
    if (whole) notifyIfComplete(s, v);
}

// The ZIP of every file, counted as one download of each.
static void sendTransferZip(Services& s, http::Request& req, http::Response& res, const PublicView& v) {
    std::vector<DownloadFile> entries;
    for (const auto& f : v.files) entries.push_back(f.file);
    const std::string zipName = (v.transfer.subject.empty() ? std::string("relais") : v.transfer.subject) + ".zip";
    if (req.method() == "HEAD") {
        res.setHeader("Content-Type", "application/zip");
        res.sendEmpty(200);
        return;
    }
    countDownload(s, v, "zip");
    std::int64_t sent = 0;
    try {
        sent = sendZip(res, s.files, v.transfer.tenantId, entries, zipName, v.transfer.createdAtMs);
    } catch (...) {
        recordDownload(s, req, v, "zip_partially_downloaded", "", res.bytesSent(), true);
        throw;
    }
    recordDownload(s, req, v, "zip_downloaded", "", sent, true);
    notifyIfComplete(s, v);
}

void TransferService::publicFile(http::Request& req, http::Response& res) {
    sendTransferFile(s_, req, res, [&](bool continuing) { return openPublic(s_, req, continuing); });
}

void TransferService::receivedFile(http::Request& req, http::Response& res) {
    sendTransferFile(s_, req, res, [&](bool continuing) { return openReceived(s_, req, continuing); });
}

void TransferService::publicZip(http::Request& req, http::Response& res) {
    sendTransferZip(s_, req, res, openPublic(s_, req, false));
}

void TransferService::receivedZip(http::Request& req, http::Response& res) {
    sendTransferZip(s_, req, res, openReceived(s_, req, false));
}

void TransferService::onMailDelivered(const std::string& tenantId, const std::string& transferId,
                                      const std::string& recipient) {
    auto t = s_.db.read([&](db::Connection& c) { return findTransfer(c, tenantId, transferId); });
    if (!t) return;
    TrackEvent e;
    e.tenantId = tenantId;
    e.ownerUserId = t->senderUserId;
    e.subjectType = "transfer";
    e.subjectId = transferId;
    e.action = "mail_delivered";
    e.recipient = recipient;
    e.actorType = "system";
    s_.tracking.record(e);
}

}  // namespace relais::plugins::wesend

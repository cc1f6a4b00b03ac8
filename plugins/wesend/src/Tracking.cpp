#include "Tracking.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <ctime>
#include <map>

#include "relais/Database.h"
#include "relais/Events.h"
#include "relais/Journal.h"
#include "relais/Time.h"
#include "relais/http/Json.h"

namespace relais::plugins::wesend {

std::string Tracking::dayOf(std::int64_t atMs) {
    const std::time_t t = static_cast<std::time_t>(atMs / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

Poco::JSON::Array::Ptr Tracking::eventsOf(db::Connection& c, const std::string& tenantId,
                                          const std::string& subjectId) {
    Poco::JSON::Array::Ptr events = new Poco::JSON::Array;
    for (const auto& r : c.query("SELECT id, action, recipient, ip, user_agent, file_id, bytes, at FROM wesend_events"
                                 " WHERE tenant_id = ? AND subject_id = ? ORDER BY id LIMIT 5000",
                                 {tenantId, subjectId})) {
        events->add(eventJson(r));
    }
    return events;
}

Poco::JSON::Object::Ptr Tracking::eventJson(const db::Row& r) {
    Poco::JSON::Object::Ptr e = new Poco::JSON::Object;
    e->set("id", r.getInt("id"));
    e->set("at", formatRfc3339(r.getInt("at")));
    e->set("action", r.getString("action"));
    for (const char* text : {"recipient", "ip", "user_agent", "file_id"})
        if (!r.isNull(text)) e->set(text, r.getString(text));
    if (!r.isNull("bytes")) e->set("bytes", r.getInt("bytes"));
    return e;
}

std::int64_t Tracking::record(db::Connection& tx, const TrackEvent& e) {
    const std::int64_t at = nowMs();
    tx.execute("INSERT INTO wesend_events (tenant_id, owner_user_id, subject_type, subject_id, action,"
               " recipient, ip, user_agent, file_id, bytes, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {e.tenantId, e.ownerUserId, e.subjectType, e.subjectId, e.action,
                db::Value::textOrNull(e.recipient), db::Value::textOrNull(e.ip),
                db::Value::textOrNull(e.userAgent.substr(0, 512)), db::Value::textOrNull(e.fileId),
                e.bytes < 0 ? db::Value() : db::Value(static_cast<long long>(e.bytes)),
                static_cast<long long>(at)});
    const std::int64_t id = tx.lastInsertId();

    Poco::JSON::Object details;
    if (!e.recipient.empty()) details.set("recipient", e.recipient);
    if (!e.fileId.empty()) details.set("file_id", e.fileId);
    if (e.bytes >= 0) details.set("bytes", e.bytes);
    if (!e.userAgent.empty()) details.set("user_agent", e.userAgent.substr(0, 512));
    JournalEntry entry;
    entry.tenantId = e.tenantId;
    entry.actor = {e.actorType, e.actorId, e.actorEmail.empty() ? e.recipient : e.actorEmail};
    entry.action = e.subjectType + "." + e.action;
    entry.objectType = e.subjectType;
    entry.objectId = e.subjectId;
    entry.ip = e.ip;
    entry.details = http::toJson(details);
    journal_.append(tx, entry);

    Poco::JSON::Object body;
    body.set("id", id);
    body.set("owner_user_id", e.ownerUserId);
    tx.afterCommit([this, tenant = e.tenantId, json = http::toJson(body), at] {
        events_.publish({"wesend.event", tenant, json, at});
    });
    return id;
}

std::int64_t Tracking::record(const TrackEvent& e) {
    return db_.transaction([&](db::Connection& tx) { return record(tx, e); });
}

void Tracking::addDaily(db::Connection& tx, const std::string& tenantId, std::int64_t atMs, const Daily& d) {
    // One upsert adds every counter of the day at once.
    static const char* kInsert =
        "INSERT INTO wesend_stats_daily (tenant_id, day, transfers, files, bytes_sent, downloads, bytes_downloaded,"
        " uploads_received) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    static const char* kMysql =
        " ON DUPLICATE KEY UPDATE transfers = transfers + VALUES(transfers), files = files + VALUES(files),"
        " bytes_sent = bytes_sent + VALUES(bytes_sent), downloads = downloads + VALUES(downloads),"
        " bytes_downloaded = bytes_downloaded + VALUES(bytes_downloaded),"
        " uploads_received = uploads_received + VALUES(uploads_received)";
    static const char* kSqlite =
        " ON CONFLICT (tenant_id, day) DO UPDATE SET transfers = transfers + excluded.transfers,"
        " files = files + excluded.files, bytes_sent = bytes_sent + excluded.bytes_sent,"
        " downloads = downloads + excluded.downloads, bytes_downloaded = bytes_downloaded + excluded.bytes_downloaded,"
        " uploads_received = uploads_received + excluded.uploads_received";
    tx.execute(std::string(kInsert) + (tx.dialect() == db::Dialect::MySQL ? kMysql : kSqlite),
               {tenantId, dayOf(atMs), static_cast<long long>(d.transfers), static_cast<long long>(d.files),
                static_cast<long long>(d.bytesSent), static_cast<long long>(d.downloads),
                static_cast<long long>(d.bytesDownloaded), static_cast<long long>(d.uploadsReceived)});
}

namespace {

void addTypes(db::Connection& tx, const std::string& tenantId, const std::string& day,
              const std::vector<FileCount>& files) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> byType;
    for (const auto& f : files) {
        auto& t = byType[f.type.empty() ? "application/octet-stream" : f.type];
        t.first += 1;
        t.second += f.bytes;
    }
    const bool mysql = tx.dialect() == db::Dialect::MySQL;
    for (const auto& [type, counts] : byType)
        tx.execute(mysql ? "INSERT INTO wesend_stats_types (tenant_id, day, type, files, bytes) VALUES (?, ?, ?, ?, ?)"
                           " ON DUPLICATE KEY UPDATE files = files + VALUES(files), bytes = bytes + VALUES(bytes)"
                         : "INSERT INTO wesend_stats_types (tenant_id, day, type, files, bytes) VALUES (?, ?, ?, ?, ?)"
                           " ON CONFLICT (tenant_id, day, type) DO UPDATE SET files = files + excluded.files,"
                           " bytes = bytes + excluded.bytes",
                   {tenantId, day, type, static_cast<long long>(counts.first),
                    static_cast<long long>(counts.second)});
}

std::int64_t totalBytes(const std::vector<FileCount>& files) {
    std::int64_t n = 0;
    for (const auto& f : files) n += f.bytes;
    return n;
}

}  // namespace

void Tracking::countTransfer(db::Connection& tx, const std::string& tenantId, const std::string& userId,
                             const std::vector<FileCount>& files, std::int64_t atMs) {
    const std::string day = dayOf(atMs);
    const std::int64_t bytes = totalBytes(files);
    Daily d;
    d.transfers = 1;
    d.files = static_cast<std::int64_t>(files.size());
    d.bytesSent = bytes;
    addDaily(tx, tenantId, atMs, d);
    addTypes(tx, tenantId, day, files);
    const bool mysql = tx.dialect() == db::Dialect::MySQL;
    tx.execute(mysql ? "INSERT INTO wesend_stats_senders (tenant_id, day, user_id, transfers, bytes) VALUES (?, ?, ?, 1, ?)"
                       " ON DUPLICATE KEY UPDATE transfers = transfers + 1, bytes = bytes + VALUES(bytes)"
                     : "INSERT INTO wesend_stats_senders (tenant_id, day, user_id, transfers, bytes) VALUES (?, ?, ?, 1, ?)"
                       " ON CONFLICT (tenant_id, day, user_id) DO UPDATE SET transfers = transfers + 1,"
                       " bytes = bytes + excluded.bytes",
               {tenantId, day, userId, static_cast<long long>(bytes)});
}

void Tracking::countDownload(db::Connection& tx, const std::string& tenantId, bool counted,
                             std::int64_t bytes, std::int64_t atMs) {
    Daily d;
    d.downloads = counted ? 1 : 0;
    d.bytesDownloaded = std::max<std::int64_t>(bytes, 0);
    if (d.downloads || d.bytesDownloaded) addDaily(tx, tenantId, atMs, d);
}

void Tracking::countDeposit(db::Connection& tx, const std::string& tenantId,
                            const std::vector<FileCount>& files, std::int64_t atMs) {
    Daily d;
    d.uploadsReceived = static_cast<std::int64_t>(files.size());
    addDaily(tx, tenantId, atMs, d);
    addTypes(tx, tenantId, dayOf(atMs), files);
}

}  // namespace relais::plugins::wesend

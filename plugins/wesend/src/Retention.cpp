#include "Retention.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include "StoredFiles.h"
#include "relais/Database.h"
#include "relais/FileStore.h"
#include "relais/Journal.h"
#include "relais/http/Json.h"

namespace relais::plugins::wesend {

int Retention::run(std::int64_t now) {
    int changed = s_.tus.expire(now);
    const long long nowLL = static_cast<long long>(now);
    const long long shredBefore = static_cast<long long>(now - s_.settings.retentionGraceMs);

    // Expiry: a tracking event each, for the owner's history and stream.
    struct Expiring {
        std::string table, type, id, tenantId, ownerId;
    };
    std::vector<Expiring> expiring;
    for (const auto& r : s_.db.query("SELECT id, tenant_id, sender_user_id FROM wesend_transfers"
                                     " WHERE state = 'active' AND expires_at <= ? LIMIT 500",
                                     {nowLL}))
        expiring.push_back({"wesend_transfers", "transfer", r.getString("id"), r.getString("tenant_id"),
                            r.getString("sender_user_id")});
    for (const auto& r : s_.db.query("SELECT id, tenant_id, owner_user_id FROM wesend_upload_requests"
                                     " WHERE state = 'open' AND expires_at <= ? LIMIT 500",
                                     {nowLL}))
        expiring.push_back({"wesend_upload_requests", "upload_request", r.getString("id"), r.getString("tenant_id"),
                            r.getString("owner_user_id")});
    for (const auto& x : expiring) {
        s_.db.transaction([&](db::Connection& tx) {
            const char* open = x.type == "transfer" ? "active" : "open";
            if (tx.execute("UPDATE " + x.table + " SET state = 'expired' WHERE id = ? AND tenant_id = ? AND state = ?",
                           {x.id, x.tenantId, open}) != 1)
                return;
            TrackEvent e;
            e.tenantId = x.tenantId;
            e.ownerUserId = x.ownerId;
            e.subjectType = x.type;
            e.subjectId = x.id;
            e.action = "expired";
            e.actorType = "system";
            s_.tracking.record(tx, e);
        });
        ++changed;
    }

    // Crypto-shredding after the grace period: the files go, the records stay.
    struct Ended {
        std::string type, id, tenantId;
        std::vector<std::string> files;
    };
    std::vector<Ended> ended;
    for (const auto& r : s_.db.query("SELECT id, tenant_id FROM wesend_transfers WHERE shredded_at IS NULL AND"
                                     " ((state = 'revoked' AND revoked_at <= ?) OR (state = 'expired' AND expires_at <= ?))"
                                     " LIMIT 200",
                                     {shredBefore, shredBefore})) {
        Ended e{"transfer", r.getString("id"), r.getString("tenant_id"), {}};
        for (const auto& f : s_.db.query("SELECT file_id FROM wesend_transfer_files WHERE tenant_id = ? AND transfer_id = ?",
                                         {e.tenantId, e.id}))
            e.files.push_back(f.getString("file_id"));
        ended.push_back(std::move(e));
    }
    for (const auto& r : s_.db.query("SELECT id, tenant_id FROM wesend_upload_requests WHERE shredded_at IS NULL AND"
                                     " ((state = 'closed' AND closed_at <= ?) OR (state = 'expired' AND expires_at <= ?))"
                                     " LIMIT 200",
                                     {shredBefore, shredBefore})) {
        Ended e{"upload_request", r.getString("id"), r.getString("tenant_id"), {}};
        for (const auto& f : s_.db.query("SELECT file_id FROM wesend_deposit_files WHERE tenant_id = ? AND request_id = ?",
                                         {e.tenantId, e.id}))
            e.files.push_back(f.getString("file_id"));
        for (const auto& u : s_.db.query("SELECT id, file_id FROM wesend_uploads WHERE tenant_id = ? AND request_id = ?",
                                         {e.tenantId, e.id})) {
            e.files.push_back(u.getString("file_id"));
            s_.uploads.remove(e.tenantId, u.getString("id"));
        }
        ended.push_back(std::move(e));
    }
    for (const auto& e : ended) {
        for (const auto& f : e.files) shredFile(s_.files, e.tenantId, f);
        s_.db.transaction([&](db::Connection& tx) {
            tx.execute(std::string("UPDATE ") + (e.type == "transfer" ? "wesend_transfers" : "wesend_upload_requests") +
                           " SET shredded_at = ? WHERE id = ? AND tenant_id = ?",
                       {nowLL, e.id, e.tenantId});
            Poco::JSON::Object details;
            details.set("files", static_cast<int>(e.files.size()));
            JournalEntry j;
            j.tenantId = e.tenantId;
            j.actor = {"system", "", ""};
            j.action = e.type + ".files_shredded";
            j.objectType = e.type;
            j.objectId = e.id;
            j.details = http::toJson(details);
            s_.journal.append(tx, j);
        });
        ++changed;
    }
    s_.db.execute("DELETE FROM wesend_link_access WHERE expires_at < ?", {nowLL});
    s_.db.execute("DELETE FROM wesend_download_grants WHERE counted_at < ?",
                  {static_cast<long long>(now - s_.settings.resumeWindowMs)});
    return changed;
}

}  // namespace relais::plugins::wesend

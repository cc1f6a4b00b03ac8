#include "WesendTenantData.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "Tracking.h"
#include "relais/Database.h"
#include "relais/Time.h"
#include "relais/http/Json.h"

namespace relais::plugins::wesend {

namespace {

constexpr int kPage = 200;

Poco::Dynamic::Var timeOrNull(const db::Row& r, const char* column) {
    return r.isNull(column) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(formatRfc3339(r.getInt(column)));
}

Poco::Dynamic::Var intOrNull(const db::Row& r, const char* column) {
    return r.isNull(column) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.getInt(column));
}

Poco::JSON::Array::Ptr emails(db::Connection& c, const char* table, const char* key, const std::string& tenantId,
                              const std::string& id) {
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& r : c.query(std::string("SELECT email FROM ") + table + " WHERE tenant_id = ? AND " + key +
                                     " = ? ORDER BY email",
                                 {tenantId, id}))
        out->add(r.getString("email"));
    return out;
}

Poco::JSON::Object::Ptr storedFile(const db::Row& f) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", f.getString("id"));
    o->set("file_id", f.getString("file_id"));
    o->set("name", f.getString("name"));
    o->set("type", f.getString("type"));
    o->set("size", f.getInt("size"));
    o->set("sha256", f.getString("sha256"));
    return o;
}

Poco::JSON::Object::Ptr transfer(db::Connection& c, const db::Row& t) {
    const std::string tenantId = t.getString("tenant_id"), id = t.getString("id");
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", id);
    o->set("sender_user_id", t.getString("sender_user_id"));
    o->set("sender_email", t.getString("sender_email"));
    o->set("subject", t.getString("subject"));
    o->set("message", t.getString("message"));
    o->set("state", t.getString("state"));
    o->set("password_protected", !t.isNull("password_hash"));
    o->set("max_downloads", intOrNull(t, "max_downloads"));
    o->set("created_at", formatRfc3339(t.getInt("created_at")));
    o->set("expires_at", formatRfc3339(t.getInt("expires_at")));
    o->set("revoked_at", timeOrNull(t, "revoked_at"));
    o->set("files_deleted_at", timeOrNull(t, "shredded_at"));
    o->set("recipients", emails(c, "wesend_transfer_recipients", "transfer_id", tenantId, id));
    Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
    for (const auto& f : c.query("SELECT id, file_id, name, type, size, sha256, downloads FROM wesend_transfer_files"
                                 " WHERE tenant_id = ? AND transfer_id = ? ORDER BY position",
                                 {tenantId, id})) {
        auto fo = storedFile(f);
        fo->set("downloads", f.getInt("downloads"));
        files->add(fo);
    }
    o->set("files", files);
    return o;
}

Poco::JSON::Object::Ptr request(db::Connection& c, const db::Row& r) {
    const std::string tenantId = r.getString("tenant_id"), id = r.getString("id");
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("id", id);
    o->set("owner_user_id", r.getString("owner_user_id"));
    o->set("owner_email", r.getString("owner_email"));
    o->set("message", r.getString("message"));
    o->set("state", r.getString("state"));
    o->set("max_files", intOrNull(r, "max_files"));
    o->set("max_bytes", intOrNull(r, "max_bytes"));
    o->set("created_at", formatRfc3339(r.getInt("created_at")));
    o->set("expires_at", formatRfc3339(r.getInt("expires_at")));
    o->set("closed_at", timeOrNull(r, "closed_at"));
    o->set("files_deleted_at", timeOrNull(r, "shredded_at"));
    o->set("recipients", emails(c, "wesend_request_recipients", "request_id", tenantId, id));
    Poco::JSON::Array::Ptr deposits = new Poco::JSON::Array;
    for (const auto& d : c.query("SELECT id, sender_email, message, ip, created_at FROM wesend_deposits"
                                 " WHERE tenant_id = ? AND request_id = ? ORDER BY created_at, id",
                                 {tenantId, id})) {
        Poco::JSON::Object::Ptr dj = new Poco::JSON::Object;
        dj->set("id", d.getString("id"));
        dj->set("sender_email", d.getString("sender_email"));
        dj->set("message", d.getString("message"));
        dj->set("ip", d.getString("ip"));
        dj->set("created_at", formatRfc3339(d.getInt("created_at")));
        Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
        for (const auto& f : c.query("SELECT id, file_id, name, type, size, sha256 FROM wesend_deposit_files"
                                     " WHERE tenant_id = ? AND deposit_id = ? ORDER BY position",
                                     {tenantId, d.getString("id")}))
            files->add(storedFile(f));
        dj->set("files", files);
        deposits->add(dj);
    }
    o->set("deposits", deposits);
    return o;
}

}  // namespace

void WesendTenantData::exportMember(const std::string& tenantId, const std::string& member,
                                    const std::function<void(const std::string& json)>& add) {
    const bool transfers = member == "transfers";
    if (!transfers && member != "upload_requests") return;
    // Page by id, one read per page, so that memory does not grow with the tenant.
    for (std::string after;;) {
        std::vector<std::string> page;
        std::string last;
        // A read may run again after a transient failure: it starts from `after` each time,
        // which moves on only once the page is read.
        db_.read([&](db::Connection& c) {
            page.clear();
            const auto rows = c.query(std::string("SELECT * FROM ") +
                                          (transfers ? "wesend_transfers" : "wesend_upload_requests") +
                                          " WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?",
                                      {tenantId, after, kPage});
            for (const auto& r : rows) {
                page.push_back(http::toJson(transfers ? transfer(c, r) : request(c, r)));
                last = r.getString("id");
            }
        });
        after = last;
        for (const auto& json : page) add(json);
        if (page.size() < static_cast<std::size_t>(kPage)) break;
    }
}

std::map<std::string, std::int64_t> WesendTenantData::usage(const std::string& tenantId) {
    const std::string since = Tracking::dayOf(nowMs() - 29LL * 86400000);
    auto rows = db_.query("SELECT COALESCE(SUM(transfers), 0) AS transfers, COALESCE(SUM(bytes_sent), 0) AS bytes"
                          " FROM wesend_stats_daily WHERE tenant_id = ? AND day >= ?",
                          {tenantId, since});
    return {{"transfers_30d", rows[0].getInt("transfers")}, {"bytes_sent_30d", rows[0].getInt("bytes")}};
}

}  // namespace relais::plugins::wesend

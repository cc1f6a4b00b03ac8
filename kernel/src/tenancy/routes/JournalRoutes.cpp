#include "tenancy/routes/JournalRoutes.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "relais/Journal.h"
#include "relais/Problem.h"
#include "relais/Time.h"
#include "relais/http/Json.h"
#include "relais/http/Page.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"
#include "tenancy/Representations.h"
#include "tenancy/routes/RouteSupport.h"

namespace relais::routes {

namespace {

std::int64_t timeParam(const http::Request& req, const std::string& name) {
    if (!req.hasQuery(name)) return 0;
    try {
        return parseRfc3339(req.query(name));
    } catch (const std::invalid_argument&) {
        throw Problem::invalidField(name, "an RFC 3339 date-time, such as 2026-11-26T00:00:00Z");
    }
}

// A cell of CSV: quoted, and defused when a spreadsheet would read it as a formula.
std::string csvCell(const std::string& value) {
    std::string v = value;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        v = "'" + v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

void serveJournal(http::Request& req, http::Response& res, Journal& journal, const std::string& tenantId) {
    JournalQuery q;
    q.tenantId = tenantId;
    q.fromMs = timeParam(req, "from");
    q.toMs = timeParam(req, "to");
    if (q.fromMs && q.toMs && q.toMs < q.fromMs) throw Problem::invalidField("to", "before from");
    q.action = req.query("action");
    if (q.action.size() > 100) throw Problem::invalidField("action", "at most 100 characters");
    const std::string actor = req.query("actor");
    if (actor.size() > 320) throw Problem::invalidField("actor", "at most 320 characters");
    if (actor.find('@') != std::string::npos) q.actorEmail = actor;
    else q.actorId = actor;
    const std::string format = req.query("format", "json");
    if (format != "json" && format != "csv") throw Problem::invalidField("format", "json or csv");
    const http::Page page = http::pageOf(req);
    if (!page.after.empty()) {
        try {
            q.afterId = std::stoll(page.after);
        } catch (const std::exception&) {
            throw Problem::invalidField("cursor", "not a cursor this API returned");
        }
    }

    if (format == "csv") {
        res.setHeader("Content-Type", "text/csv; charset=utf-8");
        res.setHeader("Content-Disposition", "attachment; filename=\"journal.csv\"");
        res.setHeader("Cache-Control", "no-store");
        res.setStatus(200);
        res.beginBody(-1);
        // A BOM, so that spreadsheets read the file as UTF-8.
        std::string out = "\xEF\xBB\xBFid,at,actor_type,actor_id,actor_email,action,object_type,object_id,ip,details\r\n";
        q.limit = 1000;
        for (;;) {
            auto entries = journal.list(q);
            for (const auto& s : entries) {
                const JournalEntry& e = s.entry;
                out += std::to_string(s.id) + "," + formatRfc3339(s.atMs) + "," + csvCell(e.actor.type) + "," +
                       csvCell(e.actor.id) + "," + csvCell(e.actor.email) + "," + csvCell(e.action) + "," +
                       csvCell(e.objectType) + "," + csvCell(e.objectId) + "," + csvCell(e.ip) + "," +
                       csvCell(e.details) + "\r\n";
                if (out.size() > 64 * 1024) {
                    res.write(out.data(), out.size());
                    out.clear();
                }
            }
            if (entries.size() < static_cast<std::size_t>(q.limit)) break;
            q.afterId = entries.back().id;
        }
        res.write(out.data(), out.size());
        return;
    }

    q.limit = page.limit + 1;  // one more tells whether a next page exists
    auto entries = journal.list(q);
    std::string next;
    if (entries.size() > static_cast<std::size_t>(page.limit)) {
        entries.resize(static_cast<std::size_t>(page.limit));
        next = std::to_string(entries.back().id);
    }
    Poco::JSON::Array items;
    for (const auto& e : entries) items.add(repr::journalEntry(e));
    http::sendPage(res, items, next);
}

void serveJournalCheck(http::Response& res, Journal& journal, const std::string& tenantId) {
    const JournalVerification v = journal.verify(tenantId);
    Poco::JSON::Object out;
    out.set("ok", v.ok);
    out.set("entries_checked", v.entriesChecked);
    out.set("first_bad_entry_id",
            v.firstBadEntryId ? Poco::Dynamic::Var(std::to_string(v.firstBadEntryId)) : Poco::Dynamic::Var());
    if (!v.ok) out.set("problem", v.problem);
    http::sendJson(res, 200, out);
}

}  // namespace relais::routes

#include "Statistics.h"

#include <Poco/JSON/Array.h>

#include <ctime>
#include <map>

#include "relais/Database.h"
#include "relais/Problem.h"
#include "relais/Time.h"
#include "relais/http/Access.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"

namespace relais::plugins::wesend {

namespace {

// A day "YYYY-MM-DD" from a date or an RFC 3339 time; Problem 422 otherwise.
std::string dayParam(const std::string& field, const std::string& value) {
    if (value.size() == 10 && value[4] == '-' && value[7] == '-') {
        try {
            return Tracking::dayOf(parseRfc3339(value + "T00:00:00Z"));
        } catch (const std::exception&) {
        }
    } else {
        try {
            return Tracking::dayOf(parseRfc3339(value));
        } catch (const std::exception&) {
        }
    }
    throw Problem::invalidField(field, "must be a date (YYYY-MM-DD) or an RFC 3339 time");
}

std::string periodOf(const std::string& day, const std::string& granularity) {
    if (granularity == "month") return day.substr(0, 7);
    if (granularity == "day") return day;
    std::tm tm{};
    tm.tm_year = std::stoi(day.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(day.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(day.substr(8, 2));
    tm.tm_hour = 12;
    const std::time_t t = timegm(&tm);
    std::tm norm{};
    gmtime_r(&t, &norm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%G-W%V", &norm);  // ISO 8601 week
    return buf;
}

}  // namespace

void Statistics::handle(http::Request& req, http::Response& res) {
    http::requireRole(req, {"tenant_admin"});
    const TenantContext& tenant = http::requireTenant(req);
    const std::string granularity = req.query("granularity", "day");
    if (granularity != "day" && granularity != "week" && granularity != "month")
        throw Problem::invalidField("granularity", "must be day, week or month");
    const std::int64_t now = nowMs();
    const std::string to = req.hasQuery("to") ? dayParam("to", req.query("to")) : Tracking::dayOf(now);
    const std::string from = req.hasQuery("from") ? dayParam("from", req.query("from"))
                                                  : Tracking::dayOf(parseRfc3339(to + "T00:00:00Z") - 29LL * 86400000);
    if (from > to) throw Problem::invalidField("from", "must not be after to");
    if (parseRfc3339(to + "T00:00:00Z") - parseRfc3339(from + "T00:00:00Z") > 3660LL * 86400000)
        throw Problem::invalidField("from", "the period spans at most 3660 days");

    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    s_.db.read([&](db::Connection& c) {
        struct Totals {
            std::int64_t transfers = 0, files = 0, bytesSent = 0, downloads = 0, bytesDownloaded = 0, uploads = 0;
        };
        std::map<std::string, Totals> periods;
        for (const auto& r : c.query("SELECT day, transfers, files, bytes_sent, downloads, bytes_downloaded, uploads_received"
                                     " FROM wesend_stats_daily WHERE tenant_id = ? AND day >= ? AND day <= ? ORDER BY day",
                                     {tenant.id, from, to})) {
            Totals& t = periods[periodOf(r.getString("day"), granularity)];
            t.transfers += r.getInt("transfers");
            t.files += r.getInt("files");
            t.bytesSent += r.getInt("bytes_sent");
            t.downloads += r.getInt("downloads");
            t.bytesDownloaded += r.getInt("bytes_downloaded");
            t.uploads += r.getInt("uploads_received");
        }
        Poco::JSON::Array::Ptr series = new Poco::JSON::Array;
        for (const auto& [period, t] : periods) {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
            o->set("period", period);
            o->set("transfers", t.transfers);
            o->set("files", t.files);
            o->set("bytes_sent", t.bytesSent);
            o->set("downloads", t.downloads);
            o->set("bytes_downloaded", t.bytesDownloaded);
            o->set("uploads_received", t.uploads);
            series->add(o);
        }
        out->set("series", series);

        Poco::JSON::Array::Ptr types = new Poco::JSON::Array;
        for (const auto& r : c.query("SELECT type, SUM(files) AS files, SUM(bytes) AS bytes FROM wesend_stats_types"
                                     " WHERE tenant_id = ? AND day >= ? AND day <= ? GROUP BY type ORDER BY bytes DESC, type",
                                     {tenant.id, from, to})) {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
            o->set("type", r.getString("type"));
            o->set("files", r.getInt("files"));
            o->set("bytes", r.getInt("bytes"));
            types->add(o);
        }
        out->set("by_type", types);

        Poco::JSON::Array::Ptr senders = new Poco::JSON::Array;
        for (const auto& r : c.query("SELECT s.user_id AS user_id, SUM(s.transfers) AS transfers, SUM(s.bytes) AS bytes,"
                                     " MAX(u.email) AS email, MAX(u.name) AS name"
                                     " FROM wesend_stats_senders s LEFT JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id"
                                     " WHERE s.tenant_id = ? AND s.day >= ? AND s.day <= ?"
                                     " GROUP BY s.user_id ORDER BY bytes DESC, transfers DESC LIMIT 10",
                                     {tenant.id, from, to})) {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
            o->set("user_id", r.getString("user_id"));
            o->set("email", r.getString("email"));
            o->set("name", r.getString("name"));
            o->set("transfers", r.getInt("transfers"));
            o->set("bytes_sent", r.getInt("bytes"));
            senders->add(o);
        }
        out->set("top_senders", senders);
    });
    out->set("from", from);
    out->set("to", to);
    out->set("granularity", granularity);
    http::sendJson(res, 200, out);
}

}  // namespace relais::plugins::wesend

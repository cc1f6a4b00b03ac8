#include "Services.h"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>

#include <set>

#include "relais/Database.h"
#include "relais/Mail.h"
#include "relais/Passwords.h"
#include "relais/Problem.h"
#include "relais/http/Fields.h"
#include "relais/http/Page.h"
#include "relais/http/Request.h"

namespace relais::plugins::wesend {

namespace {
Problem invalid(const std::string& field, const std::string& message) {
    return Problem::invalidField(field, message);
}
}  // namespace

std::string optionalText(const Poco::JSON::Object::Ptr& body, const std::string& field, std::size_t maxBytes,
                         bool oneLine) {
    if (!body->has(field) || body->isNull(field)) return {};
    const Poco::Dynamic::Var v = body->get(field);
    if (!v.isString()) throw invalid(field, "must be a string");
    const std::string s = v.toString();
    if (s.size() > maxBytes) throw invalid(field, "at most " + std::to_string(maxBytes) + " bytes");
    for (unsigned char c : s)
        if ((c < 0x20 && (oneLine || (c != '\n' && c != '\r' && c != '\t'))) || c == 0x7F)
            throw invalid(field, "must not contain control characters");
    return s;
}

std::int64_t optionalInt(const Poco::JSON::Object::Ptr& body, const std::string& name, std::int64_t min,
                         std::int64_t max, std::int64_t def) {
    return field::has(*body, name) ? field::integer(*body, name, min, max) : def;
}

std::vector<std::string> emailList(const Poco::JSON::Object::Ptr& body, const std::string& field, std::size_t max) {
    std::vector<std::string> out;
    if (!body->has(field) || body->isNull(field)) return out;
    auto arr = body->getArray(field);
    if (!arr) throw invalid(field, "must be a list of e-mail addresses");
    if (arr->size() > max) throw invalid(field, "at most " + std::to_string(max) + " addresses");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const Poco::Dynamic::Var v = arr->get(static_cast<unsigned>(i));
        const std::string where = field + "[" + std::to_string(i) + "]";
        if (!v.isString()) throw invalid(where, "must be an e-mail address");
        const std::string email = Poco::toLower(Poco::trim(v.toString()));
        if (email.size() > 254 || !isValidMailAddress(email)) throw invalid(where, "is not a valid e-mail address");
        if (seen.insert(email).second) out.push_back(email);
    }
    return out;
}

std::vector<std::string> idList(const Poco::JSON::Object::Ptr& body, const std::string& field, std::size_t max) {
    if (!body->has(field) || body->isNull(field)) throw invalid(field, "is required");
    auto arr = body->getArray(field);
    if (!arr || arr->size() == 0) throw invalid(field, "must be a non-empty list");
    if (arr->size() > max) throw invalid(field, "at most " + std::to_string(max) + " items");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const Poco::Dynamic::Var v = arr->get(static_cast<unsigned>(i));
        if (!v.isString() || v.toString().empty() || v.toString().size() > 64)
            throw invalid(field + "[" + std::to_string(i) + "]", "must be an upload id");
        out.push_back(v.toString());
    }
    return out;
}

std::string optionalPassword(const Poco::JSON::Object::Ptr& body) {
    if (!body->has("password") || body->isNull("password")) return {};
    const Poco::Dynamic::Var v = body->get("password");
    if (!v.isString()) throw invalid("password", "must be a string");
    const std::string p = v.toString();
    if (p.size() < 8 || p.size() > 256) throw invalid("password", "must have 8 to 256 characters");
    return PasswordHasher::hash(p);
}

void sendNewestFirst(http::Request& req, http::Response& res, db::Database& db, const std::string& select,
                     const db::Params& params,
                     const std::function<Poco::JSON::Object::Ptr(db::Connection&, const db::Row&)>& item) {
    const http::Page page = http::pageOf(req);
    long long beforeAt = INT64_MAX;
    std::string beforeId = "\x7f";  // after every id
    if (!page.after.empty()) {
        const auto dot = page.after.find('.');
        if (dot == std::string::npos || dot == 0 || dot > 18 || page.after.find_first_not_of("0123456789") != dot)
            throw invalid("cursor", "not a cursor this API returned");
        beforeAt = std::stoll(page.after.substr(0, dot));
        beforeId = page.after.substr(dot + 1);
    }
    db::Params bound = params;
    bound.insert(bound.end(), {beforeAt, beforeAt, beforeId, page.limit + 1});
    Poco::JSON::Array items;
    std::string next;
    db.read([&](db::Connection& c) {
        const auto rows = c.query(select + " AND (created_at < ? OR (created_at = ? AND id < ?))"
                                           " ORDER BY created_at DESC, id DESC LIMIT ?",
                                  bound);
        items.clear();
        const std::size_t limit = static_cast<std::size_t>(page.limit);
        for (std::size_t i = 0; i < rows.size() && i < limit; ++i) items.add(item(c, rows[i]));
        next = rows.size() > limit
                   ? std::to_string(rows[limit - 1].getInt("created_at")) + "." + rows[limit - 1].getString("id")
                   : std::string();
    });
    http::sendPage(res, items, next);
}

TrackEvent guestEvent(const http::Request& req) {
    TrackEvent e;
    e.ip = req.clientIp();
    e.userAgent = req.header("User-Agent").substr(0, 512);
    return e;
}

}  // namespace relais::plugins::wesend

#include "tenancy/SelfService.h"

#include <Poco/JSON/Object.h>

#include "auth/LoginService.h"
#include "auth/Passwords.h"
#include "auth/Throttle.h"
#include "relais/Database.h"
#include "relais/Journal.h"
#include "relais/Mail.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "tenancy/Audit.h"
#include "tenancy/Directory.h"
#include "tenancy/Links.h"
#include "tenancy/Mails.h"
#include "tenancy/PlanCatalog.h"
#include "tenancy/Provisioning.h"
#include "tenancy/UserStore.h"
#include "tenancy/Validation.h"

namespace relais {

namespace {

constexpr std::int64_t kConfirmationTtlMs = 24LL * 3600 * 1000;
// Sign-ups and quote requests per address before the backoff starts.
constexpr int kPerAddress = 5;

}  // namespace

void SelfService::notifyOperators(db::Connection& tx, const std::string& subject, const std::string& body) {
    std::vector<std::string> to;
    if (!s_.settings.operatorEmail.empty()) to.push_back(s_.settings.operatorEmail);
    else
        for (const auto& r : tx.query("SELECT email FROM users WHERE scope = 'platform' AND role = 'operator'"
                                      " AND state = 'active' ORDER BY email"))
            to.push_back(r.getString("email"));
    for (const auto& address : to) s_.mail.enqueue(tx, mails::operatorNotice(address, subject, body));
}

void SelfService::requestTrial(const http::Request& req, const Poco::JSON::Object& body) {
    if (s_.settings.trialReseller.empty())
        throw Problem(404, "signup_closed", "Self-service trials are not offered here; ask for a quote instead.");
    const std::vector<Throttle::Limit> limits = {{"signup:" + req.clientIp(), kPerAddress}};
    s_.throttle.check(limits);

    const std::string email = field::email(body, "email");
    const std::string name = field::text(body, "name", 200);
    const std::string company = field::text(body, "company", 200);
    const std::string slug = field::text(body, "slug", 40);
    if (const std::string why = slugProblem(slug); !why.empty()) throw Problem::invalidField("slug", why);
    const std::string siren = normaliseSiren(field::optionalText(body, "siren", 20));
    if (!siren.empty() && !isValidSiren(siren))
        throw Problem::invalidField("siren", "not a valid SIREN: 9 digits with a correct Luhn key");
    if (!field::has(body, "accept_terms") || !field::boolean(body, "accept_terms"))
        throw Problem::invalidField("accept_terms", "the terms of service must be accepted");
    const std::string password = field::text(body, "password", 1024);
    LoginService::checkPassword(password, email, "password");
    if (s_.tenancy.tenantBySlug(slug))
        throw Problem(409, "slug_taken", "The slug '" + slug + "' is taken.", {{"slug", "already taken"}});

    const std::string token = randomToken(32);
    const std::string hash = PasswordHasher::hash(password);
    s_.throttle.fail(limits);  // counts every sign-up, not only failures
    s_.db.transaction([&](db::Connection& tx) {
        tx.execute("INSERT INTO signup_requests (token_hash, email, name, company, siren, slug, password_hash, ip,"
                   " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {sha256Hex(token), email, name, company, siren.empty() ? db::Value() : db::Value(siren), slug, hash,
                    req.clientIp(), nowMs(), nowMs() + kConfirmationTtlMs});
        s_.mail.enqueue(tx, mails::signupConfirmation(email, name, company,
                                                      linkBase(req, s_.settings, "") + "/signup/confirm?token=" + token));
        Poco::JSON::Object d;
        d.set("email", email);
        d.set("company", company);
        d.set("slug", slug);
        s_.journal.append(tx, auditEntry(req, "signup.requested", "signup", slug, d, email));
    });
}

Tenant SelfService::confirmTrial(const http::Request& req, const std::string& token) {
    const std::vector<Throttle::Limit> limits = {{"ip:" + req.clientIp(), s_.settings.lockoutIpThreshold}};
    s_.throttle.check(limits);
    auto reseller = s_.tenancy.resellerByName(s_.settings.trialReseller);
    if (!reseller) throw Problem(404, "signup_closed", "Self-service trials are not offered here.");
    std::optional<Tenant> tenant;
    s_.db.transaction([&](db::Connection& tx) {
        tenant.reset();
        auto rows = tx.query("SELECT * FROM signup_requests WHERE token_hash = ? AND confirmed_at IS NULL AND expires_at > ?",
                             {sha256Hex(token), nowMs()});
        if (rows.empty()) return;
        const auto& r = rows[0];
        Poco::JSON::Object spec;
        Poco::JSON::Object::Ptr contact = new Poco::JSON::Object;
        spec.set("slug", r.getString("slug"));
        spec.set("name", r.getString("company"));
        spec.set("plan", s_.settings.trialPlan);
        if (!r.isNull("siren")) spec.set("siren", r.getString("siren"));
        contact->set("name", r.getString("name"));
        contact->set("email", r.getString("email"));
        spec.set("contact", contact);
        Actor actor;
        actor.type = "anonymous";
        actor.email = r.getString("email");
        actor.ip = req.clientIp();
        actor.requestId = req.requestId();
        tenant = provisioning_.createTenant(tx, spec, reseller->id, "trial", actor);
        NewUser admin;
        admin.email = r.getString("email");
        admin.name = r.getString("name");
        admin.role = "tenant_admin";
        admin.passwordHash = r.getString("password_hash");
        provisioning_.createUser(tx, tenant->id, "", admin, linkBase(req, s_.settings, tenant->slug), tenant->name, actor);
        tx.execute("UPDATE signup_requests SET confirmed_at = ?, tenant_id = ?, password_hash = '' WHERE token_hash = ?",
                   {nowMs(), tenant->id, sha256Hex(token)});
        notifyOperators(tx, "Nouvel essai / New trial: " + tenant->name,
                        "Organisation : " + tenant->name + "\nSlug : " + tenant->slug + "\nContact : " + admin.name +
                            " <" + admin.email + ">\nSIREN : " + (tenant->siren.empty() ? "-" : tenant->siren) +
                            "\nFin de l'essai / trial ends: " + formatParisDate(tenant->trialEndsAtMs) + "\n");
    });
    if (!tenant) {
        s_.throttle.fail(limits);
        throw Problem(410, "link_expired", "This confirmation link is no longer valid; sign up again.");
    }
    s_.directory.invalidate();
    return *tenant;
}

std::string SelfService::requestQuote(const http::Request& req, const Poco::JSON::Object& body) {
    const std::vector<Throttle::Limit> limits = {{"quote:" + req.clientIp(), kPerAddress}};
    s_.throttle.check(limits);
    QuoteRequest q;
    q.id = randomId("qr");
    q.company = field::text(body, "company", 200);
    q.contactName = field::text(body, "contact_name", 200);
    q.email = field::email(body, "email");
    q.phone = field::optionalText(body, "phone", 40);
    if (field::has(body, "users")) q.users = field::integer(body, "users", 1, 1000000);
    if (field::has(body, "storage_gb")) q.storageGb = field::integer(body, "storage_gb", 1, 10000000);
    q.plan = field::optionalText(body, "plan", 64);
    if (!q.plan.empty() && !s_.plans.find(q.plan)) throw Problem::invalidField("plan", "unknown plan");
    q.message = field::optionalText(body, "message", 5000);
    q.ip = req.clientIp();
    q.createdAtMs = nowMs();
    s_.throttle.fail(limits);
    s_.db.transaction([&](db::Connection& tx) {
        tx.execute("INSERT INTO quote_requests (id, company, contact_name, email, phone, users, storage_gb, plan,"
                   " message, ip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {q.id, q.company, q.contactName, q.email, q.phone, q.users ? db::Value(static_cast<long long>(q.users)) : db::Value(),
                    q.storageGb ? db::Value(static_cast<long long>(q.storageGb)) : db::Value(), q.plan, q.message, q.ip, q.createdAtMs});
        Poco::JSON::Object d;
        d.set("company", q.company);
        d.set("email", q.email);
        s_.journal.append(tx, auditEntry(req, "quote.requested", "quote_request", q.id, d, q.email));
        notifyOperators(tx, "Demande de devis / Quote request: " + q.company,
                        "Société : " + q.company + "\nContact : " + q.contactName + " <" + q.email + ">\nTéléphone : " +
                            (q.phone.empty() ? "-" : q.phone) + "\nUtilisateurs : " +
                            (q.users ? std::to_string(q.users) : "-") + "\nStockage (Go) : " +
                            (q.storageGb ? std::to_string(q.storageGb) : "-") + "\nOffre : " +
                            (q.plan.empty() ? "-" : q.plan) + "\n\n" + q.message + "\n");
    });
    return q.id;
}

std::uint64_t SelfService::removeStaleSignups(std::int64_t now) {
    return s_.db.execute("DELETE FROM signup_requests WHERE confirmed_at IS NULL AND expires_at < ?",
                         {now - 7LL * 24 * 3600 * 1000});
}

std::vector<QuoteRequest> SelfService::quotes(const std::string& after, int limit) {
    std::vector<QuoteRequest> out;
    std::string sql = "SELECT * FROM quote_requests";
    db::Params params;
    if (!after.empty()) {
        // "<created_at>|<id>" of the last one seen.
        const auto bar = after.find('|');
        std::int64_t at = 0;
        try {
            at = std::stoll(after.substr(0, bar));
        } catch (const std::exception&) {
            throw Problem::invalidField("cursor", "not a cursor this API returned");
        }
        if (bar == std::string::npos) throw Problem::invalidField("cursor", "not a cursor this API returned");
        sql += " WHERE created_at < ? OR (created_at = ? AND id < ?)";
        params = {static_cast<long long>(at), static_cast<long long>(at), after.substr(bar + 1)};
    }
    sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
    params.emplace_back(limit);
    for (const auto& r : s_.db.query(sql, params))
        out.push_back(QuoteRequest{r.getString("id"), r.getString("company"), r.getString("contact_name"),
                                   r.getString("email"), r.getString("phone"), r.getInt("users"),
                                   r.getInt("storage_gb"), r.getString("plan"), r.getString("message"),
                                   r.getString("ip"), r.getInt("created_at")});
    return out;
}

}  // namespace relais

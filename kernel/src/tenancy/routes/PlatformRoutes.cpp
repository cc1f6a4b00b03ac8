#include "tenancy/routes/PlatformRoutes.h"

#include <Poco/JSON/Parser.h>

#include "relais/Database.h"
#include "relais/Problem.h"
#include "relais/Time.h"
#include "relais/http/Access.h"
#include "relais/http/Json.h"
#include "relais/http/Page.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"
#include "relais/http/Route.h"
#include "storage/EncryptedFileStore.h"
#include "tenancy/Audit.h"
#include "tenancy/Directory.h"
#include "tenancy/Lifecycle.h"
#include "tenancy/Links.h"
#include "tenancy/PlanCatalog.h"
#include "tenancy/Provisioning.h"
#include "tenancy/Representations.h"
#include "tenancy/SelfService.h"
#include "tenancy/TenancySubsystem.h"
#include "tenancy/Validation.h"
#include "tenancy/routes/JournalRoutes.h"
#include "tenancy/routes/RouteSupport.h"

namespace relais {

namespace {

constexpr auto kPlatform = http::Scope::Platform;
constexpr std::int64_t kJsonLimit = 64 * 1024;

// An operator, or a reseller admin whose reseller is not suspended.
const Principal& requireStaff(const http::Request& req, TenancyServices& s) {
    const Principal& p = http::requireRole(req, {"operator", "reseller_admin"});
    if (p.role == "reseller_admin") {
        auto r = s.tenancy.reseller(p.resellerId);
        if (!r || r->state != "active")
            throw Problem(403, "reseller_suspended", "Your reseller account is suspended; contact the operator.");
    }
    return p;
}

const Principal& requireOperator(const http::Request& req) { return http::requireRole(req, {"operator"}); }

// A tenant the caller may see: any for the operator, its own for a reseller; else 404.
Tenant visibleTenant(const http::Request& req, TenancyServices& s, const std::string& id) {
    const Principal& p = requireStaff(req, s);
    auto t = s.tenancy.tenant(id);
    if (!t || (p.role == "reseller_admin" && t->resellerId != p.resellerId))
        throw Problem::notFound("No such organisation.");
    return *t;
}

Reseller visibleReseller(const http::Request& req, TenancyServices& s, const std::string& id) {
    const Principal& p = http::requireRole(req, {"operator", "reseller_admin"});
    auto r = s.tenancy.reseller(id);
    if (!r || (p.role == "reseller_admin" && p.resellerId != id)) throw Problem::notFound("No such reseller.");
    return *r;
}

NewUser newUserFrom(const Poco::JSON::Object& admin, const std::string& role) {
    NewUser u;
    u.email = field::email(admin, "email");
    u.name = field::text(admin, "name", 200);
    u.role = role;
    u.password = admin.has("password") && admin.get("password").isString() ? admin.getValue<std::string>("password") : "";
    if (u.password.size() > 1024) throw Problem::invalidField("admin.password", "at most 1024 bytes");
    u.language = field::optionalText(admin, "language", 2);
    return u;
}

Poco::JSON::Object adminOf(const CreatedUser& created) {
    Poco::JSON::Object a;
    a.set("id", created.user.id);
    a.set("email", created.user.email);
    a.set("state", created.user.state);
    if (!created.generatedPassword.empty()) a.set("password", created.generatedPassword);
    return a;
}

Poco::JSON::Object certificateJson(const DeletionCertificate& c, const std::string& publicKey) {
    Poco::JSON::Object o;
    o.set("id", c.id);
    o.set("tenant_id", c.tenantId);
    o.set("issued_at", formatRfc3339(c.createdAtMs));
    o.set("document", Poco::JSON::Parser().parse(c.document));
    o.set("document_text", c.document);
    o.set("signature", c.signature);
    o.set("algorithm", "Ed25519");
    o.set("public_key", publicKey);
    return o;
}

}  // namespace

void PlatformRoutes::registerWith(http::RouteRegistry& routes) {
    TenancyServices& s = t_.services();
    Provisioning& prov = t_.provisioning();
    Lifecycle& life = t_.lifecycle();
    auto self = std::make_shared<SelfService>(s, prov);

    routes.add({"GET", "/api/v1/plans",
                [&s](http::Request&, http::Response& res) {
                    Poco::JSON::Array plans;
                    for (const auto& p : s.plans.plans()) plans.add(repr::plan(p, s.plans.vatPercent()));
                    http::sendJson(res, 200, plans);
                },
                http::Scope::PlatformOrTenant});

    // --- Resellers ---------------------------------------------------------------------------
    routes.add({"POST", "/api/v1/resellers",
                [&s, &prov](http::Request& req, http::Response& res) {
                    requireOperator(req);
                    auto body = http::readJsonObject(req, kJsonLimit);
                    auto admin = body->getObject("admin");
                    if (!admin) throw Problem::invalidField("admin", "an object {email, name, password?} is expected");
                    const Actor actor = Actor::of(req);
                    Reseller r;
                    CreatedUser created;
                    s.db.transaction([&](db::Connection& tx) {
                        r = prov.createReseller(tx, field::text(*body, "name", 200), field::email(*body, "contact_email"),
                                                actor);
                        created = prov.createUser(tx, "", r.id, newUserFrom(*admin, "reseller_admin"),
                                                  linkBase(req, s.settings, ""), r.name, actor);
                    });
                    Poco::JSON::Object out = repr::reseller(r);
                    out.set("admin", adminOf(created));
                    http::sendJson(res, 201, out);
                },
                kPlatform, kJsonLimit});

    routes.add({"GET", "/api/v1/resellers",
                [&s](http::Request& req, http::Response& res) {
                    const Principal& p = http::requireRole(req, {"operator", "reseller_admin"});
                    Poco::JSON::Array items;
                    for (const auto& r : s.tenancy.resellers())
                        if (p.role == "operator" || r.id == p.resellerId) items.add(repr::reseller(r));
                    http::sendPage(res, items, "");
                },
                kPlatform});

    routes.add({"GET", "/api/v1/resellers/{id}",
                [&s](http::Request& req, http::Response& res) {
                    http::sendJson(res, 200, repr::reseller(visibleReseller(req, s, req.param("id"))));
                },
                kPlatform});

    routes.add({"PATCH", "/api/v1/resellers/{id}",
                [&s](http::Request& req, http::Response& res) {
                    requireOperator(req);
                    Reseller r = visibleReseller(req, s, req.param("id"));
                    auto body = http::readJsonObject(req, kJsonLimit);
                    if (field::has(*body, "name")) r.name = field::text(*body, "name", 200);
                    if (field::has(*body, "contact_email")) r.contactEmail = field::email(*body, "contact_email");
                    s.db.transaction([&](db::Connection& tx) {
                        auto other = tx.query("SELECT id FROM resellers WHERE name = ? AND id <> ?", {r.name, r.id});
                        if (!other.empty())
                            throw Problem(409, "name_taken", "A reseller of that name exists.", {{"name", "already taken"}});
                        s.tenancy.updateReseller(tx, r);
                        journalAs(s.journal, tx, "", Actor::of(req), "reseller.updated", "reseller", r.id);
                    });
                    http::sendJson(res, 200, repr::reseller(r));
                },
                kPlatform, kJsonLimit});

    routes.add({"POST", "/api/v1/resellers/{id}/admins",
                [&s, &prov](http::Request& req, http::Response& res) {
                    requireOperator(req);
                    Reseller r = visibleReseller(req, s, req.param("id"));
                    auto body = http::readJsonObject(req, kJsonLimit);
                    CreatedUser created;
                    s.db.transaction([&](db::Connection& tx) {
                        created = prov.createUser(tx, "", r.id, newUserFrom(*body, "reseller_admin"),
                                                  linkBase(req, s.settings, ""), r.name, Actor::of(req));
                    });
                    http::sendJson(res, 201, adminOf(created));
                },
                kPlatform, kJsonLimit});

    routes.add({"POST", "/api/v1/resellers/{id}/suspend",
                [&s, &life](http::Request& req, http::Response& res) {
                    requireOperator(req);
                    const std::string reason = routes::reasonOf(req);
                    http::sendJson(res, 200, repr::reseller(life.suspendReseller(req.param("id"), reason, Actor::of(req))));
                },
                kPlatform, kJsonLimit});

    routes.add({"POST", "/api/v1/resellers/{id}/resume",
                [&s, &life](http::Request& req, http::Response& res) {
                    requireOperator(req);
                    http::sendJson(res, 200, repr::reseller(life.resumeReseller(req.param("id"), Actor::of(req))));
                },
                kPlatform});

    // --- Tenants -----------------------------------------------------------------------------
    routes.add({"POST", "/api/v1/tenants",
                [&s, &prov](http::Request& req, http::Response& res) {
                    const Principal& p = requireStaff(req, s);
                    auto body = http::readJsonObject(req, kJsonLimit);
                    std::string resellerId = p.resellerId;
                    if (p.role == "operator") {
                        resellerId = field::text(*body, "reseller_id", 64);
                        if (!s.tenancy.reseller(resellerId)) throw Problem::invalidField("reseller_id", "no such reseller");
                    } else if (field::has(*body, "reseller_id") && body->get("reseller_id").toString() != resellerId) {
                        throw Problem::invalidField("reseller_id", "a reseller creates tenants for itself only");
                    }
                    auto admin = body->getObject("admin");
                    if (!admin) throw Problem::invalidField("admin", "an object {email, name, password?} is expected");
                    const NewUser adminSpec = newUserFrom(*admin, "tenant_admin");
                    const Actor actor = Actor::of(req);
                    Tenant t;
                    CreatedUser created;
                    s.db.transaction([&](db::Connection& tx) {
                        t = prov.createTenant(tx, *body, resellerId, "active", actor);
                        created = prov.createUser(tx, t.id, "", adminSpec, linkBase(req, s.settings, t.slug), t.name, actor);
                        t = *s.tenancy.tenant(tx, t.id);
                    });
                    Poco::JSON::Object out = repr::tenant(t, s.settings.platformDomain);
                    out.set("admin", adminOf(created));
                    out.set("url", linkBase(req, s.settings, t.slug));
                    http::sendJson(res, 201, out);
                },
                kPlatform, kJsonLimit});

    routes.add({"GET", "/api/v1/tenants",
                [&s](http::Request& req, http::Response& res) {
                    const Principal& p = requireStaff(req, s);
                    const http::Page page = http::pageOf(req);
                    std::string reseller = p.role == "reseller_admin" ? p.resellerId : req.query("reseller_id");
                    const std::string q = req.query("q");
                    if (q.size() > 100) throw Problem::invalidField("q", "at most 100 characters");
                    auto list = s.tenancy.tenants(reseller, q, page.after, page.limit + 1);
                    std::string next;
                    if (list.size() > static_cast<std::size_t>(page.limit)) {
                        list.resize(static_cast<std::size_t>(page.limit));
                        next = list.back().slug;
                    }
                    Poco::JSON::Array items;
                    for (const auto& t : list) items.add(repr::tenant(t, s.settings.platformDomain));
                    http::sendPage(res, items, next);
                },
                kPlatform});

    routes.add({"GET", "/api/v1/tenants/{id}",
                [&s, &life](http::Request& req, http::Response& res) {
                    const Principal& p = requireStaff(req, s);
                    if (auto t = s.tenancy.tenant(req.param("id"))) {
                        if (p.role == "reseller_admin" && t->resellerId != p.resellerId)
                            throw Problem::notFound("No such organisation.");
                        http::sendJson(res, 200, repr::tenant(*t, s.settings.platformDomain));
                        return;
                    }
                    // A purged tenant lives on in its deletion certificate only.
                    auto cert = life.certificateOfTenant(req.param("id"));
                    if (!cert) throw Problem::notFound("No such organisation.");
                    auto doc = Poco::JSON::Parser().parse(cert->document).extract<Poco::JSON::Object::Ptr>();
                    auto tenant = doc->getObject("tenant");
                    auto reseller = doc->getObject("reseller");
                    if (p.role == "reseller_admin" && reseller->getValue<std::string>("id") != p.resellerId)
                        throw Problem::notFound("No such organisation.");
                    Poco::JSON::Object out;
                    out.set("id", tenant->getValue<std::string>("id"));
                    out.set("slug", tenant->getValue<std::string>("slug"));
                    out.set("name", tenant->getValue<std::string>("name"));
                    out.set("state", "purged");
                    out.set("reseller_id", reseller->getValue<std::string>("id"));
                    out.set("purged_at", formatRfc3339(cert->createdAtMs));
                    out.set("deletion_certificate_id", cert->id);
                    http::sendJson(res, 200, out);
                },
                kPlatform});

    routes.add({"PATCH", "/api/v1/tenants/{id}",
                [&s, &prov](http::Request& req, http::Response& res) {
                    Tenant t = visibleTenant(req, s, req.param("id"));
                    auto body = http::readJsonObject(req, kJsonLimit);
                    if (t.state == "terminated") throw Problem(409, "invalid_state", "A terminated organisation cannot change.");
                    s.db.transaction([&](db::Connection& tx) {
                        t = s.tenancy.existingTenant(tx, t.id);
                        prov.updateTenant(tx, t, *body, Actor::of(req));
                    });
                    s.directory.invalidate();
                    http::sendJson(res, 200, repr::tenant(visibleTenant(req, s, t.id), s.settings.platformDomain));
                },
                kPlatform, kJsonLimit});

    routes.add({"POST", "/api/v1/tenants/{id}/suspend",
                [&s, &life](http::Request& req, http::Response& res) {
                    visibleTenant(req, s, req.param("id"));
                    const std::string reason = routes::reasonOf(req);
                    http::sendJson(res, 200, repr::tenant(life.suspendTenant(req.param("id"), reason, Actor::of(req)),
                                                          s.settings.platformDomain));
                },
                kPlatform, kJsonLimit});

    routes.add({"POST", "/api/v1/tenants/{id}/resume",
                [&s, &life](http::Request& req, http::Response& res) {
                    visibleTenant(req, s, req.param("id"));
                    http::sendJson(res, 200,
                                   repr::tenant(life.resumeTenant(req.param("id"), Actor::of(req)), s.settings.platformDomain));
                },
                kPlatform});

    routes.add({"POST", "/api/v1/tenants/{id}/activate",
                [&s, &life](http::Request& req, http::Response& res) {
                    visibleTenant(req, s, req.param("id"));
                    http::sendJson(res, 200, repr::tenant(life.activateTenant(req.param("id"), Actor::of(req)),
                                                          s.settings.platformDomain));
                },
                kPlatform});

    routes.add({"POST", "/api/v1/tenants/{id}/terminate",
                [&s, &life](http::Request& req, http::Response& res) {
                    visibleTenant(req, s, req.param("id"));
                    http::sendJson(res, 200, repr::tenant(life.terminateTenant(req.param("id"), Actor::of(req)),
                                                          s.settings.platformDomain));
                },
                kPlatform});

    routes.add({"POST", "/api/v1/tenants/{id}/purge",
                [&s, &life](http::Request& req, http::Response& res) {
                    requireOperator(req);
                    visibleTenant(req, s, req.param("id"));
                    auto cert = life.purge(req.param("id"), Actor::of(req));
                    http::sendJson(res, 200, certificateJson(cert, life.certificateKey()));
                },
                kPlatform});

    routes.add({"GET", "/api/v1/tenants/{id}/usage",
                [&s](http::Request& req, http::Response& res) {
                    http::sendJson(res, 200, routes::usageOf(s, visibleTenant(req, s, req.param("id"))));
                },
                kPlatform});

    routes.add({"GET", "/api/v1/tenants/{id}/deletion-certificate",
                [&s, &life](http::Request& req, http::Response& res) {
                    const Principal& p = requireStaff(req, s);
                    auto cert = life.certificateOfTenant(req.param("id"));
                    if (!cert) throw Problem::notFound("No deletion certificate for this organisation.");
                    auto doc = Poco::JSON::Parser().parse(cert->document).extract<Poco::JSON::Object::Ptr>();
                    if (p.role == "reseller_admin" &&
                        doc->getObject("reseller")->getValue<std::string>("id") != p.resellerId)
                        throw Problem::notFound("No deletion certificate for this organisation.");
                    http::sendJson(res, 200, certificateJson(*cert, life.certificateKey()));
                },
                kPlatform});

    routes.add({"GET", "/api/v1/deletion-certificates/public-key",
                [&life](http::Request&, http::Response& res) {
                    Poco::JSON::Object out;
                    out.set("algorithm", "Ed25519");
                    out.set("public_key", life.certificateKey());
                    out.set("encoding", "hex");
                    http::sendJson(res, 200, out);
                },
                kPlatform});

    // --- Platform journal --------------------------------------------------------------------
    routes.add({"GET", "/api/v1/platform/journal",
                [&s](http::Request& req, http::Response& res) {
                    requireOperator(req);
                    routes::serveJournal(req, res, s.journal, "");
                },
                kPlatform});
    routes.add({"GET", "/api/v1/platform/journal/verify",
                [&s](http::Request& req, http::Response& res) {
                    requireOperator(req);
                    routes::serveJournalCheck(res, s.journal, "");
                },
                kPlatform});

    // --- The service's own site: trials and quotes -------------------------------------------
    routes.add({"POST", "/api/v1/signup",
                [self](http::Request& req, http::Response& res) {
                    auto body = http::readJsonObject(req, kJsonLimit);
                    self->requestTrial(req, *body);
                    Poco::JSON::Object out;
                    out.set("status", "confirmation_sent");
                    http::sendJson(res, 202, out);
                },
                kPlatform, kJsonLimit});

    routes.add({"POST", "/api/v1/signup/confirm",
                [&s, self](http::Request& req, http::Response& res) {
                    auto body = http::readJsonObject(req, kJsonLimit);
                    Tenant t = self->confirmTrial(req, field::text(*body, "token", 200));
                    Poco::JSON::Object out = repr::tenant(t, s.settings.platformDomain);
                    out.set("url", linkBase(req, s.settings, t.slug));
                    http::sendJson(res, 201, out);
                },
                kPlatform, kJsonLimit});

    routes.add({"POST", "/api/v1/quote-requests",
                [self](http::Request& req, http::Response& res) {
                    auto body = http::readJsonObject(req, kJsonLimit);
                    Poco::JSON::Object out;
                    out.set("id", self->requestQuote(req, *body));
                    http::sendJson(res, 201, out);
                },
                kPlatform, kJsonLimit});

    routes.add({"GET", "/api/v1/quote-requests",
                [self](http::Request& req, http::Response& res) {
                    requireOperator(req);
                    const http::Page page = http::pageOf(req);
                    auto list = self->quotes(page.after, page.limit + 1);
                    std::string next;
                    if (list.size() > static_cast<std::size_t>(page.limit)) {
                        list.resize(static_cast<std::size_t>(page.limit));
                        next = std::to_string(list.back().createdAtMs) + "|" + list.back().id;
                    }
                    Poco::JSON::Array items;
                    for (const auto& q : list) {
                        Poco::JSON::Object o;
                        o.set("id", q.id);
                        o.set("company", q.company);
                        o.set("contact_name", q.contactName);
                        o.set("email", q.email);
                        o.set("phone", q.phone);
                        o.set("users", q.users ? Poco::Dynamic::Var(q.users) : Poco::Dynamic::Var());
                        o.set("storage_gb", q.storageGb ? Poco::Dynamic::Var(q.storageGb) : Poco::Dynamic::Var());
                        o.set("plan", q.plan.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(q.plan));
                        o.set("message", q.message);
                        o.set("ip", q.ip);
                        o.set("created_at", formatRfc3339(q.createdAtMs));
                        items.add(o);
                    }
                    http::sendPage(res, items, next);
                },
                kPlatform});
}

}  // namespace relais

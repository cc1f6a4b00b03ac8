#include "tenancy/routes/AdminRoutes.h"

#include <algorithm>
#include <streambuf>

#include "auth/LoginService.h"
#include "relais/Database.h"
#include "relais/Journal.h"
#include "relais/Problem.h"
#include "relais/Random.h"
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
#include "tenancy/IpRange.h"
#include "tenancy/Links.h"
#include "tenancy/PlanCatalog.h"
#include "tenancy/Provisioning.h"
#include "tenancy/Representations.h"
#include "tenancy/TenancySubsystem.h"
#include "tenancy/TenantExport.h"
#include "tenancy/UserImport.h"
#include "tenancy/Validation.h"
#include "tenancy/routes/JournalRoutes.h"
#include "tenancy/routes/RouteSupport.h"

namespace relais {

namespace {

constexpr std::int64_t kJsonLimit = 64 * 1024;
const std::set<std::string> kFeatures = {"send", "upload_requests", "storage", "share_internal", "share_external"};

const Principal& requireAdmin(const http::Request& req) { return http::requireRole(req, {"tenant_admin"}); }

// The host's tenant as stored now (it may have gone since the request was resolved).
Tenant hostTenant(TenancyServices& s, const http::Request& req) {
    auto t = s.tenancy.tenant(req.tenant()->id);
    if (!t) throw Problem::notFound("No such organisation.");
    return *t;
}

// The tenant of the host, with its admin's body checked against it.
Poco::JSON::Object::Ptr adminBody(http::Request& req) {
    auto body = http::readJsonObject(req, kJsonLimit);
    routes::checkTenantOfBody(*body, req);
    return body;
}

std::vector<std::string> stringList(const Poco::JSON::Object& body, const std::string& name, std::size_t maxItems,
                                    std::size_t maxLength) {
    auto array = body.getArray(name);
    if (!array) throw Problem::invalidField(name, "a list of strings is expected");
    if (array->size() > maxItems) throw Problem::invalidField(name, "at most " + std::to_string(maxItems) + " items");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto v = array->get(static_cast<unsigned>(i));
        if (!v.isString() || v.extract<std::string>().size() > maxLength)
            throw Problem::invalidField(name + "[" + std::to_string(i) + "]", "a string is expected");
        out.push_back(v.extract<std::string>());
    }
    return out;
}

// Applies a profile body; every field is checked before anything is kept.
void applyProfile(Profile& p, const Poco::JSON::Object& body, bool creating) {
    if (creating || field::has(body, "name")) p.name = field::text(body, "name", 100);
    if (field::has(body, "features")) {
        p.features = stringList(body, "features", 20, 64);
        for (std::size_t i = 0; i < p.features.size(); ++i)
            if (!kFeatures.count(p.features[i]))
                throw Problem::invalidField("features[" + std::to_string(i) + "]",
                                            "unknown feature '" + p.features[i] +
                                                "'; known: send, upload_requests, storage, share_internal, share_external");
    }
    if (field::has(body, "allowed_ips")) {
        std::vector<std::string> ranges;
        const auto raw = stringList(body, "allowed_ips", 100, 64);
        for (std::size_t i = 0; i < raw.size(); ++i) {
            auto range = IpRange::parse(raw[i]);
            if (!range)
                throw Problem::invalidField("allowed_ips[" + std::to_string(i) + "]",
                                            "'" + raw[i] + "' is not an IPv4 or IPv6 address or CIDR range");
            ranges.push_back(range->text());
        }
        p.allowedIps = ranges;
    }
    if (field::has(body, "require_totp")) p.requireTotp = field::boolean(body, "require_totp");
}

// An output stream onto a response body, in blocks.
class ResponseBuffer : public std::streambuf {
public:
    explicit ResponseBuffer(http::Response& res) : res_(res), buffer_(256 * 1024) {
        setp(buffer_.data(), buffer_.data() + buffer_.size());
    }
    int sync() override {
        const auto n = static_cast<std::size_t>(pptr() - pbase());
        if (n) res_.write(pbase(), n);
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return 0;
    }

protected:
    int_type overflow(int_type c) override {
        sync();
        if (c != traits_type::eof()) {
            *pptr() = static_cast<char>(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (n >= static_cast<std::streamsize>(buffer_.size())) {
            sync();
            res_.write(s, static_cast<std::size_t>(n));
            return n;
        }
        return std::streambuf::xsputn(s, n);
    }

private:
    http::Response& res_;
    std::vector<char> buffer_;
};

}  // namespace

void AdminRoutes::registerWith(http::RouteRegistry& routes) {
    TenancyServices& s = t_.services();
    Provisioning& prov = t_.provisioning();
    TenancySubsystem& sub = t_;

    // --- Users -------------------------------------------------------------------------------
    routes.add({"GET", "/api/v1/admin/users",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    const http::Page page = http::pageOf(req);
                    const std::string q = req.query("q");
                    if (q.size() > 100) throw Problem::invalidField("q", "at most 100 characters");
                    auto list = s.users.list(req.tenant()->id, q, page.after, page.limit + 1);
                    std::string next;
                    if (list.size() > static_cast<std::size_t>(page.limit)) {
                        list.resize(static_cast<std::size_t>(page.limit));
                        next = list.back().email;
                    }
                    Poco::JSON::Array items;
                    for (const auto& u : list) items.add(repr::user(u));
                    http::sendPage(res, items, next);
                }});

    routes.add({"POST", "/api/v1/admin/users",
                [&s, &prov](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    auto body = adminBody(req);
                    const TenantContext& t = *req.tenant();
                    NewUser spec;
                    spec.email = field::email(*body, "email");
                    spec.name = field::text(*body, "name", 200);
                    spec.role = field::has(*body, "role") ? field::text(*body, "role", 32) : "user";
                    spec.password = body->has("password") && body->get("password").isString()
                                        ? body->getValue<std::string>("password")
                                        : "";
                    if (spec.password.size() > 1024) throw Problem::invalidField("password", "at most 1024 bytes");
                    spec.profileId = field::optionalText(*body, "profile_id", 64);
                    spec.language = field::optionalText(*body, "language", 2);
                    CreatedUser created;
                    s.db.transaction([&](db::Connection& tx) {
                        created = prov.createUser(tx, t.id, "", spec, linkBase(req, s.settings, t.slug), t.name,
                                                  Actor::of(req));
                    });
                    Poco::JSON::Object out = repr::user(created.user);
                    if (!created.generatedPassword.empty()) out.set("password", created.generatedPassword);
                    http::sendJson(res, 201, out);
                },
                http::Scope::Tenant, kJsonLimit});

    routes.add({"POST", "/api/v1/admin/users/import",
                [&s, &prov](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    if (req.mediaType() != "text/csv") throw Problem::unsupportedMediaType("text/csv");
                    const std::string csv = req.readAll(static_cast<std::size_t>(s.settings.importMaxBytes));
                    const TenantContext& t = *req.tenant();
                    UserImport import(s, prov);
                    ImportReport r = import.run(t.id, csv, linkBase(req, s.settings, t.slug), t.name, Actor::of(req));
                    Poco::JSON::Object out;
                    out.set("created", r.created);
                    out.set("updated", r.updated);
                    out.set("skipped", r.skipped);
                    Poco::JSON::Array errors;
                    for (const auto& e : r.errors) {
                        Poco::JSON::Object o;
                        o.set("line", e.line);
                        o.set("message", e.message);
                        o.set("code", e.code);
                        if (!e.value.empty()) o.set("value", e.value);
                        errors.add(o);
                    }
                    out.set("errors", errors);
                    s.directory.invalidate();
                    http::sendJson(res, 200, out);
                },
                http::Scope::Tenant, 64LL * 1024 * 1024});

    routes.add({"GET", "/api/v1/admin/users/{id}",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    auto u = s.users.byId(req.tenant()->id, req.param("id"));
                    if (!u) throw Problem::notFound("No such user.");
                    http::sendJson(res, 200, repr::user(*u));
                }});

    routes.add({"PATCH", "/api/v1/admin/users/{id}",
                [&s, &prov](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    auto body = adminBody(req);
                    User u;
                    s.db.transaction([&](db::Connection& tx) {
                        u = prov.updateUser(tx, req.tenant()->id, req.param("id"), *body, Actor::of(req));
                    });
                    s.directory.invalidate();
                    http::sendJson(res, 200, repr::user(u));
                },
                http::Scope::Tenant, kJsonLimit});

    routes.add({"DELETE", "/api/v1/admin/users/{id}",
                [&s, &prov](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    s.db.transaction(
                        [&](db::Connection& tx) { prov.removeUser(tx, req.tenant()->id, req.param("id"), Actor::of(req)); });
                    s.directory.invalidate();
                    res.sendEmpty(204);
                }});

    routes.add({"POST", "/api/v1/admin/users/{id}/invitation",
                [&s, &sub](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    const TenantContext& t = *req.tenant();
                    auto u = s.users.byId(t.id, req.param("id"));
                    if (!u) throw Problem::notFound("No such user.");
                    if (u->state != "invited")
                        throw Problem(409, "invalid_state", "Only a user who has not chosen a password yet is invited.");
                    s.db.transaction([&](db::Connection& tx) {
                        s.users.revokeLinks(tx, u->id);
                        sub.logins().sendLink(tx, *u, "invitation", linkBase(req, s.settings, t.slug), t.name);
                        journalAs(s.journal, tx, t.id, Actor::of(req), "user.invited", "user", u->id);
                    });
                    res.sendEmpty(204);
                }});

    routes.add({"POST", "/api/v1/admin/users/{id}/totp/reset",
                [&sub](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    sub.logins().resetTotp(req, req.tenant()->id, req.param("id"));
                    res.sendEmpty(204);
                }});

    // --- Profiles ----------------------------------------------------------------------------
    routes.add({"GET", "/api/v1/admin/profiles",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    Poco::JSON::Array items;
                    for (const auto& p : s.users.profiles(req.tenant()->id)) items.add(repr::profile(p));
                    http::sendPage(res, items, "");
                }});

    routes.add({"POST", "/api/v1/admin/profiles",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    auto body = adminBody(req);
                    Profile p;
                    p.id = randomId("pf");
                    p.tenantId = req.tenant()->id;
                    applyProfile(p, *body, true);
                    p.createdAtMs = p.updatedAtMs = nowMs();
                    s.db.transaction([&](db::Connection& tx) {
                        if (s.users.profileByName(p.tenantId, p.name))
                            throw Problem(409, "name_taken", "A profile of that name exists.", {{"name", "already taken"}});
                        s.users.insertProfile(tx, p);
                        journalAs(s.journal, tx, p.tenantId, Actor::of(req), "profile.created", "profile", p.id,
                                  http::toJson(repr::profile(p)));
                    });
                    http::sendJson(res, 201, repr::profile(p));
                },
                http::Scope::Tenant, kJsonLimit});

    routes.add({"GET", "/api/v1/admin/profiles/{id}",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    auto p = s.users.profile(req.tenant()->id, req.param("id"));
                    if (!p) throw Problem::notFound("No such profile.");
                    http::sendJson(res, 200, repr::profile(*p));
                }});

    routes.add({"PATCH", "/api/v1/admin/profiles/{id}",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    auto body = adminBody(req);
                    auto found = s.users.profile(req.tenant()->id, req.param("id"));
                    if (!found) throw Problem::notFound("No such profile.");
                    Profile p = *found;
                    applyProfile(p, *body, false);
                    s.db.transaction([&](db::Connection& tx) {
                        auto other = s.users.profileByName(p.tenantId, p.name);
                        if (other && other->id != p.id)
                            throw Problem(409, "name_taken", "A profile of that name exists.", {{"name", "already taken"}});
                        s.users.updateProfile(tx, p);
                        s.tenancy.bumpEpoch(tx);
                        journalAs(s.journal, tx, p.tenantId, Actor::of(req), "profile.updated", "profile", p.id,
                                  http::toJson(repr::profile(p)));
                    });
                    s.directory.invalidate();
                    http::sendJson(res, 200, repr::profile(*s.users.profile(p.tenantId, p.id)));
                },
                http::Scope::Tenant, kJsonLimit});

    routes.add({"DELETE", "/api/v1/admin/profiles/{id}",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    const std::string& tenantId = req.tenant()->id;
                    s.db.transaction([&](db::Connection& tx) {
                        if (!s.users.profile(tenantId, req.param("id"))) throw Problem::notFound("No such profile.");
                        // Dropping a profile would lift its users' restrictions: move them first.
                        if (s.users.countWithProfile(tx, tenantId, req.param("id")) > 0)
                            throw Problem(409, "profile_in_use", "Users hold this profile; give them another one first.");
                        s.users.removeProfile(tx, tenantId, req.param("id"));
                        s.tenancy.bumpEpoch(tx);
                        journalAs(s.journal, tx, tenantId, Actor::of(req), "profile.deleted", "profile", req.param("id"));
                    });
                    s.directory.invalidate();
                    res.sendEmpty(204);
                }});

    // --- Modules -----------------------------------------------------------------------------
    routes.add({"GET", "/api/v1/admin/modules",
                [&s, &sub](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    const Tenant t = hostTenant(s, req);
                    const Plan* plan = s.plans.find(t.planId);
                    std::set<std::string> names;
                    // What is installed, and what some plan offers (an upgrade would allow it).
                    for (const auto& [name, version] : sub.modules()) names.insert(name);
                    for (const auto& name : s.plans.modules()) names.insert(name);
                    Poco::JSON::Array items;
                    for (const auto& name : names) {
                        Poco::JSON::Object o;
                        auto loaded = sub.modules().find(name);
                        auto enabled = t.modules.find(name);
                        o.set("name", name);
                        o.set("version", loaded == sub.modules().end() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(loaded->second));
                        o.set("installed", loaded != sub.modules().end());
                        o.set("allowed", plan && plan->allows(name));
                        o.set("enabled", enabled != t.modules.end() && enabled->second);
                        o.set("active", req.tenant()->hasModule(name));
                        items.add(o);
                    }
                    http::sendJson(res, 200, items);
                }});

    routes.add({"PUT", "/api/v1/admin/modules/{name}",
                [&s, &sub](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    auto body = adminBody(req);
                    if (!field::has(*body, "enabled")) throw Problem::invalidField("enabled", "true or false");
                    const bool enabled = field::boolean(*body, "enabled");
                    const std::string& name = req.param("name");
                    const Tenant t = hostTenant(s, req);
                    const Plan* plan = s.plans.find(t.planId);
                    const bool known = sub.modules().count(name) || s.plans.offers(name);
                    if (!known) throw Problem::notFound("No module of that name.");
                    if (enabled && !(plan && plan->allows(name)))
                        throw Problem(403, "module_not_in_plan",
                                      "The plan '" + t.planId + "' does not include the module '" + name + "'.");
                    auto current = t.modules.find(name);
                    if (current == t.modules.end() || current->second != enabled) {
                        s.db.transaction([&](db::Connection& tx) {
                            s.tenancy.setModule(tx, t.id, name, enabled);
                            journalAs(s.journal, tx, t.id, Actor::of(req), enabled ? "module.enabled" : "module.disabled",
                                      "module", name);
                        });
                        s.directory.invalidate();
                    }
                    Poco::JSON::Object out;
                    out.set("name", name);
                    out.set("enabled", enabled);
                    out.set("allowed", plan && plan->allows(name));
                    http::sendJson(res, 200, out);
                },
                http::Scope::Tenant, kJsonLimit});

    // --- Journal -----------------------------------------------------------------------------
    routes.add({"GET", "/api/v1/admin/journal",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    routes::serveJournal(req, res, s.journal, req.tenant()->id);
                }});
    routes.add({"GET", "/api/v1/admin/journal/verify",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    routes::serveJournalCheck(res, s.journal, req.tenant()->id);
                }});

    // --- Settings, usage, export -------------------------------------------------------------
    routes.add({"GET", "/api/v1/admin/settings",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    http::sendJson(res, 200, repr::tenant(hostTenant(s, req), s.settings.platformDomain));
                }});

    routes.add({"PATCH", "/api/v1/admin/settings",
                [&s, &prov](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    auto body = adminBody(req);
                    // What the reseller sets (plan, slug, hostnames, legal identity) stays theirs.
                    for (const char* reserved : {"plan", "slug", "hostnames", "siren", "name", "reseller_id", "state"})
                        if (body->has(reserved))
                            throw Problem::invalidField(reserved, "set by your reseller; ask them to change it");
                    Tenant t;
                    s.db.transaction([&](db::Connection& tx) {
                        t = s.tenancy.existingTenant(tx, req.tenant()->id);
                        prov.updateTenant(tx, t, *body, Actor::of(req));
                    });
                    s.directory.invalidate();
                    http::sendJson(res, 200, repr::tenant(hostTenant(s, req), s.settings.platformDomain));
                },
                http::Scope::Tenant, kJsonLimit});

    routes.add({"GET", "/api/v1/admin/usage",
                [&s](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    http::sendJson(res, 200, routes::usageOf(s, hostTenant(s, req)));
                }});

    routes.add({"GET", "/api/v1/admin/export",
                [&s, &sub](http::Request& req, http::Response& res) {
                    requireAdmin(req);
                    const Tenant t = hostTenant(s, req);
                    s.journal.append(auditEntry(req, "tenant.exported", "tenant", t.id));
                    res.setHeader("Content-Type", "application/zip");
                    res.setHeader("Content-Disposition",
                                  "attachment; filename=\"relais-export-" + t.slug + "-" +
                                      formatRfc3339(nowMs()).substr(0, 10) + ".zip\"");
                    res.setHeader("Cache-Control", "no-store");
                    res.setStatus(200);
                    res.beginBody(-1);
                    ResponseBuffer buffer(res);
                    std::ostream out(&buffer);
                    sub.exports().write(t, out);
                    out.flush();
                }});
}

}  // namespace relais

#include "tenancy/Provisioning.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "auth/LoginService.h"
#include "auth/Passwords.h"
#include "auth/SessionStore.h"
#include "relais/Database.h"
#include "relais/Journal.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "storage/EncryptedFileStore.h"
#include "tenancy/Directory.h"
#include "tenancy/Links.h"
#include "tenancy/PlanCatalog.h"
#include "tenancy/Validation.h"

namespace relais {

namespace {

std::string generatedPassword(const std::string& email) {
    for (;;) {
        std::string p = randomToken(16);  // 22 characters, 128 bits
        if (passwordWeakness(p, email).empty()) return p;
    }
}

const Plan& planOrProblem(const PlanCatalog& plans, const std::string& id) {
    const Plan* plan = plans.find(id);
    if (!plan) throw Problem::invalidField("plan", "unknown plan '" + id + "'; GET /api/v1/plans lists them");
    return *plan;
}

std::vector<std::string> stringArray(const Poco::JSON::Object& body, const std::string& name, std::size_t maxItems) {
    std::vector<std::string> out;
    if (!field::has(body, name)) return out;
    auto array = body.getArray(name);
    if (!array) throw Problem::invalidField(name, "a list of strings is expected");
    if (array->size() > maxItems) throw Problem::invalidField(name, "at most " + std::to_string(maxItems) + " items");
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto v = array->get(static_cast<unsigned>(i));
        if (!v.isString()) throw Problem::invalidField(name, "a list of strings is expected");
        out.push_back(v.extract<std::string>());
    }
    return out;
}

}  // namespace

CreatedUser Provisioning::createOperator(const std::string& email, const std::string& name, const std::string& password) {
    CreatedUser created;
    s_.db.transaction([&](db::Connection& tx) {
        created = createUser(tx, "", "", NewUser{email, name, "operator", password, "", "fr", ""}, s_.settings.defaultBase,
                             "Relais", Actor{"operator", "cli", "", "", ""});
    });
    return created;
}

Reseller Provisioning::createReseller(db::Connection& tx, const std::string& name, const std::string& contactEmail,
                                      const Actor& actor) {
    if (name.empty() || characterCount(name) > 200) throw Problem::invalidField("name", "1 to 200 characters");
    const std::string email = normaliseEmail(contactEmail);
    if (email.empty()) throw Problem::invalidField("contact_email", "not a valid e-mail address");
    if (!tx.query("SELECT id FROM resellers WHERE name = ?", {name}).empty())
        throw Problem(409, "name_taken", "A reseller of that name exists.", {{"name", "already taken"}});
    Reseller r;
    r.id = randomId("rs");
    r.name = name;
    r.contactEmail = email;
    r.createdAtMs = r.updatedAtMs = nowMs();
    s_.tenancy.insertReseller(tx, r);
    journal(tx, "", actor, "reseller.created", "reseller", r.id, "{\"name\":" + http::toJson(name) + "}");
    return r;
}

CreatedUser Provisioning::createUser(db::Connection& tx, const std::string& tenantId, const std::string& resellerId,
                                     const NewUser& spec, const std::string& base, const std::string& organisation,
                                     const Actor& actor) {
    const std::string email = normaliseEmail(spec.email);
    if (email.empty()) throw Problem::invalidField("email", "not a valid e-mail address");
    if (spec.name.empty() || characterCount(spec.name) > 200) throw Problem::invalidField("name", "1 to 200 characters");
    const bool platform = tenantId.empty();
    const std::set<std::string> roles = platform ? std::set<std::string>{"operator", "reseller_admin"}
                                                 : std::set<std::string>{"tenant_admin", "user"};
    if (!roles.count(spec.role)) throw Problem::invalidField("role", platform ? "operator or reseller_admin" : "user or tenant_admin");
    const std::string scope = UserStore::scopeOf(tenantId);
    if (s_.users.byEmail(tx, scope, email))
        throw Problem(409, "email_taken", "An account with this e-mail address exists here.", {{"email", "already used"}});
    if (!platform) {
        auto tenant = s_.tenancy.tenant(tx, tenantId);
        const Plan* plan = tenant ? s_.plans.find(tenant->planId) : nullptr;
        if (plan && s_.users.countLicensed(tx, tenantId) >= plan->licences)
            throw Problem(409, "licence_limit",
                          "All " + std::to_string(plan->licences) + " licences of the plan are in use.");
        if (!spec.profileId.empty() &&
            tx.query("SELECT id FROM profiles WHERE id = ? AND tenant_id = ?", {spec.profileId, tenantId}).empty())
            throw Problem::invalidField("profile_id", "no such profile");
    }
    CreatedUser created;
    User& u = created.user;
    u.id = randomId("us");
    u.scope = scope;
    u.tenantId = tenantId;
    u.resellerId = resellerId;
    u.email = email;
    u.name = spec.name;
    u.role = spec.role;
    u.profileId = spec.profileId;
    u.language = spec.language.empty() ? "fr" : spec.language;
    u.createdAtMs = u.updatedAtMs = nowMs();
    std::string password = spec.password;
    if (password == "generate") {
        password = generatedPassword(email);
        created.generatedPassword = password;
    }
    if (!spec.passwordHash.empty()) {
        u.passwordHash = spec.passwordHash;
        u.passwordChangedAtMs = u.createdAtMs;
    } else if (password.empty()) {
        u.state = "invited";
    } else {
        LoginService::checkPassword(password, email, "password");
        u.passwordHash = PasswordHasher::hash(password);
        u.passwordChangedAtMs = u.createdAtMs;
    }
    s_.users.insert(tx, u);
    if (u.state == "invited") logins_.sendLink(tx, u, "invitation", base, organisation);
    Poco::JSON::Object details;
    details.set("email", email);
    details.set("role", u.role);
    journal(tx, tenantId, actor, "user.created", "user", u.id, http::toJson(details));
    return created;
}

void Provisioning::checkHostnames(db::Connection& tx, const std::vector<std::string>& hostnames, const std::string& tenantId) {
    std::set<std::string> seen;
    const std::string suffix = "." + s_.settings.platformDomain;
    for (const auto& h : hostnames) {
        if (!isValidHostname(h)) throw Problem::invalidField("hostnames", "'" + h + "' is not a host name");
        if (h == s_.settings.platformDomain ||
            (h.size() > suffix.size() && h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0))
            throw Problem::invalidField("hostnames", "'" + h + "' is under the platform's own domain");
        if (!seen.insert(h).second) throw Problem::invalidField("hostnames", "'" + h + "' is listed twice");
        auto owner = tx.query("SELECT tenant_id FROM tenant_hostnames WHERE hostname = ?", {h});
        if (!owner.empty() && owner[0].getString("tenant_id") != tenantId)
            throw Problem(409, "hostname_taken", "'" + h + "' belongs to another organisation.", {{"hostnames", h}});
    }
}

Tenant Provisioning::createTenant(db::Connection& tx, const Poco::JSON::Object& body, const std::string& resellerId,
                                  const std::string& state, const Actor& actor) {
    Tenant t;
    t.slug = field::text(body, "slug", 40);
    if (const std::string why = slugProblem(t.slug); !why.empty()) throw Problem::invalidField("slug", why);
    if (!tx.query("SELECT id FROM tenants WHERE slug = ?", {t.slug}).empty())
        throw Problem(409, "slug_taken", "The slug '" + t.slug + "' is taken.", {{"slug", "already taken"}});
    t.id = randomId("tn");
    t.resellerId = resellerId;
    t.name = field::text(body, "name", 200);
    t.planId = field::text(body, "plan", 64);
    const Plan& plan = planOrProblem(s_.plans, t.planId);
    t.state = state;
    t.createdAtMs = t.updatedAtMs = nowMs();
    t.language = "fr";
    if (state == "trial") t.trialEndsAtMs = t.createdAtMs + std::int64_t{s_.settings.trialDays} * 24 * 3600 * 1000;
    s_.tenancy.insertTenant(tx, t);
    updateTenant(tx, t, body, actor);  // the optional fields, with their checks
    for (const auto& module : plan.modules) s_.tenancy.setModule(tx, t.id, module, true);
    s_.files.quota().setQuota(tx, t.id, plan.storageBytes);
    Poco::JSON::Object details;
    details.set("slug", t.slug);
    details.set("plan", t.planId);
    details.set("state", state);
    journal(tx, "", actor, "tenant.created", "tenant", t.id, http::toJson(details));
    journal(tx, t.id, actor, "tenant.created", "tenant", t.id, http::toJson(details));
    return t;
}

bool Provisioning::updateTenant(db::Connection& tx, Tenant& t, const Poco::JSON::Object& body, const Actor& actor) {
    Poco::JSON::Object changed;
    auto set = [&](std::string& fieldValue, const std::string& value, const std::string& name) {
        if (fieldValue == value) return;
        fieldValue = value;
        changed.set(name, value);
    };
    if (field::has(body, "tenant_id") && body.get("tenant_id").toString() != t.id)
        throw Problem(400, "tenant_mismatch", "The body names another organisation than the one addressed.",
                      {{"tenant_id", "does not match"}});
    if (field::has(body, "name")) set(t.name, field::text(body, "name", 200), "name");
    if (field::has(body, "plan")) {
        const std::string planId = field::text(body, "plan", 64);
        const Plan& plan = planOrProblem(s_.plans, planId);
        if (planId != t.planId) {
            const std::int64_t users = s_.users.countLicensed(tx, t.id);
            if (users > plan.licences)
                throw Problem(409, "plan_too_small",
                              "The organisation has " + std::to_string(users) + " users; plan '" + planId + "' has " +
                                  std::to_string(plan.licences) + " licences.");
            const std::int64_t used = tx.query("SELECT COALESCE(SUM(size), 0) AS s FROM storage_files WHERE tenant_id = ?",
                                               {t.id})[0].getInt("s");
            if (used > plan.storageBytes)
                throw Problem(409, "plan_too_small", "The organisation stores more than plan '" + planId + "' allows.");
            set(t.planId, planId, "plan");
            s_.files.quota().setQuota(tx, t.id, plan.storageBytes);
            for (const auto& module : plan.modules)
                if (!t.modules.count(module)) {
                    s_.tenancy.setModule(tx, t.id, module, true);
                    t.modules[module] = true;
                }
        }
    }
    if (field::has(body, "siren")) {
        const std::string siren = normaliseSiren(field::optionalText(body, "siren", 20));
        if (!siren.empty() && !isValidSiren(siren))
            throw Problem::invalidField("siren", "not a valid SIREN: 9 digits with a correct Luhn key");
        set(t.siren, siren, "siren");
    }
    if (field::has(body, "contact")) {
        auto c = body.getObject("contact");
        if (!c) throw Problem::invalidField("contact", "an object is expected");
        if (field::has(*c, "name")) set(t.contactName, field::optionalText(*c, "name", 200), "contact.name");
        if (field::has(*c, "email")) set(t.contactEmail, field::email(*c, "email"), "contact.email");
        if (field::has(*c, "phone")) set(t.contactPhone, field::optionalText(*c, "phone", 40), "contact.phone");
        if (field::has(*c, "address")) set(t.address, field::optionalText(*c, "address", 500), "contact.address");
    }
    if (field::has(body, "language")) {
        const std::string lang = field::text(body, "language", 2);
        if (lang != "fr" && lang != "en") throw Problem::invalidField("language", "fr or en");
        set(t.language, lang, "language");
    }
    for (const char* name : {"default_expiry_days", "max_expiry_days"}) {
        if (!field::has(body, name)) continue;
        const int value = static_cast<int>(field::integer(body, name, 1, 365));
        int& target = std::string(name) == "default_expiry_days" ? t.defaultExpiryDays : t.maxExpiryDays;
        if (target != value) {
            target = value;
            changed.set(name, value);
        }
    }
    if (t.defaultExpiryDays > t.maxExpiryDays)
        throw Problem::invalidField("default_expiry_days", "cannot exceed max_expiry_days");
    bool hostnamesChanged = false;
    if (field::has(body, "hostnames")) {
        std::vector<std::string> hostnames = stringArray(body, "hostnames", 20);
        for (auto& h : hostnames)
            for (auto& ch : h) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        checkHostnames(tx, hostnames, t.id);
        std::vector<std::string> sorted = hostnames;
        std::sort(sorted.begin(), sorted.end());
        if (sorted != t.hostnames) {
            s_.tenancy.setHostnames(tx, t.id, sorted);
            t.hostnames = sorted;
            hostnamesChanged = true;
        }
    }
    if (changed.size() == 0 && !hostnamesChanged) return false;
    s_.tenancy.updateTenant(tx, t);
    if (hostnamesChanged) {
        Poco::JSON::Array list;
        for (const auto& h : t.hostnames) list.add(h);
        changed.set("hostnames", list);
    }
    journal(tx, t.id, actor, "tenant.updated", "tenant", t.id, http::toJson(changed));
    return true;
}

void Provisioning::applyManifest(const std::string& path, std::ostream& out) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot read the manifest");
    std::stringstream text;
    text << in.rdbuf();
    Poco::JSON::Object::Ptr root;
    try {
        root = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw std::runtime_error(path + ": not valid JSON: " + e.displayText());
    }
    const Actor actor{"system", "manifest", "", "", ""};
    auto resellerSpec = root->getObject("reseller");
    if (!resellerSpec) throw std::runtime_error(path + ": a manifest has a \"reseller\" object");
    std::string done;
    try {
        s_.db.transaction([&](db::Connection& tx) {
            // A retried transaction starts its report again.
            std::ostringstream report;
            const std::string rname = field::text(*resellerSpec, "name", 200);
            const std::string rmail = field::email(*resellerSpec, "contact_email");
            std::string resellerId;
            auto existing = tx.query("SELECT id, contact_email FROM resellers WHERE name = ?", {rname});
            if (existing.empty()) {
                resellerId = createReseller(tx, rname, rmail, actor).id;
                report << "reseller  " << rname << ": created\n";
            } else {
                resellerId = existing[0].getString("id");
                if (existing[0].getString("contact_email") != rmail) {
                    tx.execute("UPDATE resellers SET contact_email = ?, updated_at = ? WHERE id = ?", {rmail, nowMs(), resellerId});
                    journal(tx, "", actor, "reseller.updated", "reseller", resellerId);
                    report << "reseller  " << rname << ": updated\n";
                } else {
                    report << "reseller  " << rname << ": unchanged\n";
                }
            }
            auto users = [&](const Poco::JSON::Array::Ptr& list, const std::string& tenantId, const std::string& base,
                             const std::string& organisation, const std::string& label) {
                for (std::size_t i = 0; list && i < list->size(); ++i) {
                    auto u = list->getObject(static_cast<unsigned>(i));
                    NewUser spec{field::email(*u, "email"), field::text(*u, "name", 200), field::text(*u, "role", 32),
                                 field::optionalText(*u, "password", 256), "", field::optionalText(*u, "language", 2), ""};
                    // A manifest makes reseller admins and tenant users, never operators.
                    if (tenantId.empty() ? spec.role != "reseller_admin"
                                         : spec.role != "user" && spec.role != "tenant_admin")
                        throw Problem::invalidField("role", spec.email + ": " +
                                                                (tenantId.empty() ? "reseller_admin" : "user or tenant_admin"));
                    auto current = s_.users.byEmail(tx, UserStore::scopeOf(tenantId), spec.email);
                    if (!current) {
                        auto created = createUser(tx, tenantId, tenantId.empty() ? resellerId : "", spec, base,
                                                  organisation, actor);
                        report << "user      " << spec.email << " (" << label << "): created";
                        if (!created.generatedPassword.empty()) report << ", password: " << created.generatedPassword;
                        else if (created.user.state == "invited") report << ", invitation mailed";
                        report << "\n";
                    } else if (tenantId.empty() && current->resellerId != resellerId) {
                        throw Problem::invalidField("admins", spec.email + " is an account of another reseller or an operator");
                    } else if (current->name != spec.name || current->role != spec.role) {
                        if (tenantId.empty()) {
                            current->name = spec.name;
                            s_.users.update(tx, *current);
                            journal(tx, tenantId, actor, "user.updated", "user", current->id);
                        } else {
                            Poco::JSON::Object change;
                            change.set("name", spec.name);
                            change.set("role", spec.role);
                            updateUser(tx, tenantId, current->id, change, actor);  // with its guards
                        }
                        report << "user      " << spec.email << " (" << label << "): updated\n";
                    } else {
                        report << "user      " << spec.email << " (" << label << "): unchanged\n";
                    }
                }
            };
            users(resellerSpec->getArray("admins"), "", linkBase(s_.settings, ""), rname, "reseller admin");

            auto tenants = root->getArray("tenants");
            for (std::size_t i = 0; tenants && i < tenants->size(); ++i) {
                auto spec = tenants->getObject(static_cast<unsigned>(i));
                const std::string slug = field::text(*spec, "slug", 40);
                auto row = tx.query("SELECT id FROM tenants WHERE slug = ?", {slug});
                Tenant t;
                if (row.empty()) {
                    t = createTenant(tx, *spec, resellerId, "active", actor);
                    report << "tenant    " << slug << ": created, at " << linkBase(s_.settings, slug) << "\n";
                } else {
                    t = *s_.tenancy.tenant(tx, row[0].getString("id"));
                    if (t.resellerId != resellerId)
                        throw Problem::invalidField("slug", "'" + slug + "' belongs to another reseller");
                    report << "tenant    " << slug << ": " << (updateTenant(tx, t, *spec, actor) ? "updated" : "unchanged")
                           << "\n";
                }
                if (auto modules = spec->getObject("modules")) {
                    const Plan* plan = s_.plans.find(t.planId);
                    for (const auto& [module, value] : *modules) {
                        if (!value.isBoolean()) throw Problem::invalidField("modules." + module, "true or false");
                        const bool enabled = value.extract<bool>();
                        if (!s_.plans.offers(module))
                            throw Problem::invalidField("modules." + module, "no plan offers this module");
                        if (enabled && !(plan && plan->allows(module)))
                            throw Problem(403, "module_not_in_plan",
                                          "The plan '" + t.planId + "' does not include the module '" + module + "'.",
                                          {{"modules." + module, "not in the plan"}});
                        auto it = t.modules.find(module);
                        if (it == t.modules.end() || it->second != enabled) {
                            s_.tenancy.setModule(tx, t.id, module, enabled);
                            journal(tx, t.id, actor, enabled ? "module.enabled" : "module.disabled", "module", module);
                            report << "module    " << slug << "/" << module << ": " << (enabled ? "enabled" : "disabled")
                                   << "\n";
                        }
                    }
                }
                users(spec->getArray("users"), t.id, linkBase(s_.settings, slug), t.name, slug);
            }
            done = report.str();
        });
    } catch (const Problem& p) {
        std::string where;
        for (const auto& e : p.errors()) where += " (" + e.field + ": " + e.message + ")";
        throw std::runtime_error(path + ": " + p.detail() + where);
    }
    out << done;
    s_.directory.invalidate();
}

}  // namespace relais

namespace relais {

User Provisioning::updateUser(db::Connection& tx, const std::string& tenantId, const std::string& userId,
                              const Poco::JSON::Object& body, const Actor& actor) {
    auto found = s_.users.byId(tx, UserStore::scopeOf(tenantId), userId);
    if (!found) throw Problem::notFound("No such user.");
    User u = *found;
    const User before = u;
    Poco::JSON::Object changed;
    if (field::has(body, "email") && field::email(body, "email") != u.email)
        throw Problem::invalidField("email", "an account's e-mail address cannot change; create another account");
    if (field::has(body, "name")) u.name = field::text(body, "name", 200);
    if (field::has(body, "role")) {
        u.role = field::text(body, "role", 32);
        if (u.role != "user" && u.role != "tenant_admin") throw Problem::invalidField("role", "user or tenant_admin");
    }
    if (field::has(body, "state")) {
        const std::string state = field::text(body, "state", 16);
        if (state != "active" && state != "disabled") throw Problem::invalidField("state", "active or disabled");
        if (state == "active" && u.state == "disabled") u.state = u.passwordHash.empty() ? "invited" : "active";
        if (state == "disabled") u.state = "disabled";
    }
    if (body.has("profile_id")) {
        u.profileId = body.isNull("profile_id") ? "" : field::text(body, "profile_id", 64);
        if (!u.profileId.empty() && !s_.users.profile(tenantId, u.profileId))
            throw Problem::invalidField("profile_id", "no such profile");
    }
    if (field::has(body, "language")) {
        u.language = field::text(body, "language", 2);
        if (u.language != "fr" && u.language != "en") throw Problem::invalidField("language", "fr or en");
    }
    const bool wasAdmin = before.role == "tenant_admin" && before.state == "active";
    const bool isAdmin = u.role == "tenant_admin" && u.state == "active";
    if (wasAdmin && !isAdmin) {
        if (u.id == actor.id)
            throw Problem(409, "last_admin", "You cannot remove your own administration rights or disable yourself.");
        if (s_.users.countActiveAdmins(tx, tenantId) <= 1)
            throw Problem(409, "last_admin", "The organisation needs at least one active administrator.");
    }
    if (before.state == "disabled" && u.state != "disabled") {
        auto tenant = s_.tenancy.tenant(tx, tenantId);
        const Plan* plan = tenant ? s_.plans.find(tenant->planId) : nullptr;
        if (plan && s_.users.countLicensed(tx, tenantId) >= plan->licences)
            throw Problem(409, "licence_limit",
                          "All " + std::to_string(plan->licences) + " licences of the plan are in use.");
    }
    if (u.name != before.name) changed.set("name", u.name);
    if (u.role != before.role) changed.set("role", u.role);
    if (u.state != before.state) changed.set("state", u.state);
    if (u.profileId != before.profileId) changed.set("profile_id", u.profileId);
    if (u.language != before.language) changed.set("language", u.language);
    if (changed.size() == 0) return u;
    u.updatedAtMs = nowMs();
    s_.users.update(tx, u);
    if (u.state == "disabled") {
        s_.sessions.removeAllOf(tx, u.id);
        s_.users.revokeLinks(tx, u.id);
    }
    s_.tenancy.bumpEpoch(tx);
    const char* action = u.state == "disabled" && before.state != "disabled" ? "user.disabled"
                         : before.state == "disabled" && u.state != "disabled" ? "user.enabled"
                                                                                : "user.updated";
    journal(tx, tenantId, actor, action, "user", u.id, http::toJson(changed));
    return u;
}

void Provisioning::removeUser(db::Connection& tx, const std::string& tenantId, const std::string& userId,
                              const Actor& actor) {
    auto u = s_.users.byId(tx, UserStore::scopeOf(tenantId), userId);
    if (!u) throw Problem::notFound("No such user.");
    if (u->id == actor.id) throw Problem(409, "last_admin", "You cannot delete your own account.");
    if (u->role == "tenant_admin" && u->state == "active" && s_.users.countActiveAdmins(tx, tenantId) <= 1)
        throw Problem(409, "last_admin", "The organisation needs at least one active administrator.");
    s_.users.remove(tx, u->scope, u->id);
    s_.tenancy.bumpEpoch(tx);
    Poco::JSON::Object d;
    d.set("email", u->email);
    journal(tx, tenantId, actor, "user.deleted", "user", u->id, http::toJson(d));
}

}  // namespace relais

#include "tenancy/routes/IdentityRoutes.h"

#include "auth/LoginService.h"
#include "auth/SessionStore.h"
#include "relais/Problem.h"
#include "relais/Time.h"
#include "relais/http/Access.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"
#include "relais/http/Route.h"
#include "tenancy/AccessControl.h"
#include "tenancy/Audit.h"
#include "tenancy/Directory.h"
#include "tenancy/Representations.h"
#include "tenancy/TenancyStore.h"
#include "tenancy/TenancySubsystem.h"
#include "tenancy/Validation.h"
#include "relais/Database.h"
#include "relais/Journal.h"

namespace relais {

namespace {

constexpr auto kAny = http::Scope::PlatformOrTenant;

bool secureCookies(const http::Request& req, const TenancySettings& s) {
    return req.secure() || s.publicUrl.rfind("https://", 0) == 0;
}

/// The session cookie (HttpOnly) and its CSRF token's cookie, which the page's script reads to
/// send X-CSRF-Token on unsafe calls (double submit: another site can neither read it nor set
/// the header). Both are cleared with an empty value and a zero age.
void setSessionCookie(http::Response& res, const http::Request& req, const TenancySettings& s,
                      const std::string& token, const std::string& csrf, std::int64_t maxAgeMs) {
    const std::string attributes = "; Path=/; SameSite=Lax; Max-Age=" + std::to_string(maxAgeMs / 1000) +
                                   (secureCookies(req, s) ? "; Secure" : "");
    res.addHeader("Set-Cookie", std::string(AccessControl::kCookie) + "=" + token + attributes + "; HttpOnly");
    res.addHeader("Set-Cookie", std::string(AccessControl::kCsrfCookie) + "=" + csrf + attributes);
}

}  // namespace

void IdentityRoutes::registerWith(http::RouteRegistry& routes) {
    TenancyServices& s = t_.services();
    LoginService& logins = t_.logins();

    routes.add({"POST", "/api/v1/auth/login",
                [&s, &logins](http::Request& req, http::Response& res) {
                    auto body = http::readJsonObject(req, 16 * 1024);
                    const std::string email = field::optionalText(*body, "email", 320);
                    const std::string password =
                        body->has("password") && body->get("password").isString() ? body->getValue<std::string>("password") : "";
                    const std::string totp = field::optionalText(*body, "totp", 64);
                    if (email.empty()) throw Problem::invalidField("email", "required");
                    if (password.size() > 1024) throw Problem::invalidField("password", "at most 1024 bytes");
                    LoginResult r = logins.login(req, email, password, totp);
                    Poco::JSON::Object out, user;
                    out.set("token", r.token);
                    out.set("csrf_token", r.csrfToken);
                    out.set("expires_at", formatRfc3339(r.expiresAtMs));
                    user.set("id", r.user.id);
                    user.set("email", r.user.email);
                    user.set("name", r.user.name);
                    user.set("role", r.user.role);
                    user.set("tenant_id", r.user.tenantId.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.user.tenantId));
                    out.set("user", user);
                    out.set("totp_enrollment_required", r.totpEnrollmentRequired);
                    setSessionCookie(res, req, s.settings, r.token, r.csrfToken, r.expiresAtMs - nowMs());
                    res.setHeader("Cache-Control", "no-store");
                    http::sendJson(res, 200, out);
                },
                kAny, 16 * 1024});

    routes.add({"POST", "/api/v1/auth/logout",
                [&s, &logins](http::Request& req, http::Response& res) {
                    logins.logout(req);
                    setSessionCookie(res, req, s.settings, "", "", 0);
                    res.sendEmpty(204);
                },
                kAny});

    routes.add({"POST", "/api/v1/auth/password-reset",
                [&logins](http::Request& req, http::Response& res) {
                    auto body = http::readJsonObject(req, 16 * 1024);
                    logins.requestPasswordReset(req, field::text(*body, "email", 320));
                    // The same answer whether or not the account exists.
                    res.sendEmpty(202);
                },
                kAny, 16 * 1024});

    // The two links that set a password: {token, password}.
    for (const auto& [path, purpose] : {std::pair<const char*, const char*>{"/api/v1/auth/password-reset/complete",
                                                                            "password_reset"},
                                        {"/api/v1/auth/invitation/accept", "invitation"}}) {
        routes.add({"POST", path,
                    [&logins, purpose = std::string(purpose)](http::Request& req, http::Response& res) {
                        auto body = http::readJsonObject(req, 16 * 1024);
                        logins.setPasswordByLink(req, field::text(*body, "token", 200), purpose,
                                                 field::text(*body, "password", 1024));
                        res.sendEmpty(204);
                    },
                    kAny, 16 * 1024});
    }

    // What this host is, for the web front end before anyone logs in: the platform, an
    // organisation (its name and language, for the login page), or nothing known.
    routes.add({"GET", "/api/v1/site",
                [](http::Request& req, http::Response& res) {
                    Poco::JSON::Object out;
                    if (const TenantContext* t = req.tenant()) {
                        out.set("kind", "tenant");
                        out.set("name", t->name);
                        out.set("slug", t->slug);
                        out.set("state", t->state);
                        out.set("language", t->language);
                    } else {
                        out.set("kind", req.onPlatformHost() ? "platform" : "unknown");
                    }
                    res.setHeader("Cache-Control", "no-store");
                    http::sendJson(res, 200, out);
                },
                http::Scope::Anywhere});

    routes.add({"GET", "/api/v1/me",
                [&s](http::Request& req, http::Response& res) {
                    const Principal& p = http::requireUser(req);
                    Poco::JSON::Object out;
                    out.set("id", p.userId);
                    out.set("email", p.email);
                    out.set("name", p.name);
                    out.set("role", p.role);
                    out.set("tenant_id", p.tenantId.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(p.tenantId));
                    if (!p.resellerId.empty()) out.set("reseller_id", p.resellerId);
                    out.set("profile_id", p.profileId.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(p.profileId));
                    Poco::JSON::Array features;
                    for (const auto& f : p.features) features.add(f);
                    out.set("features", features);
                    if (const TenantContext* t = req.tenant()) {
                        Poco::JSON::Object tenant;
                        tenant.set("id", t->id);
                        tenant.set("slug", t->slug);
                        tenant.set("name", t->name);
                        tenant.set("state", t->state);
                        tenant.set("plan", t->planId);
                        tenant.set("language", t->language);
                        tenant.set("default_expiry_days", t->defaultExpiryDays);
                        tenant.set("max_expiry_days", t->maxExpiryDays);
                        Poco::JSON::Array modules;
                        for (const auto& m : t->modules) modules.add(m);
                        tenant.set("modules", modules);
                        out.set("tenant", tenant);
                    }
                    out.set("authenticated_by", p.apiKeyId.empty() ? "session" : "api_key");
                    // For the account page: the user's own language and second factor, as the
                    // access checks see them.
                    out.set("language", p.language);
                    out.set("totp_enabled", p.totpEnabled);
                    out.set("totp_enrollment_required", p.totpPending);
                    res.setHeader("Cache-Control", "no-store");
                    http::sendJson(res, 200, out);
                },
                kAny});

    routes.add({"PATCH", "/api/v1/me",
                [&s](http::Request& req, http::Response& res) {
                    const Principal& p = http::requireUser(req);
                    auto body = http::readJsonObject(req, 16 * 1024);
                    auto user = s.users.byId(UserStore::scopeOf(p.tenantId), p.userId);
                    if (!user) throw Problem(401, "unauthenticated", "Log in first.");
                    if (field::has(*body, "name")) user->name = field::text(*body, "name", 200);
                    if (field::has(*body, "language")) {
                        const std::string lang = field::text(*body, "language", 2);
                        if (lang != "fr" && lang != "en") throw Problem::invalidField("language", "fr or en");
                        user->language = lang;
                    }
                    user->updatedAtMs = nowMs();
                    s.db.transaction([&](db::Connection& tx) {
                        s.users.update(tx, *user);
                        s.tenancy.bumpEpoch(tx);
                        s.journal.append(tx, auditEntry(req, "user.self_updated", "user", user->id));
                    });
                    s.directory.invalidate();
                    http::sendJson(res, 200, repr::user(*user));
                },
                kAny, 16 * 1024});

    routes.add({"POST", "/api/v1/me/password",
                [&logins](http::Request& req, http::Response& res) {
                    http::requireUser(req);
                    auto body = http::readJsonObject(req, 16 * 1024);
                    logins.changePassword(req, field::text(*body, "current_password", 1024),
                                          field::text(*body, "new_password", 1024));
                    res.sendEmpty(204);
                },
                kAny, 16 * 1024});

    routes.add({"GET", "/api/v1/me/sessions",
                [&s](http::Request& req, http::Response& res) {
                    const Principal& p = http::requireUser(req);
                    Poco::JSON::Array items;
                    const std::int64_t now = nowMs();
                    for (const auto& session : s.sessions.listOf(p.userId)) {
                        if (session.expiresAtMs <= now || session.lastSeenAtMs + s.settings.sessionIdleMs <= now)
                            continue;
                        Poco::JSON::Object o;
                        o.set("id", session.publicId);
                        o.set("created_at", formatRfc3339(session.createdAtMs));
                        o.set("last_seen_at", formatRfc3339(session.lastSeenAtMs));
                        o.set("expires_at", formatRfc3339(std::min(session.expiresAtMs,
                                                                   session.lastSeenAtMs + s.settings.sessionIdleMs)));
                        o.set("ip", session.ip);
                        o.set("user_agent", session.userAgent);
                        o.set("current", session.id == p.sessionId);
                        items.add(o);
                    }
                    Poco::JSON::Object out;
                    out.set("items", items);
                    out.set("next_cursor", Poco::Dynamic::Var());
                    http::sendJson(res, 200, out);
                },
                kAny});

    routes.add({"DELETE", "/api/v1/me/sessions/{id}",
                [&s](http::Request& req, http::Response& res) {
                    const Principal& p = http::requireUser(req);
                    if (!s.sessions.removeByPublicId(p.userId, req.param("id")))
                        throw Problem::notFound("No such session.");
                    s.db.transaction([&](db::Connection& tx) {
                        s.tenancy.bumpEpoch(tx);
                        s.journal.append(tx, auditEntry(req, "auth.session_revoked", "session", req.param("id")));
                    });
                    s.directory.invalidate();
                    res.sendEmpty(204);
                },
                kAny});

    routes.add({"POST", "/api/v1/me/totp",
                [&logins](http::Request& req, http::Response& res) {
                    http::requireUser(req);
                    auto enrolment = logins.beginTotp(req);
                    Poco::JSON::Object out;
                    out.set("secret", enrolment.secretBase32);
                    out.set("otpauth_uri", enrolment.uri);
                    res.setHeader("Cache-Control", "no-store");
                    http::sendJson(res, 200, out);
                },
                kAny});

    routes.add({"POST", "/api/v1/me/totp/confirm",
                [&logins](http::Request& req, http::Response& res) {
                    http::requireUser(req);
                    auto body = http::readJsonObject(req, 16 * 1024);
                    auto codes = logins.confirmTotp(req, field::text(*body, "code", 16));
                    Poco::JSON::Array list;
                    for (const auto& c : codes) list.add(c);
                    Poco::JSON::Object out;
                    out.set("recovery_codes", list);
                    res.setHeader("Cache-Control", "no-store");
                    http::sendJson(res, 200, out);
                },
                kAny, 16 * 1024});

    routes.add({"POST", "/api/v1/me/totp/disable",
                [&logins](http::Request& req, http::Response& res) {
                    http::requireUser(req);
                    auto body = http::readJsonObject(req, 16 * 1024);
                    logins.disableTotp(req, field::text(*body, "password", 1024));
                    res.sendEmpty(204);
                },
                kAny, 16 * 1024});

    routes.add({"POST", "/api/v1/api-keys",
                [&logins](http::Request& req, http::Response& res) {
                    http::requireUser(req);
                    auto body = http::readJsonObject(req, 16 * 1024);
                    auto key = logins.createApiKey(req, field::text(*body, "name", 100));
                    Poco::JSON::Object out;
                    out.set("id", key.id);
                    out.set("name", key.name);
                    out.set("key", key.key);
                    res.setHeader("Cache-Control", "no-store");
                    http::sendJson(res, 201, out);
                },
                kAny, 16 * 1024});

    routes.add({"GET", "/api/v1/api-keys",
                [&s](http::Request& req, http::Response& res) {
                    const Principal& p = http::requireUser(req);
                    Poco::JSON::Array items;
                    for (const auto& k : s.sessions.keysOf(p.userId)) {
                        Poco::JSON::Object o;
                        o.set("id", k.id);
                        o.set("name", k.name);
                        o.set("created_at", formatRfc3339(k.createdAtMs));
                        o.set("last_used_at", repr::time(k.lastUsedAtMs));
                        items.add(o);
                    }
                    Poco::JSON::Object out;
                    out.set("items", items);
                    out.set("next_cursor", Poco::Dynamic::Var());
                    http::sendJson(res, 200, out);
                },
                kAny});

    routes.add({"DELETE", "/api/v1/api-keys/{id}",
                [&s](http::Request& req, http::Response& res) {
                    const Principal& p = http::requireUser(req);
                    if (!s.sessions.removeKey(p.userId, req.param("id"))) throw Problem::notFound("No such API key.");
                    s.db.transaction([&](db::Connection& tx) {
                        s.tenancy.bumpEpoch(tx);
                        s.journal.append(tx, auditEntry(req, "auth.api_key_revoked", "api_key", req.param("id")));
                    });
                    s.directory.invalidate();
                    res.sendEmpty(204);
                },
                kAny});
}

}  // namespace relais

#include "tenancy/AccessControl.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>

#include <set>

#include "relais/Database.h"
#include "relais/Journal.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"
#include "tenancy/Audit.h"
#include "tenancy/Directory.h"
#include "tenancy/Links.h"

namespace relais {

namespace {

// What a terminated tenant still answers: its admins log in to take their export.
bool openWhenTerminated(const http::Request& req) {
    static const std::set<std::string> kOpen = {"POST /api/v1/auth/login", "POST /api/v1/auth/logout",
                                                "GET /api/v1/me", "GET /api/v1/admin/export",
                                                // an admin whose profile wants a second factor
                                                // sets it up to reach the export
                                                "POST /api/v1/me/totp", "POST /api/v1/me/totp/confirm"};
    return req.route() && kOpen.count(req.route()->method + " " + req.route()->pattern) > 0;
}

// What a session that must first set up its second factor may do.
bool openWhileEnrolling(const http::Request& req) {
    if (!req.route()) return false;
    const std::string& p = req.route()->pattern;
    return p == "/api/v1/me" || p.rfind("/api/v1/me/totp", 0) == 0 || p == "/api/v1/auth/logout";
}

bool unsafe(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

std::string trim(std::string s) {
    Poco::trimInPlace(s);
    return s;
}

}  // namespace

void AccessControl::resolveTenant(http::Request& req, http::Response&, const http::Next& next) {
    const http::Scope scope = req.route() ? req.route()->scope : http::Scope::PlatformOrTenant;
    try {
        s_.directory.refresh();
    } catch (const db::Error&) {
        // Health checks answer without the database; everything else needs it.
        if (scope != http::Scope::Anywhere) throw;
    }
    std::string host = req.host();
    if (!s_.settings.trustedProxies.empty() && addressAllowed(s_.settings.trustedProxies, req.clientIp())) {
        const std::string forwardedHost = req.header("X-Forwarded-Host");
        if (!forwardedHost.empty()) {
            std::string h = Poco::toLower(trim(forwardedHost.substr(0, forwardedHost.find(','))));
            h = h.substr(0, h.find(':'));
            req.setHost(h);
            host = h;
        }
        // The client is the rightmost address that is not one of our proxies.
        const std::string forwardedFor = req.header("X-Forwarded-For");
        std::string candidate;
        std::size_t end = forwardedFor.size();
        while (end > 0) {
            std::size_t comma = forwardedFor.rfind(',', end - 1);
            const std::size_t start = comma == std::string::npos ? 0 : comma + 1;
            candidate = trim(forwardedFor.substr(start, end - start));
            if (!candidate.empty() && !addressAllowed(s_.settings.trustedProxies, candidate)) break;
            if (comma == std::string::npos) break;
            end = comma;
        }
        if (!candidate.empty() && IpRange::parse(candidate)) req.setClientIp(candidate);
    }

    const bool platform = host == s_.settings.platformDomain;
    req.setPlatformHost(platform);
    std::shared_ptr<const TenantContext> tenant;
    try {
        if (!platform && !host.empty()) tenant = s_.directory.tenantForHost(host);
    } catch (const db::Error&) {
        if (scope != http::Scope::Anywhere) throw;
    }
    if (tenant) {
        req.setLinkBaseSource([settings = &s_.settings](const http::Request& r) {
            return linkBase(r, *settings, r.tenant()->slug);
        });
        req.setTenant(tenant);
    }

    if (scope == http::Scope::Anywhere) {
        next();
        return;
    }
    if (!platform && !tenant) throw Problem(404, "unknown_host", "No organisation is served at this address.");
    if (scope == http::Scope::Platform && !platform) throw Problem::notFound("No resource at this path.");
    if (scope == http::Scope::Tenant && !tenant) throw Problem::notFound("No resource at this path.");
    if (tenant && tenant->state == "suspended")
        throw Problem(403, "tenant_suspended", "This organisation's account is suspended.");
    if (tenant && tenant->state == "terminated" && !openWhenTerminated(req))
        throw Problem(403, "tenant_terminated",
                      "This organisation's account is closed; its administrators can still download its export.");
    next();
}

void AccessControl::authenticate(http::Request& req, http::Response&, const http::Next& next) {
    // No route: the answer is 404 (or 405) whoever asks.
    // Capability routes check their own tokens (links), which are not sessions.
    if (!req.route() || req.route()->capability) {
        next();
        return;
    }
    std::string token;
    bool viaCookie = false;
    const std::string& authorization = req.header("Authorization");
    if (!authorization.empty()) {
        if (Poco::icompare(authorization.substr(0, 7), "Bearer ") != 0)
            throw Problem(401, "invalid_token", "Only Bearer tokens are accepted.")
                .withHeader("WWW-Authenticate", "Bearer");
        token = trim(authorization.substr(7));
    } else {
        token = req.cookie(kCookie);
        viaCookie = !token.empty();
    }
    const bool anywhere = req.route()->scope == http::Scope::Anywhere;
    if (token.empty() || anywhere) {
        next();
        return;
    }
    auto auth = s_.directory.authenticate(token);
    if (!auth) {
        if (viaCookie) {  // a stale cookie: the caller is simply anonymous
            next();
            return;
        }
        throw Problem(401, "invalid_token", "The token is unknown, expired or revoked.")
            .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    const Principal& p = *auth->principal;
    // A token of another organisation (or of the platform) sees nothing here, not even that it
    // exists.
    const std::string hostTenant = req.tenant() ? req.tenant()->id : std::string();
    if (p.tenantId != hostTenant || (hostTenant.empty() && !req.onPlatformHost()))
        throw Problem::notFound("No resource at this path.");
    if (viaCookie) {
        auto withCookie = std::make_shared<Principal>(p);
        withCookie->viaCookie = true;
        req.setPrincipal(std::move(withCookie));
    } else {
        req.setPrincipal(auth->principal);
    }

    if (!addressAllowed(auth->allowedIps, req.clientIp())) {
        Poco::JSON::Object details;
        details.set("path", req.route()->pattern);
        s_.journal.append(auditEntry(req, "auth.ip_refused", "user", p.userId, details));
        throw Problem(403, "ip_not_allowed", "Your account may not be used from this network address.");
    }
    if (auth->totpPending && !openWhileEnrolling(req))
        throw Problem(403, "totp_enrollment_required",
                      "Your profile requires a second factor: set it up at /api/v1/me/totp first.");
    if (viaCookie && unsafe(req.method())) {
        const std::string& csrf = req.header("X-CSRF-Token");
        if (csrf.empty() || !constantTimeEquals(sha256Hex(csrf), auth->csrfHash))
            throw Problem(403, "csrf_failed", "The X-CSRF-Token header is missing or wrong.");
    }
    next();
}

bool AccessControl::moduleAllowed(const http::Request& req, const std::string& module) const {
    return !req.tenant() || req.tenant()->hasModule(module);
}

}  // namespace relais

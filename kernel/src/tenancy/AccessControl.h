#pragma once

#include <string>

#include "relais/http/Route.h"
#include "tenancy/Services.h"

namespace relais {

namespace http {
class Request;
class Response;
}  // namespace http

/// The kernel's access middleware, in request order:
///  - tenant (http::order::kTenant): trusted proxies' X-Forwarded-Host/-For, the tenant of the
///    Host, route scope (platform, tenant, anywhere), tenant state (suspended 403
///    tenant_suspended, terminated 403 tenant_terminated but for login and the export);
///  - authentication (http::order::kAuthentication): a Bearer session token or API key, or the
///    session cookie; then, for that principal: same tenant as the host (else 404), profile IP
///    ranges (403 ip_not_allowed, journalled), second factor still to set up (403
///    totp_enrollment_required), and for cookie sessions the CSRF header on unsafe methods
///    (403 csrf_failed);
///  - the module gate: a module's routes only where the tenant has it.
class AccessControl {
public:
    explicit AccessControl(TenancyServices& services) : s_(services) {}

    void resolveTenant(http::Request& request, http::Response& response, const http::Next& next);
    void authenticate(http::Request& request, http::Response& response, const http::Next& next);
    bool moduleAllowed(const http::Request& request, const std::string& module) const;

    /// The session cookie's name.
    static constexpr const char* kCookie = "relais_session";
    /// The cookie that gives the page's script its CSRF token (not HttpOnly, by design).
    static constexpr const char* kCsrfCookie = "relais_csrf";

private:
    TenancyServices& s_;
};

}  // namespace relais

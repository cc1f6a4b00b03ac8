#include "relais/http/Access.h"

#include <Poco/String.h>

#include "relais/Problem.h"
#include "relais/http/Request.h"

namespace relais::http {

const Principal& requireUser(const Request& request) {
    const Principal* p = request.principal();
    if (!p)
        throw Problem(401, "unauthenticated", "Log in, or send a session token or an API key.")
            .withHeader("WWW-Authenticate", "Bearer");
    return *p;
}

const Principal& requireRole(const Request& request, std::initializer_list<const char*> roles) {
    const Principal& p = requireUser(request);
    for (const char* role : roles)
        if (p.role == role) return p;
    throw Problem(403, "forbidden", "Your role does not allow this.");
}

const Principal& requireFeature(const Request& request, const std::string& feature) {
    const Principal& p = requireUser(request);
    if (!p.hasFeature(feature))
        throw Problem(403, "feature_not_allowed", "Your profile does not include '" + feature + "'.");
    return p;
}

std::string bearerToken(const Request& request) {
    const std::string& authorization = request.header("Authorization");
    if (authorization.size() <= 7 || Poco::icompare(authorization.substr(0, 7), "Bearer ") != 0) return {};
    return Poco::trim(authorization.substr(7));
}

const TenantContext& requireTenant(const Request& request) {
    if (!request.tenant()) throw Problem::notFound("No resource at this path.");
    return *request.tenant();
}

}  // namespace relais::http

#include "tenancy/Links.h"

#include <Poco/URI.h>

#include "relais/http/Request.h"
#include "tenancy/Services.h"

namespace relais {

std::string linkBase(const http::Request& request, const TenancySettings& settings, const std::string& tenantSlug) {
    std::string scheme = request.secure() ? "https" : "http";
    std::string host = settings.platformDomain;
    std::string port;
    if (!settings.publicUrl.empty()) {
        Poco::URI uri(settings.publicUrl);
        scheme = uri.getScheme();
        host = uri.getHost();
        const bool usual = (scheme == "https" && uri.getPort() == 443) || (scheme == "http" && uri.getPort() == 80);
        if (!usual) port = std::to_string(uri.getPort());
    } else {
        const std::string& hostHeader = request.header("Host");
        const auto colon = hostHeader.rfind(':');
        if (colon != std::string::npos && hostHeader.find(']') == std::string::npos)
            port = hostHeader.substr(colon + 1);
    }
    if (!tenantSlug.empty()) host = tenantSlug + "." + host;
    return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

std::string linkBase(const TenancySettings& settings, const std::string& tenantSlug) {
    Poco::URI uri(settings.defaultBase);
    const std::string scheme = uri.getScheme();
    const bool usual = (scheme == "https" && uri.getPort() == 443) || (scheme == "http" && uri.getPort() == 80);
    const std::string host = tenantSlug.empty() ? uri.getHost() : tenantSlug + "." + uri.getHost();
    return scheme + "://" + host + (usual ? "" : ":" + std::to_string(uri.getPort()));
}

}  // namespace relais

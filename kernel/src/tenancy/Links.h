#pragma once

#include <string>

namespace relais {

namespace http {
class Request;
}
struct TenancySettings;

/// The scheme, host and port of links the server writes into mails: http.public_url when set
/// (a tenant's host is then <slug>.<its host>), else the scheme and port the request came in
/// with, on the platform host or on <slug>.<platform.domain>.
std::string linkBase(const http::Request& request, const TenancySettings& settings, const std::string& tenantSlug);
/// The same without a request: from TenancySettings::defaultBase.
std::string linkBase(const TenancySettings& settings, const std::string& tenantSlug);

}  // namespace relais

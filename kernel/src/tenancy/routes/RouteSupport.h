#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace relais {

struct Tenant;
struct TenancyServices;

namespace http {
class Request;
class Response;
}  // namespace http

/// What the tenancy routes share: the tenant-id check of bodies, usage figures, reasons.
/// Pagination is the SDK's (relais/http/Page.h).
namespace routes {

/// A body naming a tenant must name the one of the host: Problem 400 `tenant_mismatch`.
void checkTenantOfBody(const Poco::JSON::Object& body, const http::Request& request);

/// {users, licences, storage_bytes_used, storage_bytes_quota, transfers_30d, bytes_sent_30d}
Poco::JSON::Object usageOf(TenancyServices& services, const Tenant& tenant);

/// An optional "reason" text of a lifecycle request (the body may be empty).
std::string reasonOf(http::Request& request);

}  // namespace routes
}  // namespace relais

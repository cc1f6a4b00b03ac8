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

/// What the tenancy routes share: pagination, the tenant-id check of bodies.
namespace routes {

/// ?limit= (default 50, 1..500) and ?cursor= (opaque: the key after which to list).
/// Problem 400 invalid_field for a bad limit or cursor.
struct Page {
    int limit = 50;
    std::string after;
};
Page pageOf(const http::Request& request);
/// The cursor that continues after `key`.
std::string cursorAfter(const std::string& key);
/// {"items": [...], "next_cursor": cursor of nextKey | null}.
void sendPage(http::Response& response, const Poco::JSON::Array& items, const std::string& nextKey);

/// A body naming a tenant must name the one of the host: Problem 400 `tenant_mismatch`.
void checkTenantOfBody(const Poco::JSON::Object& body, const http::Request& request);

/// {users, licences, storage_bytes_used, storage_bytes_quota, transfers_30d, bytes_sent_30d}
Poco::JSON::Object usageOf(TenancyServices& services, const Tenant& tenant);

/// An optional "reason" text of a lifecycle request (the body may be empty).
std::string reasonOf(http::Request& request);

}  // namespace routes
}  // namespace relais

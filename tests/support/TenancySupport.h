#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <Poco/JSON/Object.h>

#include "TestSupport.h"

namespace relais {
class Runtime;
}

// Tenants, users and sessions for tests: created straight through the kernel's provisioning
// (fast, no HTTP), then used over HTTP like a client would.
namespace relais::test {

/// A password the policy accepts.
constexpr const char* kPassword = "Correct-Horse-Battery-9";

struct TenantRef {
    std::string id;
    std::string slug;
    std::string resellerId;
    std::string host;  ///< <slug>.localhost
};
/// An active tenant on `plan`, under the reseller `reseller` (created when missing).
TenantRef createTenant(Runtime& runtime, const std::string& slug, const std::string& plan = "pro",
                       const std::string& reseller = "Revendeur de test");

struct UserRef {
    std::string id;
    std::string email;
    std::string password;
};
/// An active user with kPassword: of `tenantId`, or of the platform when it is empty
/// (`resellerId` for reseller admins).
UserRef createUser(Runtime& runtime, const std::string& tenantId, const std::string& role, const std::string& email,
                   const std::string& resellerId = {});

struct Session {
    std::string token;
    std::string csrf;
    std::string cookie;  ///< the Set-Cookie value
};
/// POST /api/v1/auth/login on `host`; fails the test unless it answers 200.
Session login(std::uint16_t port, const std::string& host, const std::string& email,
              const std::string& password = kPassword, const std::string& totp = {});

/// One request on `host` with a Bearer token (none when empty).
HttpResult call(std::uint16_t port, const std::string& host, const std::string& token, const std::string& method,
                const std::string& path, const std::string& body = {},
                const std::string& contentType = "application/json",
                std::map<std::string, std::string> headers = {});

/// A JSON object body (fails the test when it is not one).
Poco::JSON::Object::Ptr jsonObject(const std::string& text);

/// The "code" member of a problem body, or "".
std::string problemCode(const HttpResult& result);

}  // namespace relais::test

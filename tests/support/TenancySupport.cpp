#include "TenancySupport.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include "relais/Database.h"
#include "runtime/Runtime.h"
#include "tenancy/Audit.h"
#include "tenancy/Provisioning.h"
#include "tenancy/TenancyStore.h"
#include "tenancy/TenancySubsystem.h"

namespace relais::test {

TenantRef createTenant(Runtime& runtime, const std::string& slug, const std::string& plan,
                       const std::string& reseller) {
    auto& t = runtime.tenancy();
    TenantRef ref;
    runtime.database().transaction([&](db::Connection& tx) {
        const Actor actor{"system", "test", "", "", ""};
        auto existing = tx.query("SELECT id FROM resellers WHERE name = ?", {reseller});
        ref.resellerId = existing.empty()
                             ? t.provisioning().createReseller(tx, reseller, "contact@revendeur.example", actor).id
                             : existing[0].getString("id");
        Poco::JSON::Object body;
        body.set("slug", slug);
        body.set("name", "Organisation " + slug);
        body.set("plan", plan);
        ref.id = t.provisioning().createTenant(tx, body, ref.resellerId, "active", actor).id;
    });
    ref.slug = slug;
    ref.host = slug + ".localhost";
    return ref;
}

UserRef createUser(Runtime& runtime, const std::string& tenantId, const std::string& role, const std::string& email,
                   const std::string& resellerId) {
    UserRef ref;
    runtime.database().transaction([&](db::Connection& tx) {
        NewUser spec;
        spec.email = email;
        spec.name = email.substr(0, email.find('@'));
        spec.role = role;
        spec.password = kPassword;
        ref.id = runtime.tenancy()
                     .provisioning()
                     .createUser(tx, tenantId, resellerId, spec, "http://localhost", "Test",
                                 Actor{"system", "test", "", "", ""})
                     .user.id;
    });
    ref.email = email;
    ref.password = kPassword;
    return ref;
}

Session login(std::uint16_t port, const std::string& host, const std::string& email, const std::string& password,
              const std::string& totp) {
    Poco::JSON::Object body;
    body.set("email", email);
    body.set("password", password);
    if (!totp.empty()) body.set("totp", totp);
    std::ostringstream text;
    body.stringify(text);
    auto r = call(port, host, "", "POST", "/api/v1/auth/login", text.str());
    CPPUNIT_ASSERT_EQUAL_MESSAGE("login of " + email + " on " + host + ": " + r.body, 200, r.status);
    auto json = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
    return Session{json->getValue<std::string>("token"), json->getValue<std::string>("csrf_token"),
                   r.setCookie("relais_session")};
}

HttpResult call(std::uint16_t port, const std::string& host, const std::string& token, const std::string& method,
                const std::string& path, const std::string& body, const std::string& contentType,
                std::map<std::string, std::string> headers) {
    headers["Host"] = host;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return http(port, method, path, body, body.empty() ? std::string() : contentType, headers);
}

Poco::JSON::Object::Ptr jsonObject(const std::string& text) {
    try {
        auto o = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
        if (o) return o;
    } catch (const std::exception&) {
    }
    CPPUNIT_FAIL("not a JSON object: " + text.substr(0, 300));
    return nullptr;
}

std::string problemCode(const HttpResult& result) {
    try {
        auto json = Poco::JSON::Parser().parse(result.body).extract<Poco::JSON::Object::Ptr>();
        return json->optValue<std::string>("code", "");
    } catch (const std::exception&) {
        return {};
    }
}

}  // namespace relais::test

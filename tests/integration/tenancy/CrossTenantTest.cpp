// The cross-tenant walk: every route a tenant host serves, called with a valid token of another
// tenant, answers 404; and every route with an object in its path, called by another tenant's
// admin on their own host with this tenant's object ids, answers 404 too. The walk reads the
// server's route table, so it covers the routes later modules add; a route whose path
// parameters it does not know fails the test until it is taught where to find such an object.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "TenancySupport.h"
#include "TestSupport.h"
#include "http/Router.h"
#include "runtime/Runtime.h"

using relais::test::call;

namespace {

Poco::JSON::Object::Ptr json(const std::string& text) { return relais::test::jsonObject(text); }

bool hasParams(const std::string& pattern) { return pattern.find('{') != std::string::npos; }

}  // namespace

class CrossTenantTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CrossTenantTest);
    CPPUNIT_TEST(anotherTenantsTokenFindsNothing);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;
    std::unique_ptr<relais::test::TestDatabase> db_;

public:
    void setUp() override { db_ = std::make_unique<relais::test::TestDatabase>(); }
    void tearDown() override { db_.reset(); }

    void anotherTenantsTokenFindsNothing() {
        relais::test::TestServer server(relais::test::fixtureSettings(dir_, *db_));
        auto& rt = server.runtime();
        const auto port = server.port();
        auto a = relais::test::createTenant(rt, "alpha", "pro");
        auto b = relais::test::createTenant(rt, "beta", "pro");
        auto adminA = relais::test::createUser(rt, a.id, "tenant_admin", "admin@alpha.example");
        auto adminB = relais::test::createUser(rt, b.id, "tenant_admin", "admin@beta.example");
        const auto sessionA = relais::test::login(port, a.host, adminA.email);
        const auto sessionB = relais::test::login(port, b.host, adminB.email);

        // Objects of tenant A, one of each kind a path can name.
        auto userA = json(call(port, a.host, sessionA.token, "POST", "/api/v1/admin/users",
                               R"({"email": "marie@alpha.example", "name": "Marie"})")
                              .body);
        auto profileA = json(call(port, a.host, sessionA.token, "POST", "/api/v1/admin/profiles",
                                  R"({"name": "Externes", "features": ["send"]})")
                                 .body);
        auto keyA = json(call(port, a.host, sessionA.token, "POST", "/api/v1/api-keys", R"({"name": "script"})").body);
        auto sessionsA = json(call(port, a.host, sessionA.token, "GET", "/api/v1/me/sessions").body);
        // Path prefix → the id of tenant A's object it names. Teach the walk new kinds here.
        const std::vector<std::pair<std::string, std::string>> objectsOfA = {
            {"/api/v1/admin/users/{id}", userA->getValue<std::string>("id")},
            {"/api/v1/admin/profiles/{id}", profileA->getValue<std::string>("id")},
            {"/api/v1/api-keys/{id}", keyA->getValue<std::string>("id")},
            {"/api/v1/me/sessions/{id}", sessionsA->getArray("items")->getObject(0)->getValue<std::string>("id")},
        };
        // Path parameters that name no tenant object (a module's name is the same everywhere).
        const std::vector<std::string> notObjects = {"/api/v1/admin/modules/{name}"};
        auto objectFor = [&](const std::string& pattern) -> std::string {
            for (const auto& [prefix, id] : objectsOfA)
                if (pattern.rfind(prefix, 0) == 0) return pattern.substr(0, prefix.rfind('{')) + id + pattern.substr(prefix.size());
            return {};
        };

        int walked = 0, objectChecks = 0;
        for (const auto& route : rt.router().routes()) {
            if (route.scope == relais::http::Scope::Anywhere || route.scope == relais::http::Scope::Platform) continue;
            std::string path = route.pattern;
            if (hasParams(path)) {
                bool skip = false;
                for (const auto& p : notObjects) skip = skip || path == p;
                if (skip) {
                    path = path.substr(0, path.find('{')) + "wesend";
                } else {
                    path = objectFor(route.pattern);
                    CPPUNIT_ASSERT_MESSAGE("the cross-tenant walk does not know what " + route.pattern +
                                               " names: add an object of tenant A for it",
                                           !path.empty());
                    CPPUNIT_ASSERT_MESSAGE(route.pattern + " has more parameters than the walk knows", !hasParams(path));
                }
            }
            const std::string body = route.method == "GET" || route.method == "DELETE" ? "" : "{}";
            // 1. B's token on A's host: nothing there, not even a hint that it exists.
            auto r = call(port, a.host, sessionB.token, route.method, path, body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(route.method + " " + path + " on A's host with B's token: " + r.body, 404,
                                         r.status);
            // 2. B's admin on B's own host, naming A's object: 404 as well.
            if (hasParams(route.pattern) && !objectFor(route.pattern).empty()) {
                r = call(port, b.host, sessionB.token, route.method, path, body);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(route.method + " " + path + " on B's host with B's token: " + r.body, 404,
                                             r.status);
                ++objectChecks;
            }
            ++walked;
        }
        CPPUNIT_ASSERT(walked > 30);
        CPPUNIT_ASSERT(objectChecks >= 8);

        // A's objects are intact after all that.
        auto r = call(port, a.host, sessionA.token, "GET", "/api/v1/admin/users/" + userA->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        r = call(port, a.host, sessionA.token, "GET", "/api/v1/admin/profiles/" + profileA->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(200, call(port, a.host, keyA->getValue<std::string>("key"), "GET", "/api/v1/me").status);
        CPPUNIT_ASSERT_EQUAL(200, call(port, a.host, sessionA.token, "GET", "/api/v1/me").status);
        // And a platform token finds nothing on a tenant host either.
        auto ops = relais::test::createUser(rt, "", "operator", "ops@relais.example");
        const auto opsSession = relais::test::login(port, "localhost", ops.email);
        r = call(port, a.host, opsSession.token, "GET", "/api/v1/admin/users");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        // Nor a tenant token on the platform host.
        r = call(port, "localhost", sessionA.token, "GET", "/api/v1/tenants");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CrossTenantTest);

// The cross-tenant walk: every route a tenant host serves, called with a valid token of another
// tenant, answers 404; and every route with an object in its path, called by another tenant's
// admin on their own host with this tenant's object ids, answers 404 too. The walk reads the
// server's route table, so it covers the routes later modules add; a route whose path
// parameters it does not know fails the test until it is taught where to find such an object.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

#include "../wesend/WesendSupport.h"
#include "TenancySupport.h"
#include "TestSupport.h"
#include "http/Router.h"
#include "relais/Random.h"
#include "runtime/Runtime.h"

using relais::test::call;

namespace {

Poco::JSON::Object::Ptr json(const std::string& text) { return relais::test::jsonObject(text); }

bool hasParams(const std::string& pattern) { return pattern.find('{') != std::string::npos; }

}  // namespace

class CrossTenantTest : public relais::test::DatabaseFixture {
    CPPUNIT_TEST_SUITE(CrossTenantTest);
    CPPUNIT_TEST(anotherTenantsTokenFindsNothing);
    CPPUNIT_TEST(productRoutesToo);
    CPPUNIT_TEST_SUITE_END();

public:

    // The kernel's routes and the fixture plugins'.
    void anotherTenantsTokenFindsNothing() { walk(relais::test::fixtureSettings(dir_, *db_), false); }

    // The kernel's routes and the product's plugins' (wesend: transfers, uploads, upload
    // requests, their public capability routes), each named with a real object of tenant A.
    void productRoutesToo() { walk(relais::test::productSettings(dir_, *db_), true); }

    void walk(const std::map<std::string, std::string>& settings, bool product) {
        relais::test::TestServer server(settings);
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
        // Path prefix → the id of tenant A's object its last parameter names. Teach the walk new
        // kinds here; a pattern with several parameters takes one entry per parameter.
        std::vector<std::pair<std::string, std::string>> objectsOfA = {
            {"/api/v1/admin/users/{id}", userA->getValue<std::string>("id")},
            {"/api/v1/admin/profiles/{id}", profileA->getValue<std::string>("id")},
            {"/api/v1/api-keys/{id}", keyA->getValue<std::string>("id")},
            {"/api/v1/me/sessions/{id}", sessionsA->getArray("items")->getObject(0)->getValue<std::string>("id")},
        };
        std::vector<std::string> linksOfA;  // the capability tokens among the objects
        if (product) {
            using relais::test::wesend::upload;
            // An upload of A's admin left unsent, and a transfer.
            const std::string pending = upload(port, a.host, sessionA.token, "pending", "pending.txt");
            const std::string sent = upload(port, a.host, sessionA.token, "sent", "sent.txt");
            auto transfer = json(call(port, a.host, sessionA.token, "POST", "/api/v1/transfers",
                                      R"({"recipients": ["paul@client.example"], "uploads": [")" + sent + "\"]}")
                                     .body);
            const std::string transferLink = transfer->getValue<std::string>("link");
            // An upload request with a deposit, and a guest upload not yet deposited.
            auto request = json(call(port, a.host, sessionA.token, "POST", "/api/v1/upload-requests", "{}").body);
            const std::string requestLink = request->getValue<std::string>("link");
            const std::string requestToken = requestLink.substr(requestLink.rfind('/') + 1);
            const std::string guestBase = "/api/v1/public/upload-requests/" + requestToken + "/uploads";
            const std::string deposited = upload(port, a.host, "", "deposited", "d.txt", "text/plain", guestBase);
            const std::string guestPending = upload(port, a.host, "", "guest pending", "g.txt", "text/plain", guestBase);
            auto dep = call(port, a.host, "", "POST", "/api/v1/public/upload-requests/" + requestToken + "/deposits",
                            R"({"uploads": [")" + deposited + R"("], "sender_email": "guest@client.example"})");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(dep.body, 201, dep.status);
            auto deposit = json(dep.body);
            const std::string requestId = request->getValue<std::string>("id");
            linksOfA = {transferLink.substr(transferLink.rfind('/') + 1), requestToken};
            objectsOfA.insert(objectsOfA.end(), {
                {"/api/v1/uploads/{id}", pending},
                {"/api/v1/transfers/{id}", transfer->getValue<std::string>("id")},
                {"/api/v1/received/transfers/{id}", transfer->getValue<std::string>("id")},
                {"/api/v1/received/transfers/{id}/files/{file_id}",
                 transfer->getArray("files")->getObject(0)->getValue<std::string>("id")},
                {"/api/v1/public/transfers/{token}", transferLink.substr(transferLink.rfind('/') + 1)},
                {"/api/v1/public/transfers/{token}/files/{file_id}",
                 transfer->getArray("files")->getObject(0)->getValue<std::string>("id")},
                {"/api/v1/upload-requests/{id}", requestId},
                {"/api/v1/upload-requests/{id}/deposits/{deposit_id}", deposit->getValue<std::string>("id")},
                {"/api/v1/upload-requests/{id}/deposits/{deposit_id}/files/{file_id}",
                 deposit->getArray("files")->getObject(0)->getValue<std::string>("id")},
                {"/api/v1/public/upload-requests/{token}", requestToken},
                {"/api/v1/public/upload-requests/{token}/uploads/{id}", guestPending},
            });
        }
        // Path parameters that name no tenant object (a module's name is the same everywhere).
        const std::vector<std::string> notObjects = {"/api/v1/admin/modules/{name}"};
        // Every parameter of `pattern` filled with A's object, or "" when one is unknown.
        auto objectFor = [&](const std::string& pattern) -> std::string {
            std::vector<std::pair<std::size_t, std::string>> fills;  // (position of the "{", id)
            for (const auto& [prefix, id] : objectsOfA)
                if (pattern.rfind(prefix, 0) == 0 &&
                    (pattern.size() == prefix.size() || pattern[prefix.size()] == '/'))
                    fills.emplace_back(prefix.rfind('{'), id);
            std::sort(fills.begin(), fills.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
            std::string out = pattern;
            for (const auto& [at, id] : fills) out.replace(at, out.find('}', at) - at + 1, id);
            return fills.empty() || hasParams(out) ? std::string() : out;
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
                }
            }
            const std::string body = route.method == "GET" || route.method == "DELETE" ? "" : "{}";
            // tus routes check the protocol first: speak it, so the answer is about the object.
            const bool tus = route.pattern.find("/uploads") != std::string::npos;
            auto send = [&](const std::string& host, const std::string& token, const std::string& p) {
                if (!tus) return call(port, host, token, route.method, p, body);
                return call(port, host, token, route.method, p, route.method == "PATCH" ? "x" : "",
                            route.method == "PATCH" ? "application/offset+octet-stream" : "",
                            {{"Tus-Resumable", "1.0.0"}, {"Upload-Offset", "0"}, {"Upload-Length", "5"}});
            };
            relais::test::HttpResult r;
            if (route.capability) {
                // A link's token is the authority on a capability route, whoever else calls; so
                // 1. B's token on A's host opens no link of its own: with a token that is no
                // link of A, 404.
                std::string guessed = path;
                for (const auto& link : linksOfA)
                    if (guessed.find(link) != std::string::npos) guessed.replace(guessed.find(link), link.size(), relais::randomToken(32));
                CPPUNIT_ASSERT_MESSAGE(route.pattern + ": a capability route naming no link of A", guessed != path);
                r = send(a.host, sessionB.token, guessed);
                if (route.method == "OPTIONS") {  // describes the server, names no link
                    const auto real = send(a.host, sessionB.token, path);
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(route.method + " " + path, r.status, real.status);
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(route.method + " " + path, r.body, real.body);
                } else {
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(route.method + " " + guessed + " on A's host with B's token: " + r.body,
                                                 404, r.status);
                    // and A's real link on B's host, with B's token or none: 404.
                    r = send(b.host, "", path);
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(route.method + " " + path + " on B's host without a token: " + r.body,
                                                 404, r.status);
                }
            } else {
                // 1. B's token on A's host: nothing there, not even a hint that it exists.
                r = send(a.host, sessionB.token, path);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(route.method + " " + path + " on A's host with B's token: " + r.body, 404,
                                             r.status);
            }
            // 2. B's admin on B's own host, naming A's object: 404 as well. (A tus OPTIONS
            // describes the server and names no object: it must only answer as it does for an
            // id that exists nowhere.)
            if (route.method == "OPTIONS" && hasParams(route.pattern)) {
                std::string nowhere = route.pattern;
                for (auto at = nowhere.find('{'); at != std::string::npos; at = nowhere.find('{'))
                    nowhere.replace(at, nowhere.find('}', at) - at + 1, "nowhere" + relais::toHex(relais::randomBytes(8)));
                r = send(b.host, sessionB.token, path);
                const auto other = send(b.host, sessionB.token, nowhere);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(route.method + " " + path + " on B's host: " + r.body, other.status, r.status);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(route.method + " " + path + " on B's host", other.body, r.body);
                ++objectChecks;
            } else if (hasParams(route.pattern) && !objectFor(route.pattern).empty()) {
                r = send(b.host, sessionB.token, path);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(route.method + " " + path + " on B's host with B's token: " + r.body, 404,
                                             r.status);
                ++objectChecks;
            }
            ++walked;
        }
        CPPUNIT_ASSERT(walked > 30);
        CPPUNIT_ASSERT(objectChecks >= 8);
        if (product) CPPUNIT_ASSERT_MESSAGE(std::to_string(objectChecks), objectChecks >= 30);

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

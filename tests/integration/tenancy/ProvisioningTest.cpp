// Provisioning over HTTP and on the command line: the operator creates resellers, resellers
// create tenants, tenants are found by host and go through their lifecycle; trials and quotes
// from the service's own site; `relaisd operator create` and `relaisd tenants apply`.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "TenancySupport.h"
#include "TestSupport.h"
#include "relais/Database.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "runtime/Runtime.h"
#include "storage/EncryptedFileStore.h"
#include "tenancy/Audit.h"
#include "tenancy/Provisioning.h"
#include "tenancy/TenancySubsystem.h"

using namespace relais::test;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

// --- JSON ------------------------------------------------------------------------------------

Object::Ptr json(const HttpResult& r) {
    try {
        return Poco::JSON::Parser().parse(r.body).extract<Object::Ptr>();
    } catch (const std::exception&) {
        CPPUNIT_FAIL("not a JSON object (status " + std::to_string(r.status) + "): " + r.body);
    }
    return nullptr;
}

Array::Ptr jsonArray(const HttpResult& r) {
    try {
        return Poco::JSON::Parser().parse(r.body).extract<Array::Ptr>();
    } catch (const std::exception&) {
        CPPUNIT_FAIL("not a JSON array (status " + std::to_string(r.status) + "): " + r.body);
    }
    return nullptr;
}

// A string member, or "" when it is missing or null.
std::string str(const Object::Ptr& o, const std::string& key) {
    return o && o->has(key) && !o->isNull(key) ? o->get(key).toString() : std::string();
}

std::string text(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

// The field of the first entry of a problem's `errors`, or "".
std::string errorField(const HttpResult& r) {
    try {
        auto o = Poco::JSON::Parser().parse(r.body).extract<Object::Ptr>();
        auto errors = o->getArray("errors");
        if (!errors || errors->size() == 0)
            return {};
        return errors->getObject(0)->optValue<std::string>("field", "");
    } catch (const std::exception&) {
        return {};
    }
}

std::vector<std::string> itemValues(const HttpResult& r, const std::string& key) {
    std::vector<std::string> out;
    auto items = json(r)->getArray("items");
    CPPUNIT_ASSERT_MESSAGE(r.body, items);
    for (std::size_t i = 0; i < items->size(); ++i)
        out.push_back(str(items->getObject(static_cast<unsigned>(i)), key));
    return out;
}

void expectStatus(int status, const HttpResult& r, const std::string& what) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": " + r.body, status, r.status);
}

void expectProblem(int status, const std::string& code, const HttpResult& r,
                   const std::string& what) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": " + r.body, status, r.status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": " + r.body, code, problemCode(r));
}

void expectInvalidField(const std::string& field, const HttpResult& r, const std::string& what) {
    expectProblem(400, "invalid_field", r, what);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": " + r.body, field, errorField(r));
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Lower-case and unique per run: the mail folder is shared by every suite and run.
std::string unique(const std::string& prefix) {
    return prefix + relais::toHex(relais::randomBytes(4));
}

// --- Mail ------------------------------------------------------------------------------------


// The decoded messages the test SMTP server accepted for `address`.
std::vector<std::string> mailsTo(const std::string& address) {
    std::vector<std::string> out;
    for (const auto& m : maildirMessages(requiredEnv("TEST_MAILDIR"))) {
        const auto at = m.find("X-Envelope-To: ");
        if (at == std::string::npos)
            continue;
        const std::string to = m.substr(at, m.find('\n', at) - at);
        if (contains(to, address))
            out.push_back(decodeQuotedPrintable(m));
    }
    return out;
}

std::string waitForMail(const std::string& address, const std::string& needle,
                        int timeoutMs = 15000) {
    std::string found;
    waitUntil(
        [&] {
            for (const auto& m : mailsTo(address))
                if (contains(m, needle)) {
                    found = m;
                    return true;
                }
            return false;
        },
        timeoutMs, "a mail to " + address + " with '" + needle + "'");
    return found;
}

std::string tokenIn(const std::string& mail, const std::string& path) {
    std::smatch m;
    if (!std::regex_search(mail, m, std::regex(path + "\\?token=([A-Za-z0-9_-]+)")))
        CPPUNIT_FAIL("no " + path + " link in the mail:\n" + mail);
    return m[1];
}

// The French text comes first, then the English one.
void expectFrenchThenEnglish(const std::string& mail, const std::string& french,
                             const std::string& english) {
    const auto fr = mail.find(french);
    const auto separator = mail.find("-- English --");
    const auto en = mail.find(english);
    CPPUNIT_ASSERT_MESSAGE(
        mail, fr != std::string::npos && separator != std::string::npos && en != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(mail, fr < separator && separator < en);
}

// --- Set-up ----------------------------------------------------------------------------------

std::map<std::string, std::string> withMail(std::map<std::string, std::string> s) {
    s["smtp.host"] = requiredEnv("TEST_SMTP_HOST");
    s["smtp.port"] = requiredEnv("TEST_SMTP_PORT");
    return s;
}

relais::Actor testActor() {
    return relais::Actor{"system", "test", "", "", ""};
}

// A user without a password (invited): counts as a licence, costs no argon2id hash.
std::string inviteUser(relais::Runtime& rt, const std::string& tenantId, const std::string& email) {
    std::string id;
    rt.database().transaction([&](relais::db::Connection& tx) {
        relais::NewUser spec;
        spec.email = email;
        spec.name = "Invité";
        spec.role = "user";
        id = rt.tenancy()
                 .provisioning()
                 .createUser(tx, tenantId, "", spec, "http://localhost", "Test", testActor())
                 .user.id;
    });
    return id;
}

std::string createReseller(relais::Runtime& rt, const std::string& name) {
    std::string id;
    rt.database().transaction([&](relais::db::Connection& tx) {
        id = rt.tenancy()
                 .provisioning()
                 .createReseller(tx, name, "contact@revendeur.example", testActor())
                 .id;
    });
    return id;
}

// The platform journal entries of `action` about `objectId`.
std::vector<Object::Ptr> journalEntries(std::uint16_t port, const std::string& operatorToken,
                                        const std::string& action, const std::string& objectId) {
    auto r = call(port, "localhost", operatorToken, "GET",
                  "/api/v1/platform/journal?limit=500&action=" + action);
    expectStatus(200, r, "the platform journal");
    std::vector<Object::Ptr> out;
    auto items = json(r)->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto e = items->getObject(static_cast<unsigned>(i));
        CPPUNIT_ASSERT_EQUAL(action, str(e, "action"));
        if (str(e->getObject("object"), "id") == objectId)
            out.push_back(e);
    }
    return out;
}

const std::string kCustomHost = "files.client.example";

}  // namespace

class ProvisioningTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ProvisioningTest);
    CPPUNIT_TEST(theOperatorCreatesAResellerWhoseAdminCreatesATenant);
    CPPUNIT_TEST(badTenantInputGetsPreciseAnswers);
    CPPUNIT_TEST(aResellerSeesOnlyItsOwnTenants);
    CPPUNIT_TEST(patchingATenant);
    CPPUNIT_TEST(aHostNameChangeTakesEffectAtOnceOnThisNode);
    CPPUNIT_TEST(suspendResumeAndTerminate);
    CPPUNIT_TEST(anOperatorSuspensionDuringTheResellersIsNotUndoneByItsResume);
    CPPUNIT_TEST(usageAndPlanCatalogue);
    CPPUNIT_TEST(tenantsAreFoundByHostAndTrustedProxiesOnly);
    CPPUNIT_TEST(aTrialSignUpIsConfirmedByMail);
    CPPUNIT_TEST(anEndedTrialIsSuspendedAndItsAdminTold);
    CPPUNIT_TEST(quoteRequestsAndAClosedSignUp);
    CPPUNIT_TEST(operatorCreateOnTheCommandLine);
    CPPUNIT_TEST(tenantsApplyTheDemoManifest);
    CPPUNIT_TEST(tenantsApplyWithAnEphemeralHttpPort);
    CPPUNIT_TEST(manifestsAreCheckedLikeTheApi);
    CPPUNIT_TEST(aTrialCanBeActivatedBeforeItsEnd);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TempDir> dir_;
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<TestServer> server_;

    TestServer& start(const std::map<std::string, std::string>& extra = {}) {
        auto s = baseSettings(*dir_, *db_);
        for (const auto& [k, v] : extra)
            s[k] = v;
        server_ = std::make_unique<TestServer>(s);
        return *server_;
    }
    std::uint16_t port() const { return server_->port(); }
    relais::Runtime& rt() { return server_->runtime(); }

    std::string loginOperator(const std::string& email = "operateur@relais.example") {
        createUser(rt(), "", "operator", email);
        return login(port(), "localhost", email).token;
    }

    // POST /api/v1/tenants by the operator, for `resellerId`, with `edit` applied to a valid body.
    HttpResult postTenant(const std::string& token, const std::string& resellerId,
                          const std::string& slug, const std::function<void(Object&)>& edit = {}) {
        Object body, admin;
        body.set("slug", slug);
        body.set("name", "Organisation " + slug);
        body.set("plan", "pro");
        body.set("reseller_id", resellerId);
        admin.set("email", "admin@client.example");
        admin.set("name", "Admin " + slug);
        body.set("admin", admin);
        if (edit)
            edit(body);
        return call(port(), "localhost", token, "POST", "/api/v1/tenants", text(body));
    }

    // A configuration file for relaisd child processes, on this test's database.
    std::string writeCliConfig(int httpPort = freePort()) {
        std::map<std::string, std::string> keys = {
            {"http.port", std::to_string(httpPort)},
            {"data.dir", dir_->file("var")},
            {"plugins.dir", dir_->file("no-plugins")},
            {"migrations.dir", sourceDir() + "/migrations"},
            {"tenancy.plans_file", sourceDir() + "/tenants/plans.json"},
            {"smtp.host", requiredEnv("TEST_SMTP_HOST")},
            {"smtp.port", requiredEnv("TEST_SMTP_PORT")},
        };
        for (const auto& [k, v] : db_->settings())
            keys[k] = v;
        std::string config;
        for (const auto& [k, v] : keys)
            config += k + " = " + v + "\n";
        writeFile(dir_->file("relais.properties"), config);
        return dir_->file("relais.properties");
    }

    // Applies a manifest in-process; returns the error, or "" when it applied.
    std::string applyManifest(const std::string& json) {
        writeFile(dir_->file("m.json"), json);
        std::ostringstream report;
        try {
            rt().tenancy().provisioning().applyManifest(dir_->file("m.json"), report);
        } catch (const std::exception& e) {
            return e.what();
        }
        return {};
    }

public:
    // A manifest goes through the same checks as the API: roles, plans' modules, ownership.
    void manifestsAreCheckedLikeTheApi() {
        start();
        const std::string base = R"({"reseller": {"name": "R1", "contact_email": "r1@r.example", "admins": [
            {"email": "a@r1.example", "name": "A", "role": "reseller_admin", "password": "generate"}]},
            "tenants": [{"slug": "mfst", "name": "M", "plan": "essentiel", "users": [
            {"email": "boss@m.example", "name": "Boss", "role": "tenant_admin", "password": "generate"}]}]})";
        CPPUNIT_ASSERT_EQUAL(std::string(), applyManifest(base));
        auto error = applyManifest(R"({"reseller": {"name": "R1", "contact_email": "r1@r.example", "admins": [
            {"email": "a@r1.example", "name": "A", "role": "operator"}]}})");
        CPPUNIT_ASSERT_MESSAGE(error, error.find("role") != std::string::npos);
        error = applyManifest(R"({"reseller": {"name": "R1", "contact_email": "r1@r.example"},
            "tenants": [{"slug": "mfst", "name": "M", "plan": "essentiel", "modules": {"branding": true}}]})");
        CPPUNIT_ASSERT_MESSAGE(error, error.find("branding") != std::string::npos);
        error = applyManifest(R"({"reseller": {"name": "R1", "contact_email": "r1@r.example"},
            "tenants": [{"slug": "mfst", "name": "M", "plan": "essentiel", "modules": {"nimportequoi": false}}]})");
        CPPUNIT_ASSERT_MESSAGE(error, error.find("nimportequoi") != std::string::npos);
        // Another reseller cannot take R1's admin over, nor R1's tenant.
        error = applyManifest(R"({"reseller": {"name": "R2", "contact_email": "r2@r.example", "admins": [
            {"email": "a@r1.example", "name": "A", "role": "reseller_admin"}]}})");
        CPPUNIT_ASSERT_MESSAGE(error, error.find("another reseller") != std::string::npos);
        error = applyManifest(R"({"reseller": {"name": "R2", "contact_email": "r2@r.example"},
            "tenants": [{"slug": "mfst", "name": "M", "plan": "essentiel"}]})");
        CPPUNIT_ASSERT_MESSAGE(error, error.find("another reseller") != std::string::npos);
        // Demoting the tenant's only admin is refused as it is through the API.
        error = applyManifest(R"({"reseller": {"name": "R1", "contact_email": "r1@r.example"},
            "tenants": [{"slug": "mfst", "name": "M", "plan": "essentiel", "users": [
            {"email": "boss@m.example", "name": "Boss", "role": "user"}]}]})");
        CPPUNIT_ASSERT_MESSAGE(error, error.find("administrator") != std::string::npos);
        // None of the refused manifests changed anything.
        auto rows = rt().database().query("SELECT role FROM users WHERE email = ?", {"boss@m.example"});
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_admin"), rows[0].getString("role"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0},
                             rt().database().query("SELECT COUNT(*) AS n FROM resellers WHERE name = 'R2'")[0].getInt("n"));
        CPPUNIT_ASSERT_EQUAL(std::string(), applyManifest(base));  // and the good one is still idempotent
    }

    // A reseller turns a trial into a paying tenant before its end.
    void aTrialCanBeActivatedBeforeItsEnd() {
        start();
        const std::string op = loginOperator();
        auto t = createTenant(rt(), "essai-client", "essai");
        rt().database().execute("UPDATE tenants SET state = 'trial', trial_ends_at = ? WHERE id = ?",
                                {static_cast<long long>(relais::nowMs() + 86400000LL), t.id});
        rt().database().execute("UPDATE tenancy_epoch SET value = value + 1 WHERE id = 1");
        auto r = call(port(), "localhost", op, "POST", "/api/v1/tenants/" + t.id + "/activate");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto body = json(r);
        CPPUNIT_ASSERT_EQUAL(std::string("active"), body->getValue<std::string>("state"));
        CPPUNIT_ASSERT(body->isNull("trial_ends_at"));
        CPPUNIT_ASSERT_EQUAL(200, call(port(), "localhost", op, "POST", "/api/v1/tenants/" + t.id + "/activate").status);
        CPPUNIT_ASSERT_EQUAL(200, call(port(), "localhost", op, "POST", "/api/v1/tenants/" + t.id + "/terminate").status);
        r = call(port(), "localhost", op, "POST", "/api/v1/tenants/" + t.id + "/activate");
        CPPUNIT_ASSERT_EQUAL(409, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_state"), problemCode(r));
    }

    void setUp() override {
        dir_ = std::make_unique<TempDir>();
        db_ = std::make_unique<TestDatabase>();
    }
    void tearDown() override {
        server_.reset();
        db_.reset();
        dir_.reset();
    }

    // 1. The whole chain over HTTP, and the invited tenant admin's first login.
    void theOperatorCreatesAResellerWhoseAdminCreatesATenant() {
        start(withMail({}));
        const std::string op = loginOperator();
        const std::string resellerAdmin = unique("revendeur-") + "@partenaire.example";

        Object reseller, admin;
        reseller.set("name", "Partenaire Informatique");
        reseller.set("contact_email", "contact@partenaire.example");
        admin.set("email", resellerAdmin);
        admin.set("name", "Robert Revendeur");
        admin.set("password", kPassword);
        reseller.set("admin", admin);
        auto created = call(port(), "localhost", op, "POST", "/api/v1/resellers", text(reseller));
        expectStatus(201, created, "POST /api/v1/resellers");
        const std::string resellerId = str(json(created), "id");
        CPPUNIT_ASSERT(!resellerId.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("Partenaire Informatique"), str(json(created), "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("active"), str(json(created), "state"));

        auto duplicate = call(port(), "localhost", op, "POST", "/api/v1/resellers", text(reseller));
        expectProblem(409, "name_taken", duplicate, "a second reseller of the same name");

        const std::string r = login(port(), "localhost", resellerAdmin).token;
        reseller.set("name", "Autre Partenaire");
        admin.set("email", unique("autre-") + "@partenaire.example");
        reseller.set("admin", admin);
        expectProblem(403, "forbidden",
                      call(port(), "localhost", r, "POST", "/api/v1/resellers", text(reseller)),
                      "a reseller admin creating a reseller");
        expectProblem(401, "unauthenticated",
                      call(port(), "localhost", "", "POST", "/api/v1/resellers", text(reseller)),
                      "an anonymous caller creating a reseller");

        const std::string tag = unique("");
        const std::string tenantAdmin = "claire.martin." + tag + "@client.example";
        Object tenant, contact, tadmin;
        tenant.set("slug", "acme");
        tenant.set("name", "Acme Conseil");
        tenant.set("plan", "pro");
        tenant.set("siren", "732829320");
        contact.set("name", "Claire Martin");
        contact.set("email", "compta@client.example");
        contact.set("phone", "+33 1 23 45 67 89");
        tenant.set("contact", contact);
        tadmin.set("email", "Claire.Martin." + tag + "@Client.Example");
        tadmin.set("name", "Claire Martin");
        tenant.set("admin", tadmin);
        auto t = call(port(), "localhost", r, "POST", "/api/v1/tenants", text(tenant));
        expectStatus(201, t, "POST /api/v1/tenants by the reseller admin");
        auto tj = json(t);
        const std::string tenantId = str(tj, "id");
        CPPUNIT_ASSERT(!tenantId.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(tj, "slug"));
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Conseil"), str(tj, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("active"), str(tj, "state"));
        CPPUNIT_ASSERT_EQUAL(std::string("pro"), str(tj, "plan"));
        CPPUNIT_ASSERT_EQUAL(resellerId, str(tj, "reseller_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("732829320"), str(tj, "siren"));
        CPPUNIT_ASSERT_EQUAL(std::string("compta@client.example"),
                             str(tj->getObject("contact"), "email"));
        auto hostnames = tj->getArray("hostnames");
        CPPUNIT_ASSERT_MESSAGE(t.body, hostnames && hostnames->size() == 1);
        CPPUNIT_ASSERT_EQUAL(std::string("acme.localhost"), hostnames->get(0).toString());
        auto adminOut = tj->getObject("admin");
        CPPUNIT_ASSERT_MESSAGE(t.body, adminOut);
        CPPUNIT_ASSERT(!str(adminOut, "id").empty());
        CPPUNIT_ASSERT_EQUAL(tenantAdmin, str(adminOut, "email"));  // normalised to lower case
        CPPUNIT_ASSERT_MESSAGE("no password was asked for: none is returned",
                               !adminOut->has("password"));

        // The reseller sees it; the tenant host answers.
        CPPUNIT_ASSERT(itemValues(call(port(), "localhost", r, "GET", "/api/v1/tenants"), "slug") ==
                       std::vector<std::string>{"acme"});
        expectStatus(200, call(port(), "acme.localhost", "", "GET", "/api/v1/plans"),
                     "the new tenant's host");

        // The invitation: French, then English, with a link on the tenant's host.
        const std::string mail = waitForMail(tenantAdmin, "invitation?token=");
        expectFrenchThenEnglish(mail,
                                "Un compte Relais a été créé pour vous au sein de Acme Conseil",
                                "A Relais account was created for you at Acme Conseil");
        CPPUNIT_ASSERT_MESSAGE(mail, contains(mail, "http://acme.localhost/invitation?token="));
        const std::string token = tokenIn(mail, "invitation");

        // No password yet: no login.
        Object creds;
        creds.set("email", tenantAdmin);
        creds.set("password", kPassword);
        expectProblem(401, "invalid_credentials",
                      call(port(), "acme.localhost", "", "POST", "/api/v1/auth/login", text(creds)),
                      "the invited admin before accepting");
        Object accept;
        accept.set("token", token);
        accept.set("password", kPassword);
        expectStatus(204,
                     call(port(), "acme.localhost", "", "POST", "/api/v1/auth/invitation/accept",
                          text(accept)),
                     "accepting the invitation");
        expectProblem(410, "link_expired",
                      call(port(), "acme.localhost", "", "POST", "/api/v1/auth/invitation/accept",
                           text(accept)),
                      "the invitation link a second time");
        const std::string a = login(port(), "acme.localhost", tenantAdmin).token;
        auto me = json(call(port(), "acme.localhost", a, "GET", "/api/v1/me"));
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_admin"), str(me, "role"));
        CPPUNIT_ASSERT_EQUAL(tenantId, str(me, "tenant_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(me->getObject("tenant"), "slug"));
        // A tenant's account is not a platform account.
        expectProblem(401, "invalid_credentials",
                      call(port(), "localhost", "", "POST", "/api/v1/auth/login", text(creds)),
                      "the tenant admin on the platform host");
    }

    // 2. Each bad field gets its own precise answer, and a refused tenant leaves nothing behind.
    void badTenantInputGetsPreciseAnswers() {
        start();
        const std::string op = loginOperator();
        const TenantRef taken = createTenant(rt(), "taken");
        const std::string rs = taken.resellerId;

        for (const char* reserved : {"www", "api", "admin", "mail"})
            expectInvalidField("slug", postTenant(op, rs, reserved),
                               std::string("the reserved slug ") + reserved);
        expectInvalidField("slug", postTenant(op, rs, "Acme"), "an upper-case slug");
        expectInvalidField("slug", postTenant(op, rs, "ab"), "a 2-character slug");
        expectInvalidField("slug", postTenant(op, rs, std::string(41, 'a')), "a 41-character slug");
        expectInvalidField("slug", postTenant(op, rs, "-acme"), "a slug with a leading dash");
        expectInvalidField("slug", postTenant(op, rs, "ac_me"), "a slug with an underscore");
        expectProblem(409, "slug_taken", postTenant(op, rs, "taken"), "a taken slug");

        auto siren = [](const std::string& v) { return [v](Object& b) { b.set("siren", v); }; };
        expectInvalidField("siren", postTenant(op, rs, "siren-key", siren("732829321")),
                           "a SIREN with a wrong key");
        expectInvalidField("siren", postTenant(op, rs, "siren-short", siren("73282932")),
                           "an 8-digit SIREN");
        auto good = postTenant(op, rs, "siren-ok", siren("732 829 320"));
        expectStatus(201, good, "a valid SIREN written with spaces");
        CPPUNIT_ASSERT_EQUAL(std::string("732829320"), str(json(good), "siren"));

        expectInvalidField("name",
                           postTenant(op, rs, "long-name",
                                      [](Object& b) { b.set("name", std::string(201, 'n')); }),
                           "a 201-character name");
        std::string accented;
        for (int i = 0; i < 200; ++i)
            accented += "\xc3\xa9";  // 200 characters, 400 bytes
        auto longest =
            postTenant(op, rs, "longest-name", [&](Object& b) { b.set("name", accented); });
        expectStatus(201, longest, "a 200-character name of two-byte characters");
        CPPUNIT_ASSERT_EQUAL(accented, str(json(longest), "name"));

        expectInvalidField(
            "plan", postTenant(op, rs, "no-plan", [](Object& b) { b.set("plan", "platine"); }),
            "an unknown plan");
        expectInvalidField("admin",
                           postTenant(op, rs, "no-admin", [](Object& b) { b.remove("admin"); }),
                           "a tenant without its admin");
        expectInvalidField(
            "reseller_id",
            postTenant(op, rs, "no-reseller", [](Object& b) { b.set("reseller_id", "rs_nope"); }),
            "the operator naming an unknown reseller");
        expectProblem(400, "invalid_json",
                      call(port(), "localhost", op, "POST", "/api/v1/tenants", "{\"slug\": \"x\","),
                      "malformed JSON");

        auto hostnames = [](const std::string& h) {
            return [h](Object& b) {
                Array a;
                a.add(h);
                b.set("hostnames", a);
            };
        };
        expectInvalidField("hostnames",
                           postTenant(op, rs, "own-domain", hostnames("files.localhost")),
                           "a host name under the platform domain");
        expectInvalidField("hostnames", postTenant(op, rs, "bare-domain", hostnames("localhost")),
                           "the platform domain itself");
        Object patch;
        Array taken_hosts;
        taken_hosts.add("files.taken.example");
        patch.set("hostnames", taken_hosts);
        expectStatus(
            200, call(port(), "localhost", op, "PATCH", "/api/v1/tenants/" + taken.id, text(patch)),
            "a custom host name for the first tenant");
        expectProblem(409, "hostname_taken",
                      postTenant(op, rs, "second", hostnames("files.taken.example")),
                      "a host name of another tenant");

        // Only the three accepted tenants exist: no refused one was half created.
        auto list = call(port(), "localhost", op, "GET", "/api/v1/tenants");
        expectStatus(200, list, "the list of tenants");
        CPPUNIT_ASSERT((itemValues(list, "slug") ==
                        std::vector<std::string>{"longest-name", "siren-ok", "taken"}));
        expectProblem(404, "unknown_host",
                      call(port(), "second.localhost", "", "GET", "/api/v1/plans"),
                      "the host of a refused tenant");
    }

    // 3. A reseller sees and changes only its own tenants; the operator sees all.
    void aResellerSeesOnlyItsOwnTenants() {
        start();
        const std::string op = loginOperator();
        const TenantRef alpha = createTenant(rt(), "alpha", "pro", "Revendeur Un");
        createTenant(rt(), "bravo", "pro", "Revendeur Un");
        const TenantRef charlie = createTenant(rt(), "charlie", "pro", "Revendeur Deux");
        createUser(rt(), "", "reseller_admin", "un@revendeur.example", alpha.resellerId);
        createUser(rt(), "", "reseller_admin", "deux@revendeur.example", charlie.resellerId);
        const std::string r1 = login(port(), "localhost", "un@revendeur.example").token;
        const std::string r2 = login(port(), "localhost", "deux@revendeur.example").token;

        const std::string path = "/api/v1/tenants/" + alpha.id;
        expectProblem(404, "not_found", call(port(), "localhost", r2, "GET", path),
                      "R2 reading R1's tenant");
        expectProblem(404, "not_found",
                      call(port(), "localhost", r2, "PATCH", path, "{\"name\":\"Volé\"}"),
                      "R2 renaming R1's tenant");
        expectProblem(404, "not_found", call(port(), "localhost", r2, "POST", path + "/suspend"),
                      "R2 suspending R1's tenant");
        expectProblem(404, "not_found", call(port(), "localhost", r2, "POST", path + "/terminate"),
                      "R2 terminating R1's tenant");
        expectProblem(404, "not_found", call(port(), "localhost", r2, "GET", path + "/usage"),
                      "R2 reading R1's tenant's usage");
        // An unknown id answers the same.
        expectProblem(404, "not_found",
                      call(port(), "localhost", r2, "GET", "/api/v1/tenants/tn_nope"),
                      "an unknown tenant");
        // Nothing happened to it.
        auto seen = json(call(port(), "localhost", r1, "GET", path));
        CPPUNIT_ASSERT_EQUAL(std::string("active"), str(seen, "state"));
        CPPUNIT_ASSERT_EQUAL(std::string("Organisation alpha"), str(seen, "name"));
        // R2 cannot create a tenant for R1 either.
        Object body, admin;
        body.set("slug", "delta");
        body.set("name", "Delta");
        body.set("plan", "pro");
        body.set("reseller_id", alpha.resellerId);
        admin.set("email", "admin@delta.example");
        admin.set("name", "Admin");
        body.set("admin", admin);
        expectInvalidField("reseller_id",
                           call(port(), "localhost", r2, "POST", "/api/v1/tenants", text(body)),
                           "R2 creating a tenant under R1");

        using V = std::vector<std::string>;
        CPPUNIT_ASSERT((itemValues(call(port(), "localhost", r2, "GET", "/api/v1/tenants"),
                                   "slug") == V{"charlie"}));
        CPPUNIT_ASSERT((itemValues(call(port(), "localhost", r2, "GET",
                                        "/api/v1/tenants?reseller_id=" + alpha.resellerId),
                                   "slug") == V{"charlie"}));
        CPPUNIT_ASSERT((itemValues(call(port(), "localhost", r1, "GET", "/api/v1/tenants"),
                                   "slug") == V{"alpha", "bravo"}));
        CPPUNIT_ASSERT((itemValues(call(port(), "localhost", op, "GET", "/api/v1/tenants"),
                                   "slug") == V{"alpha", "bravo", "charlie"}));
        CPPUNIT_ASSERT((itemValues(call(port(), "localhost", op, "GET",
                                        "/api/v1/tenants?reseller_id=" + charlie.resellerId),
                                   "slug") == V{"charlie"}));
        CPPUNIT_ASSERT((itemValues(call(port(), "localhost", op, "GET", "/api/v1/tenants?q=brav"),
                                   "slug") == V{"bravo"}));
        CPPUNIT_ASSERT(
            (itemValues(call(port(), "localhost", op, "GET", "/api/v1/tenants?q=Organisation"),
                        "slug") == V{"alpha", "bravo", "charlie"}));
        CPPUNIT_ASSERT(
            (itemValues(call(port(), "localhost", op, "GET", "/api/v1/tenants?q=%25"), "slug")
                 .empty()));
        CPPUNIT_ASSERT(
            (itemValues(call(port(), "localhost", r2, "GET", "/api/v1/tenants?q=alpha"), "slug")
                 .empty()));

        // One at a time.
        V slugs;
        std::string cursor;
        for (int page = 0; page < 5; ++page) {
            auto r = call(port(), "localhost", op, "GET",
                          "/api/v1/tenants?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor));
            expectStatus(200, r, "page " + std::to_string(page));
            const V items = itemValues(r, "slug");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::size_t{1}, items.size());
            slugs.push_back(items[0]);
            cursor = str(json(r), "next_cursor");
            if (cursor.empty())
                break;
        }
        CPPUNIT_ASSERT((slugs == V{"alpha", "bravo", "charlie"}));
        expectInvalidField("cursor",
                           call(port(), "localhost", op, "GET", "/api/v1/tenants?cursor=bogus"),
                           "a bad cursor");
        expectInvalidField("limit", call(port(), "localhost", op, "GET", "/api/v1/tenants?limit=0"),
                           "limit=0");
    }

    // 4. Name, plan (not below the users it has), host names, and a body naming another tenant.
    void patchingATenant() {
        start();
        const std::string op = loginOperator();
        const TenantRef acme = createTenant(rt(), "acme");
        const TenantRef other = createTenant(rt(), "other");
        createUser(rt(), acme.id, "tenant_admin", "admin@acme.example");
        for (int i = 1; i <= 3; ++i)
            inviteUser(rt(), acme.id, "invite" + std::to_string(i) + "@acme.example");
        const std::string path = "/api/v1/tenants/" + acme.id;

        auto renamed = call(port(), "localhost", op, "PATCH", path, "{\"name\":\"Acme Avocats\"}");
        expectStatus(200, renamed, "renaming");
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Avocats"), str(json(renamed), "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Avocats"),
                             str(json(call(port(), "localhost", op, "GET", path)), "name"));

        // 4 users: not on "essai" (3 licences); "essentiel" (5) is fine.
        expectProblem(409, "plan_too_small",
                      call(port(), "localhost", op, "PATCH", path, "{\"plan\":\"essai\"}"),
                      "a plan with fewer licences than users");
        CPPUNIT_ASSERT_EQUAL(std::string("pro"),
                             str(json(call(port(), "localhost", op, "GET", path)), "plan"));
        auto smaller = call(port(), "localhost", op, "PATCH", path, "{\"plan\":\"essentiel\"}");
        expectStatus(200, smaller, "a plan with enough licences");
        CPPUNIT_ASSERT_EQUAL(std::string("essentiel"), str(json(smaller), "plan"));
        auto usage = json(call(port(), "localhost", op, "GET", path + "/usage"));
        CPPUNIT_ASSERT_EQUAL(std::string("4"), str(usage, "users"));
        CPPUNIT_ASSERT_EQUAL(std::string("5"), str(usage, "licences"));
        CPPUNIT_ASSERT_EQUAL(std::string("100000000000"), str(usage, "storage_bytes_quota"));
        expectInvalidField("plan",
                           call(port(), "localhost", op, "PATCH", path, "{\"plan\":\"platine\"}"),
                           "an unknown plan");

        // A custom host name serves the tenant to its users.
        const std::string a = login(port(), "acme.localhost", "admin@acme.example").token;
        auto hosted = call(port(), "localhost", op, "PATCH", path,
                           "{\"hostnames\":[\"Files.Client.Example\"]}");
        expectStatus(200, hosted, "adding a host name");
        auto hosts = json(hosted)->getArray("hostnames");
        CPPUNIT_ASSERT_MESSAGE(hosted.body, hosts && hosts->size() == 2);
        CPPUNIT_ASSERT_EQUAL(std::string("acme.localhost"), hosts->get(0).toString());
        CPPUNIT_ASSERT_EQUAL(kCustomHost, hosts->get(1).toString());
        auto me = call(port(), kCustomHost, a, "GET", "/api/v1/me");
        expectStatus(200, me, "GET /api/v1/me on the custom host");
        CPPUNIT_ASSERT_EQUAL(acme.id, str(json(me)->getObject("tenant"), "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Avocats"),
                             str(json(me)->getObject("tenant"), "name"));
        expectProblem(409, "hostname_taken",
                      call(port(), "localhost", op, "PATCH", "/api/v1/tenants/" + other.id,
                           "{\"hostnames\":[\"files.client.example\"]}"),
                      "another tenant taking the host name");
        auto removed = call(port(), "localhost", op, "PATCH", path, "{\"hostnames\":[]}");
        expectStatus(200, removed, "removing the host name");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, json(removed)->getArray("hostnames")->size());
        // (At once on this node: see aHostNameChangeTakesEffectAtOnceOnThisNode.)
        waitUntil(
            [&] {
                return problemCode(call(port(), kCustomHost, a, "GET", "/api/v1/me")) ==
                       "unknown_host";
            },
            3000, "the removed host name to stop serving the tenant");

        // The body's tenant_id must be the path's.
        auto mismatch = call(port(), "localhost", op, "PATCH", path,
                             "{\"tenant_id\":\"" + other.id + "\",\"name\":\"Détourné\"}");
        expectProblem(400, "tenant_mismatch", mismatch, "a body naming another tenant");
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Avocats"),
                             str(json(call(port(), "localhost", op, "GET", path)), "name"));
        expectStatus(200,
                     call(port(), "localhost", op, "PATCH", path,
                          "{\"tenant_id\":\"" + acme.id + "\",\"name\":\"Acme\"}"),
                     "a body naming the same tenant");
    }

    // 4b. config/relais.properties (tenancy.cache_ttl_ms): "A change made on this node takes effect
    // at once". A host name added or removed with PATCH /api/v1/tenants/{id} must serve (or stop
    // serving) at once, even when the host was looked up before; the long TTL makes it certain
    // that only an invalidation, not the periodic epoch check, can make it so.
    void aHostNameChangeTakesEffectAtOnceOnThisNode() {
        start({{"tenancy.cache_ttl_ms", "60000"}});
        const std::string op = loginOperator();
        const TenantRef acme = createTenant(rt(), "acme");
        createUser(rt(), acme.id, "user", "user@acme.example");
        const std::string u = login(port(), "acme.localhost", "user@acme.example").token;
        const std::string path = "/api/v1/tenants/" + acme.id;
        expectProblem(404, "unknown_host", call(port(), kCustomHost, u, "GET", "/api/v1/me"),
                      "the host before it is added");
        expectStatus(200,
                     call(port(), "localhost", op, "PATCH", path,
                          "{\"hostnames\":[\"" + kCustomHost + "\"]}"),
                     "adding the host name");
        expectStatus(200, call(port(), kCustomHost, u, "GET", "/api/v1/me"),
                     "the host name just added, on the same node");
        expectStatus(200, call(port(), "localhost", op, "PATCH", path, "{\"hostnames\":[]}"),
                     "removing the host name");
        expectProblem(404, "unknown_host", call(port(), kCustomHost, u, "GET", "/api/v1/me"),
                      "the host name just removed, on the same node");
    }

    // 5. Suspend, resume, reseller cascade, terminate; each step in the platform journal.
    void suspendResumeAndTerminate() {
        start();
        const std::string op = loginOperator();
        const TenantRef acme = createTenant(rt(), "acme");
        const TenantRef bolt = createTenant(rt(), "bolt");
        createUser(rt(), "", "reseller_admin", "revendeur@revendeur.example", acme.resellerId);
        createUser(rt(), acme.id, "tenant_admin", "admin@acme.example");
        createUser(rt(), acme.id, "user", "user@acme.example");
        const std::string r = login(port(), "localhost", "revendeur@revendeur.example").token;
        const std::string user = login(port(), "acme.localhost", "user@acme.example").token;
        const std::string t = "/api/v1/tenants/" + acme.id;
        const std::string credentials =
            std::string("{\"email\":\"user@acme.example\",\"password\":\"") + kPassword + "\"}";

        // Suspend with a reason: the host refuses everything, even a login.
        auto suspended = call(port(), "localhost", r, "POST", t + "/suspend",
                              "{\"reason\":\"Facture impayée\"}");
        expectStatus(200, suspended, "suspending");
        CPPUNIT_ASSERT_EQUAL(std::string("suspended"), str(json(suspended), "state"));
        CPPUNIT_ASSERT_EQUAL(std::string("Facture impayée"),
                             str(json(suspended), "suspended_reason"));
        expectProblem(403, "tenant_suspended",
                      call(port(), "acme.localhost", user, "GET", "/api/v1/me"),
                      "a user of a suspended tenant");
        expectProblem(403, "tenant_suspended",
                      call(port(), "acme.localhost", "", "POST", "/api/v1/auth/login", credentials),
                      "a login on a suspended tenant");
        expectStatus(200, call(port(), "localhost", r, "POST", t + "/suspend"), "suspending twice");

        // Resume: the same session works again.
        auto resumed = call(port(), "localhost", r, "POST", t + "/resume");
        expectStatus(200, resumed, "resuming");
        CPPUNIT_ASSERT_EQUAL(std::string("active"), str(json(resumed), "state"));
        CPPUNIT_ASSERT_EQUAL(std::string(), str(json(resumed), "suspended_reason"));
        expectStatus(200, call(port(), "acme.localhost", user, "GET", "/api/v1/me"),
                     "the user's session after resuming");
        CPPUNIT_ASSERT_EQUAL(
            std::string("2"),
            str(json(call(port(), "localhost", op, "GET", t + "/usage")), "users"));

        // The reseller: only the operator suspends it; its active tenants follow it.
        expectStatus(
            200, call(port(), "localhost", r, "POST", "/api/v1/tenants/" + bolt.id + "/suspend"),
            "bolt suspended on its own");
        const std::string rs = "/api/v1/resellers/" + acme.resellerId;
        expectProblem(403, "forbidden", call(port(), "localhost", r, "POST", rs + "/suspend"),
                      "a reseller admin suspending its reseller");
        auto rsSuspended =
            call(port(), "localhost", op, "POST", rs + "/suspend", "{\"reason\":\"contrat échu\"}");
        expectStatus(200, rsSuspended, "suspending the reseller");
        CPPUNIT_ASSERT_EQUAL(std::string("suspended"), str(json(rsSuspended), "state"));
        expectProblem(403, "tenant_suspended",
                      call(port(), "acme.localhost", user, "GET", "/api/v1/me"),
                      "a tenant of a suspended reseller");
        expectProblem(403, "reseller_suspended",
                      call(port(), "localhost", r, "GET", "/api/v1/tenants"),
                      "the admin of a suspended reseller listing tenants");
        expectProblem(403, "reseller_suspended",
                      call(port(), "localhost", r, "POST", t + "/resume"),
                      "the admin of a suspended reseller resuming a tenant");
        expectProblem(409, "reseller_suspended",
                      call(port(), "localhost", op, "POST", t + "/resume"),
                      "resuming a tenant whose reseller is suspended");

        expectStatus(200, call(port(), "localhost", op, "POST", rs + "/resume"),
                     "resuming the reseller");
        expectStatus(200, call(port(), "acme.localhost", user, "GET", "/api/v1/me"),
                     "acme, resumed with its reseller");
        CPPUNIT_ASSERT_EQUAL(std::string("active"),
                             str(json(call(port(), "localhost", op, "GET", t)), "state"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("suspended"),
            str(json(call(port(), "localhost", op, "GET", "/api/v1/tenants/" + bolt.id)), "state"));
        expectProblem(403, "tenant_suspended",
                      call(port(), "bolt.localhost", "", "GET", "/api/v1/plans"),
                      "bolt, suspended before its reseller");
        expectStatus(200, call(port(), "localhost", r, "GET", "/api/v1/tenants"),
                     "the reseller admin once resumed");

        // Terminate: users are out, admins may still take the export.
        auto terminated = call(port(), "localhost", r, "POST", t + "/terminate");
        expectStatus(200, terminated, "terminating");
        CPPUNIT_ASSERT_EQUAL(std::string("terminated"), str(json(terminated), "state"));
        const std::string terminatedAt = str(json(terminated), "terminated_at");
        CPPUNIT_ASSERT(!terminatedAt.empty() && !str(json(terminated), "export_until").empty());
        expectProblem(403, "tenant_terminated",
                      call(port(), "acme.localhost", user, "GET", "/api/v1/me/sessions"),
                      "a user of a terminated tenant");
        expectProblem(403, "tenant_terminated",
                      call(port(), "acme.localhost", "", "POST", "/api/v1/auth/login", credentials),
                      "a user logging in to a terminated tenant");
        const std::string admin = login(port(), "acme.localhost", "admin@acme.example").token;
        auto exported = call(port(), "acme.localhost", admin, "GET", "/api/v1/admin/export");
        expectStatus(200, exported, "the export of a terminated tenant");
        CPPUNIT_ASSERT_EQUAL(std::string("PK"), exported.body.substr(0, 2));
        expectProblem(403, "tenant_terminated",
                      call(port(), "acme.localhost", admin, "GET", "/api/v1/admin/users"),
                      "an admin of a terminated tenant outside the export");
        auto again = call(port(), "localhost", r, "POST", t + "/terminate");
        expectStatus(200, again, "terminating twice");
        CPPUNIT_ASSERT_EQUAL(std::string("terminated"), str(json(again), "state"));
        CPPUNIT_ASSERT_EQUAL(terminatedAt, str(json(again), "terminated_at"));
        expectProblem(409, "invalid_state", call(port(), "localhost", op, "POST", t + "/resume"),
                      "resuming a terminated tenant");
        expectProblem(409, "invalid_state", call(port(), "localhost", op, "POST", t + "/suspend"),
                      "suspending a terminated tenant");
        expectProblem(409, "invalid_state",
                      call(port(), "localhost", op, "PATCH", t, "{\"name\":\"X\"}"),
                      "renaming a terminated tenant");

        // The platform journal holds every step, and its chain is intact.
        CPPUNIT_ASSERT_EQUAL(std::size_t{2},
                             journalEntries(port(), op, "tenant.suspended", acme.id).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             journalEntries(port(), op, "tenant.suspended", bolt.id).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2},
                             journalEntries(port(), op, "tenant.resumed", acme.id).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{0},
                             journalEntries(port(), op, "tenant.resumed", bolt.id).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             journalEntries(port(), op, "tenant.terminated", acme.id).size());
        auto rsSusp = journalEntries(port(), op, "reseller.suspended", acme.resellerId);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, rsSusp.size());
        CPPUNIT_ASSERT_EQUAL(std::string("1"),
                             str(rsSusp[0]->getObject("details"), "tenants_suspended"));
        auto rsRes = journalEntries(port(), op, "reseller.resumed", acme.resellerId);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, rsRes.size());
        CPPUNIT_ASSERT_EQUAL(std::string("1"),
                             str(rsRes[0]->getObject("details"), "tenants_resumed"));
        std::set<std::string> reasons;
        for (const auto& e : journalEntries(port(), op, "tenant.suspended", acme.id)) {
            reasons.insert(str(e->getObject("details"), "reason"));
            if (str(e->getObject("details"), "reason") == "Facture impayée") {
                CPPUNIT_ASSERT_EQUAL(std::string("reseller_admin"),
                                     str(e->getObject("actor"), "type"));
                CPPUNIT_ASSERT_EQUAL(std::string("revendeur@revendeur.example"),
                                     str(e->getObject("actor"), "email"));
            }
        }
        CPPUNIT_ASSERT((reasons == std::set<std::string>{"Facture impayée", "reseller_suspended"}));
        auto verify = call(port(), "localhost", op, "GET", "/api/v1/platform/journal/verify");
        expectStatus(200, verify, "verifying the platform journal");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(verify.body, std::string("true"), str(json(verify), "ok"));
        expectProblem(403, "forbidden",
                      call(port(), "localhost", r, "GET", "/api/v1/platform/journal"),
                      "a reseller admin reading the platform journal");
    }

    // 5b. While a reseller is suspended, the operator suspends one of its tenants on its own (an
    // abuse, say): the call answers 200 "suspended", so resuming the reseller must not resume it.
    void anOperatorSuspensionDuringTheResellersIsNotUndoneByItsResume() {
        start();
        const std::string op = loginOperator();
        const TenantRef acme = createTenant(rt(), "acme");
        const std::string rs = "/api/v1/resellers/" + acme.resellerId;
        expectStatus(200, call(port(), "localhost", op, "POST", rs + "/suspend"),
                     "suspending the reseller");
        auto own = call(port(), "localhost", op, "POST", "/api/v1/tenants/" + acme.id + "/suspend",
                        "{\"reason\":\"abus signalé\"}");
        expectStatus(200, own, "suspending the tenant on its own");
        CPPUNIT_ASSERT_EQUAL(std::string("suspended"), str(json(own), "state"));
        expectStatus(200, call(port(), "localhost", op, "POST", rs + "/resume"),
                     "resuming the reseller");
        auto after = json(call(port(), "localhost", op, "GET", "/api/v1/tenants/" + acme.id));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            "the tenant the operator suspended on its own was resumed with its reseller",
            std::string("suspended"), str(after, "state"));
        CPPUNIT_ASSERT_EQUAL(std::string("abus signalé"), str(after, "suspended_reason"));
    }

    // 6. Usage of a tenant, and the plan catalogue with its prices.
    void usageAndPlanCatalogue() {
        start();
        const std::string op = loginOperator();
        const TenantRef acme = createTenant(rt(), "acme", "essentiel");
        inviteUser(rt(), acme.id, "un@acme.example");
        inviteUser(rt(), acme.id, "deux@acme.example");
        auto& files = rt().fileStore();
        const std::string fileId = files.createFile(acme.id);
        const std::string content(12345, 'x');
        auto w = files.append(acme.id, fileId, static_cast<std::int64_t>(content.size()));
        w->write(content.data(), content.size());
        w->commit();
        files.seal(acme.id, fileId);

        auto usage = call(port(), "localhost", op, "GET", "/api/v1/tenants/" + acme.id + "/usage");
        expectStatus(200, usage, "usage");
        auto u = json(usage);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), str(u, "users"));
        CPPUNIT_ASSERT_EQUAL(std::string("5"), str(u, "licences"));
        CPPUNIT_ASSERT_EQUAL(std::string("12345"), str(u, "storage_bytes_used"));
        CPPUNIT_ASSERT_EQUAL(std::string("100000000000"), str(u, "storage_bytes_quota"));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), str(u, "transfers_30d"));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), str(u, "bytes_sent_30d"));
        expectProblem(401, "unauthenticated",
                      call(port(), "localhost", "", "GET", "/api/v1/tenants/" + acme.id + "/usage"),
                      "usage without a token");

        for (const std::string& host : std::vector<std::string>{"localhost", "acme.localhost"}) {
            auto plans = call(port(), host, "", "GET", "/api/v1/plans");
            expectStatus(200, plans, "the plan catalogue on " + host);
            auto list = jsonArray(plans);
            std::vector<std::string> ids;
            Object::Ptr pro;
            for (std::size_t i = 0; i < list->size(); ++i) {
                auto p = list->getObject(static_cast<unsigned>(i));
                ids.push_back(str(p, "id"));
                if (str(p, "id") == "pro")
                    pro = p;
            }
            CPPUNIT_ASSERT((ids == std::vector<std::string>{"essai", "essentiel", "pro",
                                                            "entreprise", "sante"}));
            CPPUNIT_ASSERT(pro);
            CPPUNIT_ASSERT_EQUAL(std::string("Pro"), str(pro, "name"));
            CPPUNIT_ASSERT_EQUAL(std::string("25"), str(pro, "licences"));
            CPPUNIT_ASSERT_EQUAL(std::string("1000000000000"), str(pro, "storage_bytes"));
            CPPUNIT_ASSERT_EQUAL(std::size_t{3}, pro->getArray("modules")->size());
            auto prices = pro->getObject("prices");
            CPPUNIT_ASSERT_MESSAGE(plans.body, prices);
            CPPUNIT_ASSERT_EQUAL(std::string("19900"), str(prices, "monthly_cents"));
            CPPUNIT_ASSERT_EQUAL(std::string("199000"), str(prices, "annual_cents"));
            CPPUNIT_ASSERT_EQUAL(std::string("700"), str(prices, "extra_licence_cents"));
            CPPUNIT_ASSERT_EQUAL(std::string("12"), str(prices, "extra_gb_cents"));
            CPPUNIT_ASSERT_EQUAL(std::string("20"), str(prices, "vat_percent"));
        }
    }

    // 7. Unknown hosts, and X-Forwarded-Host believed only from a trusted proxy.
    void tenantsAreFoundByHostAndTrustedProxiesOnly() {
        std::string token;
        const std::map<std::string, std::string> forwarded = {
            {"X-Forwarded-Host", "acme.localhost"}};
        {
            start();
            const TenantRef acme = createTenant(rt(), "acme");
            createUser(rt(), acme.id, "user", "user@acme.example");
            token = login(port(), "acme.localhost", "user@acme.example").token;
            expectProblem(404, "unknown_host",
                          call(port(), "nowhere.example", "", "GET", "/api/v1/plans"),
                          "an unknown host");
            expectProblem(404, "unknown_host",
                          call(port(), "beta.localhost", "", "GET", "/api/v1/plans"),
                          "an unknown slug");
            expectProblem(404, "unknown_host",
                          call(port(), "www.acme.localhost", "", "GET", "/api/v1/plans"),
                          "a host below a tenant's");
            expectProblem(
                404, "unknown_host",
                call(port(), "nowhere.example", token, "GET", "/api/v1/me", "", "", forwarded),
                "X-Forwarded-Host from an untrusted peer");
            expectProblem(404, "not_found",
                          call(port(), "localhost", token, "GET", "/api/v1/me", "", "", forwarded),
                          "a tenant's token on the platform host, X-Forwarded-Host ignored");
            server_.reset();
        }
        start({{"http.trusted_proxies", "127.0.0.1/32"}});
        auto me = call(port(), "localhost", token, "GET", "/api/v1/me", "", "", forwarded);
        expectStatus(200, me, "X-Forwarded-Host from a trusted proxy");
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(json(me)->getObject("tenant"), "slug"));
        auto withPort = call(port(), "nowhere.example", token, "GET", "/api/v1/me", "", "",
                             {{"X-Forwarded-Host", "ACME.localhost:8443, proxy.internal"}});
        expectStatus(200, withPort, "X-Forwarded-Host with a port and a list");
        expectProblem(404, "unknown_host",
                      call(port(), "acme.localhost", "", "GET", "/api/v1/plans", "", "",
                           {{"X-Forwarded-Host", "nowhere.example"}}),
                      "a trusted proxy forwarding an unknown host");
    }

    // 8. Self-service trial: sign-up, confirmation mail, confirmation, operator notice.
    void aTrialSignUpIsConfirmedByMail() {
        const std::string trialReseller = "Essais " + unique("");
        start(withMail({{"tenancy.trial_reseller", trialReseller}, {"tenancy.trial_days", "14"}}));
        const std::string resellerId = createReseller(rt(), trialReseller);
        const std::string operatorEmail = unique("operateur-") + "@relais.example";
        const std::string op = loginOperator(operatorEmail);

        const std::string tag = unique("");
        const std::string email = "fondatrice." + tag + "@startup.example";
        const std::string slug = "startup-" + tag;
        const std::string password = "Essai-Gratuit-2026!";
        auto signup = [&](const std::function<void(Object&)>& edit) {
            Object b;
            b.set("email", "Fondatrice." + tag + "@Startup.Example");
            b.set("name", "Camille Fondatrice");
            b.set("company", "Startup " + tag);
            b.set("slug", slug);
            b.set("password", password);
            b.set("accept_terms", true);
            if (edit)
                edit(b);
            return call(port(), "localhost", "", "POST", "/api/v1/signup", text(b));
        };
        expectInvalidField("slug", signup([](Object& b) { b.set("slug", "www"); }),
                           "a reserved slug");
        expectInvalidField("slug", signup([](Object& b) { b.set("slug", "Startup"); }),
                           "an upper-case slug");
        auto weak = signup([](Object& b) { b.set("password", "faible"); });
        CPPUNIT_ASSERT_EQUAL_MESSAGE(weak.body, 400, weak.status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(weak.body, std::string("password"), errorField(weak));
        expectInvalidField("accept_terms", signup([](Object& b) { b.remove("accept_terms"); }),
                           "terms not accepted");
        expectInvalidField("accept_terms", signup([](Object& b) { b.set("accept_terms", false); }),
                           "terms refused");
        expectInvalidField("email", signup([](Object& b) { b.set("email", "pas-une-adresse"); }),
                           "a bad address");
        expectInvalidField("siren", signup([](Object& b) { b.set("siren", "732829321"); }),
                           "a bad SIREN");

        auto accepted = signup([](Object& b) { b.set("siren", "732 829 320"); });
        expectStatus(202, accepted, "a valid sign-up");
        const std::string mail = waitForMail(email, "signup/confirm?token=");
        expectFrenchThenEnglish(mail, "Pour ouvrir l'espace d'essai de Startup " + tag,
                                "To open the trial space of Startup " + tag);
        const std::string token = tokenIn(mail, "signup/confirm");
        expectProblem(404, "unknown_host",
                      call(port(), slug + ".localhost", "", "GET", "/api/v1/plans"),
                      "the slug before the confirmation");
        expectProblem(410, "link_expired",
                      call(port(), "localhost", "", "POST", "/api/v1/signup/confirm",
                           "{\"token\":\"" + token + "x\"}"),
                      "a wrong confirmation token");

        const std::int64_t before = relais::nowMs();
        auto confirmed = call(port(), "localhost", "", "POST", "/api/v1/signup/confirm",
                              "{\"token\":\"" + token + "\"}");
        const std::int64_t after = relais::nowMs();
        expectStatus(201, confirmed, "confirming the sign-up");
        auto t = json(confirmed);
        const std::string tenantId = str(t, "id");
        CPPUNIT_ASSERT_EQUAL(slug, str(t, "slug"));
        CPPUNIT_ASSERT_EQUAL("Startup " + tag, str(t, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("trial"), str(t, "state"));
        CPPUNIT_ASSERT_EQUAL(std::string("essai"), str(t, "plan"));
        CPPUNIT_ASSERT_EQUAL(std::string("732829320"), str(t, "siren"));
        CPPUNIT_ASSERT_EQUAL(resellerId, str(t, "reseller_id"));
        CPPUNIT_ASSERT_EQUAL(email, str(t->getObject("contact"), "email"));
        const std::int64_t ends = relais::parseRfc3339(str(t, "trial_ends_at"));
        const std::int64_t days14 = 14LL * 24 * 3600 * 1000;
        CPPUNIT_ASSERT_MESSAGE(confirmed.body,
                               ends >= before + days14 - 1000 && ends <= after + days14 + 1000);
        expectProblem(410, "link_expired",
                      call(port(), "localhost", "", "POST", "/api/v1/signup/confirm",
                           "{\"token\":\"" + token + "\"}"),
                      "the confirmation link a second time");
        const std::string notice = waitForMail(operatorEmail, "Slug : " + slug);
        CPPUNIT_ASSERT_MESSAGE(notice, contains(notice, "Startup " + tag));

        // The founder is the tenant's admin, with the password chosen at sign-up.
        const std::string founder = login(port(), slug + ".localhost", email, password).token;
        auto me = json(call(port(), slug + ".localhost", founder, "GET", "/api/v1/me"));
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_admin"), str(me, "role"));
        CPPUNIT_ASSERT_EQUAL(tenantId, str(me, "tenant_id"));
        // The slug is now taken for further sign-ups.
        expectProblem(409, "slug_taken",
                      signup([](Object& b) { b.set("email", "autre@startup.example"); }),
                      "a sign-up for a taken slug");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             journalEntries(port(), op, "tenant.created", tenantId).size());
    }

    // 8b. The end of a trial: the tenancy.trials job suspends it and tells its admin; resuming
    // it keeps it as a paying tenant. (The trial is made directly, not through sign-up, so that
    // this holds apart from the confirmation.)
    void anEndedTrialIsSuspendedAndItsAdminTold() {
        start(withMail({{"tenancy.trial_days", "14"}, {"tenancy.purge_interval_ms", "1000"}}));
        const std::string op = loginOperator();
        const std::string resellerId = createReseller(rt(), "Essais");
        const std::string tag = unique("");
        const std::string slug = "essai-" + tag;
        std::string tenantId;
        rt().database().transaction([&](relais::db::Connection& tx) {
            Object body;
            body.set("slug", slug);
            body.set("name", "Essai " + tag);
            body.set("plan", "essai");
            tenantId = rt().tenancy()
                           .provisioning()
                           .createTenant(tx, body, resellerId, "trial", testActor())
                           .id;
        });
        const std::string adminEmail = "admin." + tag + "@essai.example";
        createUser(rt(), tenantId, "tenant_admin", adminEmail);
        const std::string admin = login(port(), slug + ".localhost", adminEmail).token;
        auto trial = json(call(port(), "localhost", op, "GET", "/api/v1/tenants/" + tenantId));
        CPPUNIT_ASSERT_EQUAL(std::string("trial"), str(trial, "state"));
        const std::int64_t ends = relais::parseRfc3339(str(trial, "trial_ends_at"));
        CPPUNIT_ASSERT(std::llabs(ends - (relais::nowMs() + 14LL * 24 * 3600 * 1000)) < 60000);
        // A trial still running is left alone by the job.
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        expectStatus(200, call(port(), slug + ".localhost", admin, "GET", "/api/v1/me"),
                     "a running trial");

        rt().database().execute("UPDATE tenants SET trial_ends_at = ? WHERE id = ?",
                                {static_cast<long long>(relais::nowMs() - 60000), tenantId});
        waitUntil(
            [&] {
                return call(port(), slug + ".localhost", admin, "GET", "/api/v1/me").status == 403;
            },
            15000, "the tenancy.trials job to suspend the ended trial");
        expectProblem(403, "tenant_suspended",
                      call(port(), slug + ".localhost", admin, "GET", "/api/v1/me"),
                      "a tenant whose trial ended");
        auto ended = json(call(port(), "localhost", op, "GET", "/api/v1/tenants/" + tenantId));
        CPPUNIT_ASSERT_EQUAL(std::string("suspended"), str(ended, "state"));
        CPPUNIT_ASSERT_EQUAL(std::string("trial_ended"), str(ended, "suspended_reason"));
        const std::string endMail = waitForMail(adminEmail, "Fin de votre essai");
        expectFrenchThenEnglish(endMail, "L'essai de Essai " + tag + " a pris fin",
                                "The trial of Essai " + tag + " ended");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             journalEntries(port(), op, "tenant.suspended", tenantId).size());

        auto resumed =
            call(port(), "localhost", op, "POST", "/api/v1/tenants/" + tenantId + "/resume");
        expectStatus(200, resumed, "resuming the ended trial");
        CPPUNIT_ASSERT_EQUAL(std::string("active"), str(json(resumed), "state"));
        CPPUNIT_ASSERT_EQUAL(std::string(), str(json(resumed), "trial_ends_at"));
        expectStatus(200, call(port(), slug + ".localhost", admin, "GET", "/api/v1/me"),
                     "the tenant once resumed");
    }

    // 9. Quote requests: recorded, listed for the operator, mailed, journalled and rate limited;
    // and no sign-up without a trial reseller.
    void quoteRequestsAndAClosedSignUp() {
        start(withMail({}));
        const std::string operatorEmail = unique("operateur-") + "@relais.example";
        const std::string op = loginOperator(operatorEmail);
        const std::string company = "Cabinet " + unique("");
        auto quote = [&](const std::string& email) {
            Object q;
            q.set("company", company);
            q.set("contact_name", "Jean Devis");
            q.set("email", email);
            q.set("phone", "+33 6 12 34 56 78");
            q.set("users", 12);
            q.set("storage_gb", 500);
            q.set("message", "Nous échangeons des dossiers médicaux.");
            return call(port(), "localhost", "", "POST", "/api/v1/quote-requests", text(q));
        };
        expectInvalidField("email", quote("jean.devis"), "a quote with a bad address");
        auto created = quote("jean.devis@cabinet.example");
        expectStatus(201, created, "a quote request");
        const std::string id = str(json(created), "id");
        CPPUNIT_ASSERT(!id.empty());

        expectProblem(401, "unauthenticated",
                      call(port(), "localhost", "", "GET", "/api/v1/quote-requests"),
                      "the quote list without a token");
        auto list = call(port(), "localhost", op, "GET", "/api/v1/quote-requests");
        expectStatus(200, list, "the quote list");
        auto items = json(list)->getArray("items");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, std::size_t{1}, items->size());
        auto q = items->getObject(0);
        CPPUNIT_ASSERT_EQUAL(id, str(q, "id"));
        CPPUNIT_ASSERT_EQUAL(company, str(q, "company"));
        CPPUNIT_ASSERT_EQUAL(std::string("jean.devis@cabinet.example"), str(q, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("12"), str(q, "users"));
        CPPUNIT_ASSERT_EQUAL(std::string("500"), str(q, "storage_gb"));
        CPPUNIT_ASSERT_EQUAL(std::string("Nous échangeons des dossiers médicaux."),
                             str(q, "message"));
        const std::string notice = waitForMail(operatorEmail, "Société : " + company);
        CPPUNIT_ASSERT_MESSAGE(notice, contains(notice, "Utilisateurs : 12"));

        // Five from one address, then a pause.
        for (int i = 2; i <= 5; ++i)
            expectStatus(201, quote("q" + std::to_string(i) + "@cabinet.example"),
                         "quote " + std::to_string(i));
        auto sixth = quote("q6@cabinet.example");
        expectProblem(429, "too_many_attempts", sixth, "the 6th quote from one address");
        CPPUNIT_ASSERT(!sixth.header("retry-after").empty());
        CPPUNIT_ASSERT_EQUAL(
            std::size_t{5},
            itemValues(call(port(), "localhost", op, "GET", "/api/v1/quote-requests"), "id")
                .size());

        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             journalEntries(port(), op, "quote.requested", id).size());
        auto all =
            call(port(), "localhost", op, "GET", "/api/v1/platform/journal?action=quote.requested");
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, itemValues(all, "id").size());

        // No trial reseller configured: sign-up is closed.
        Object s;
        s.set("email", "x@startup.example");
        s.set("name", "X");
        s.set("company", "X");
        s.set("slug", "startup");
        s.set("password", "Essai-Gratuit-2026!");
        s.set("accept_terms", true);
        expectProblem(404, "signup_closed",
                      call(port(), "localhost", "", "POST", "/api/v1/signup", text(s)),
                      "a sign-up without a trial reseller");
        expectProblem(
            404, "signup_closed",
            call(port(), "localhost", "", "POST", "/api/v1/signup/confirm", "{\"token\":\"abc\"}"),
            "a confirmation without a trial reseller");
    }

    // 10. relaisd operator create, and the hint of a server without an operator.
    void operatorCreateOnTheCommandLine() {
        const std::string config = writeCliConfig();
        const std::string strong = "Operateur-Tres-Solide-42";
        RelaisdProcess serving({"--config", config}, dir_->path());
        const auto httpPort = serving.waitListening();
        waitUntil([&] { return contains(serving.output(), "is running"); }, 10000, "the banner");
        CPPUNIT_ASSERT_MESSAGE(serving.output(),
                               contains(serving.output(), "No platform operator exists yet"));
        CPPUNIT_ASSERT_MESSAGE(serving.output(),
                               contains(serving.output(), "relaisd operator create --email"));

        RelaisdProcess usage({"operator", "create", "--password", strong, "--config", config},
                             dir_->path());
        const int usageCode = usage.wait();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(usage.output(), 64, usageCode);
        CPPUNIT_ASSERT_MESSAGE(
            usage.output(),
            contains(usage.output(), "operator create takes --email E --password P"));

        RelaisdProcess weak({"operator", "create", "--email", "faible@example.fr", "--password",
                             "court", "--config", config},
                            dir_->path());
        const int weakCode = weak.wait();
        CPPUNIT_ASSERT_MESSAGE(weak.output(), weakCode != 0);
        CPPUNIT_ASSERT_MESSAGE(
            weak.output(),
            contains(weak.output(), "Le mot de passe doit compter au moins 8 caractères"));

        RelaisdProcess create({"operator", "create", "--email", "Ops@Example.fr", "--password",
                               strong, "--name", "Opérateur", "--config", config},
                              dir_->path());
        const int createCode = create.wait();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(create.output(), 0, createCode);
        CPPUNIT_ASSERT_MESSAGE(create.output(),
                               contains(create.output(), "operator ops@example.fr created"));
        CPPUNIT_ASSERT_MESSAGE(create.output(), !contains(create.output(), strong));

        RelaisdProcess again({"operator", "create", "--email", "ops@example.fr", "--password",
                              strong, "--config", config},
                             dir_->path());
        const int againCode = again.wait();
        CPPUNIT_ASSERT_MESSAGE(again.output(), againCode != 0);
        CPPUNIT_ASSERT_MESSAGE(
            again.output(), contains(again.output(), "An account with this e-mail address exists"));

        // The running server lets the operator in; the weak attempt created nobody.
        const std::string token = login(httpPort, "localhost", "ops@example.fr", strong).token;
        auto me = json(call(httpPort, "localhost", token, "GET", "/api/v1/me"));
        CPPUNIT_ASSERT_EQUAL(std::string("operator"), str(me, "role"));
        CPPUNIT_ASSERT_EQUAL(std::string("Opérateur"), str(me, "name"));
        expectStatus(200,
                     call(httpPort, "localhost", token, "GET", "/api/v1/platform/journal/verify"),
                     "the operator's platform route");
        auto none = db_->open()->query("SELECT COUNT(*) AS n FROM users WHERE email = ?",
                                       {"faible@example.fr"});
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, none[0].getInt("n"));
        serving.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL(0, serving.wait());

        // With an operator, no hint.
        RelaisdProcess restarted({"--config", config}, dir_->path());
        restarted.waitListening();
        waitUntil([&] { return contains(restarted.output(), "is running"); }, 10000, "the banner");
        CPPUNIT_ASSERT_MESSAGE(restarted.output(),
                               !contains(restarted.output(), "No platform operator exists yet"));
        restarted.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL(0, restarted.wait());
    }

    // 11. relaisd tenants apply: the demo manifest, applied twice, and a bad one.
    void tenantsApplyTheDemoManifest() {
        const std::string config = writeCliConfig();
        const std::string manifest = sourceDir() + "/tenants/demo.json";
        RelaisdProcess apply({"tenants", "apply", manifest, "--config", config}, dir_->path());
        const int applied = apply.wait();
        const std::string out = apply.output();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, applied);
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "reseller  Revendeur de démonstration: created"));
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "tenant    demo: created"));
        std::map<std::string, std::string> passwords;
        const std::regex line("user +([^ ]+) \\(([^)]*)\\): created, password: ([^\\s]+)");
        for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it)
            passwords[(*it)[1]] = (*it)[3];
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::size_t{3}, passwords.size());
        CPPUNIT_ASSERT_MESSAGE(out, passwords.count("admin@demo.example") &&
                                        passwords.count("alice@demo.example") &&
                                        passwords.count("revendeur@demo.example"));
        CPPUNIT_ASSERT(passwords["admin@demo.example"].size() >= 20);
        CPPUNIT_ASSERT(passwords["admin@demo.example"] != passwords["alice@demo.example"]);

        RelaisdProcess again({"tenants", "apply", manifest, "--config", config}, dir_->path());
        const int reapplied = again.wait();
        const std::string second = again.output();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(second, 0, reapplied);
        std::istringstream lines(second);
        int unchanged = 0;
        for (std::string l; std::getline(lines, l);) {
            const bool report = l.rfind("reseller ", 0) == 0 || l.rfind("tenant ", 0) == 0 ||
                                l.rfind("user ", 0) == 0 || l.rfind("module ", 0) == 0;
            if (!report)
                continue;  // log lines, if any
            CPPUNIT_ASSERT_MESSAGE(second, contains(l, ": unchanged"));
            ++unchanged;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(second, 5,
                                     unchanged);  // reseller, its admin, tenant, two users
        CPPUNIT_ASSERT_MESSAGE(second,
                               !contains(second, "created") && !contains(second, "password"));

        // A bad manifest: named, with its field, and nothing of it kept.
        const std::string bad = dir_->file("bad-manifest.json");
        writeFile(
            bad,
            R"({"reseller": {"name": "Revendeur Fautif", "contact_email": "contact@fautif.example"},
                          "tenants": [{"slug": "Mauvais_Slug", "name": "Mauvais", "plan": "pro"}]})");
        RelaisdProcess refused({"tenants", "apply", bad, "--config", config}, dir_->path());
        const int refusedCode = refused.wait();
        CPPUNIT_ASSERT_MESSAGE(refused.output(), refusedCode != 0);
        CPPUNIT_ASSERT_MESSAGE(refused.output(), contains(refused.output(), bad));
        CPPUNIT_ASSERT_MESSAGE(refused.output(), contains(refused.output(), "slug"));
        auto kept = db_->open()->query("SELECT COUNT(*) AS n FROM resellers WHERE name = ?",
                                       {"Revendeur Fautif"});
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, kept[0].getInt("n"));

        // The printed passwords open the accounts.
        RelaisdProcess serving({"--config", config}, dir_->path());
        const auto httpPort = serving.waitListening();
        const std::string admin =
            login(httpPort, "demo.localhost", "admin@demo.example", passwords["admin@demo.example"])
                .token;
        auto me = json(call(httpPort, "demo.localhost", admin, "GET", "/api/v1/me"));
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_admin"), str(me, "role"));
        CPPUNIT_ASSERT_EQUAL(std::string("demo"), str(me->getObject("tenant"), "slug"));
        const std::string reseller = login(httpPort, "localhost", "revendeur@demo.example",
                                           passwords["revendeur@demo.example"])
                                         .token;
        auto tenants = call(httpPort, "localhost", reseller, "GET", "/api/v1/tenants");
        CPPUNIT_ASSERT((itemValues(tenants, "slug") == std::vector<std::string>{"demo"}));
        serving.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL(0, serving.wait());
    }

    // 11b. The configuration the process tests use (http.port = 0, "any free port") is valid for
    // the server; a verb that never listens must not fail on it.
    void tenantsApplyWithAnEphemeralHttpPort() {
        const std::string config = writeCliConfig(0);
        RelaisdProcess apply(
            {"tenants", "apply", sourceDir() + "/tenants/demo.json", "--config", config},
            dir_->path());
        const int code = apply.wait();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(apply.output(), 0, code);
        CPPUNIT_ASSERT_MESSAGE(apply.output(), contains(apply.output(), "tenant    demo: created"));
    }
};

// Two nodes on one MariaDB database: a change made through one reaches the other's cache.
class ProvisioningClusterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ProvisioningClusterTest);
    CPPUNIT_TEST(aChangeOnOneNodeReachesTheOtherWithinASecond);
    CPPUNIT_TEST_SUITE_END();

public:
    void aChangeOnOneNodeReachesTheOtherWithinASecond() {
        TempDir dirA, dirB;
        TestDatabase db;
        writeFile(
            dirA.file("plans.json"),
            R"({"vat_percent": 20, "plans": [{"id": "p", "name": "P", "licences": 5, "storage_bytes": 1000000,
                      "modules": ["fixture_good"], "prices": {"monthly_cents": 1, "annual_cents": 1,
                      "extra_licence_cents": 1, "extra_gb_cents": 1}}]})");
        auto settings = [&](const TempDir& dir, const std::string& node) {
            auto s = fixtureSettings(dir, db);
            s["tenancy.plans_file"] = dirA.file("plans.json");
            s["tenancy.trial_plan"] = "p";
            s["tenancy.cache_ttl_ms"] = "200";
            s["jobs.node_id"] = node;
            s["crypto.master_key_file"] = dirA.file("master.key");
            return s;
        };
        auto aSettings = settings(dirA, "node-a");
        aSettings.erase(
            "crypto.master_key_file");  // A makes it in its data folder; B reads the same file
        TestServer a(aSettings);
        TestServer b(settings(dirB, "node-b"));
        const TenantRef acme = createTenant(a.runtime(), "acme", "p");
        createUser(a.runtime(), "", "operator", "operateur@relais.example");
        createUser(a.runtime(), acme.id, "tenant_admin", "admin@acme.example");
        const std::string op = login(a.port(), "localhost", "operateur@relais.example").token;
        const std::string admin = login(a.port(), "acme.localhost", "admin@acme.example").token;

        // B has acme in its cache, with its module.
        expectStatus(200, call(b.port(), "acme.localhost", "", "GET", "/fixture/hello"),
                     "the module on B");
        expectStatus(200, call(b.port(), "acme.localhost", "", "GET", "/api/v1/plans"),
                     "acme on B");
        expectStatus(200, call(b.port(), "acme.localhost", admin, "GET", "/api/v1/me"),
                     "A's session on B");

        expectStatus(200,
                     call(a.port(), "acme.localhost", admin, "PUT",
                          "/api/v1/admin/modules/fixture_good", "{\"enabled\":false}"),
                     "disabling the module on A");
        waitUntil(
            [&] {
                return problemCode(call(b.port(), "acme.localhost", "", "GET", "/fixture/hello")) ==
                       "module_disabled";
            },
            1000, "B to see the module disabled");

        expectStatus(
            200, call(a.port(), "localhost", op, "POST", "/api/v1/tenants/" + acme.id + "/suspend"),
            "suspending on A");
        waitUntil(
            [&] {
                return problemCode(call(b.port(), "acme.localhost", "", "GET", "/api/v1/plans")) ==
                       "tenant_suspended";
            },
            1000, "B to see the tenant suspended");
        expectProblem(403, "tenant_suspended",
                      call(b.port(), "acme.localhost", admin, "GET", "/api/v1/me"),
                      "A's session on B while suspended");

        expectStatus(
            200, call(a.port(), "localhost", op, "POST", "/api/v1/tenants/" + acme.id + "/resume"),
            "resuming on A");
        waitUntil(
            [&] {
                return call(b.port(), "acme.localhost", admin, "GET", "/api/v1/me").status == 200;
            },
            1000, "B to see the tenant resumed");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProvisioningTest);
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ProvisioningClusterTest, "mysql");

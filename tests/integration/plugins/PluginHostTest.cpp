#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <filesystem>

#include "TenancySupport.h"
#include "TestSupport.h"
#include "plugins/PluginHost.h"
#include "relais/Config.h"
#include "relais/Database.h"
#include "relais/Jobs.h"
#include "relais/http/Request.h"
#include "runtime/Runtime.h"

using relais::test::http;

namespace {

Poco::JSON::Object::Ptr json(const std::string& body) {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> loadedNames(relais::Runtime& rt) {
    std::vector<std::string> out;
    for (const auto& p : rt.plugins().loaded())
        out.push_back(p.name);
    return out;
}

const relais::SkippedPlugin* skipped(relais::Runtime& rt, const std::string& name) {
    for (const auto& s : rt.plugins().skipped())
        if (s.name == name)
            return &s;
    return nullptr;
}

}  // namespace

// The plugin host, end to end, with the fixture plugins of tests/fixtures/plugins.
class PluginHostTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginHostTest);
    CPPUNIT_TEST(goodPluginsLoadInDependencyOrderAndBadOnesAreSkipped);
    CPPUNIT_TEST(aPluginBuiltForAnotherAbiNeverRuns);
    CPPUNIT_TEST(pluginMigrationsRunAndAreRecorded);
    CPPUNIT_TEST(pluginSettingsHaveDefaultsOverridesAndChecks);
    CPPUNIT_TEST(theModuleGateHidesAModulesRoutes);
    CPPUNIT_TEST(pluginJobsTasksAndSubscribersRun);
    CPPUNIT_TEST(aFailedRegistrationLeavesNothingBehind);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;
    std::unique_ptr<relais::test::TestDatabase> db_;

    std::map<std::string, std::string> settings() {
        auto s = relais::test::fixtureSettings(dir_, *db_);
        return s;
    }

public:
    void setUp() override { db_ = std::make_unique<relais::test::TestDatabase>(); }
    void tearDown() override { db_.reset(); }

    void goodPluginsLoadInDependencyOrderAndBadOnesAreSkipped() {
        relais::test::TestServer server(settings());
        auto names = loadedNames(server.runtime());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, names.size());
        CPPUNIT_ASSERT_EQUAL(std::string("fixture_good"),
                             names[0]);  // although its file sorts after
        CPPUNIT_ASSERT_EQUAL(std::string("fixture_dependent"), names[1]);
        auto* abi = skipped(server.runtime(), "fixture_bad_abi");
        CPPUNIT_ASSERT(abi);
        CPPUNIT_ASSERT_MESSAGE(abi->reason, abi->reason.find("ABI 999") != std::string::npos);
        auto* dep = skipped(server.runtime(), "fixture_missing_dep");
        CPPUNIT_ASSERT(dep);
        CPPUNIT_ASSERT_MESSAGE(dep->reason,
                               dep->reason.find("fixture_nonexistent") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, http(server.port(), "GET", "/fixture/dependent").status);
        CPPUNIT_ASSERT_EQUAL(404, http(server.port(), "GET", "/fixture/missing-dep").status);
        CPPUNIT_ASSERT_EQUAL(200, http(server.port(), "GET", "/healthz").status);
    }

    void aPluginBuiltForAnotherAbiNeverRuns() {
        const std::string marker = dir_.file("bad-abi-ran");
        ::setenv("FIXTURE_BAD_ABI_MARKER", marker.c_str(), 1);
        {
            relais::test::TestServer server(settings());
            CPPUNIT_ASSERT(skipped(server.runtime(), "fixture_bad_abi"));
        }
        ::unsetenv("FIXTURE_BAD_ABI_MARKER");
        CPPUNIT_ASSERT_MESSAGE("the static initialiser of the ABI-999 plugin ran",
                               !std::filesystem::exists(marker));
    }

    void pluginMigrationsRunAndAreRecorded() {
        relais::test::TestServer server(settings());
        auto rows = server.runtime().database().query(
            "SELECT version FROM schema_migrations WHERE component = 'fixture_good'");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, rows.size());
        auto created =
            http(server.port(), "POST", "/fixture/items", "{\"name\":\"a\"}", "application/json");
        CPPUNIT_ASSERT_EQUAL(201, created.status);
    }

    void pluginSettingsHaveDefaultsOverridesAndChecks() {
        {
            relais::test::TestServer server(settings());
            CPPUNIT_ASSERT_EQUAL(std::string("bonjour"),
                                 json(http(server.port(), "GET", "/fixture/hello").body)
                                     ->getValue<std::string>("greeting"));
        }
        auto s = settings();
        s["fixture_good.greeting"] = "salut";
        s["fixture_bad_abi.anything"] = "ignored";  // a skipped plugin's key: a warning only
        {
            relais::test::TestServer server(s);
            CPPUNIT_ASSERT_EQUAL(std::string("salut"),
                                 json(http(server.port(), "GET", "/fixture/hello").body)
                                     ->getValue<std::string>("greeting"));
            CPPUNIT_ASSERT_EQUAL(std::size_t{1}, server.runtime().configWarnings().size());
        }
        s["fixture_good.greting"] = "typo";
        CPPUNIT_ASSERT_THROW(relais::test::TestServer typo(s), relais::ConfigError);
        s.erase("fixture_good.greting");
        s["http.public_url"] = "https://relais.example.fr/some/path";
        CPPUNIT_ASSERT_THROW(relais::test::TestServer badUrl(s), relais::ConfigError);
        s["http.public_url"] = "https://relais.example.fr:8443";
        relais::test::TestServer goodUrl(s);
    }

    // On a tenant's host, a module's routes answer only if the tenant's plan allows the module
    // and it is enabled; the platform host is no tenant's.
    void theModuleGateHidesAModulesRoutes() {
        auto s = settings();
        relais::test::writeFile(
            dir_.file("plans.json"),
            R"({"vat_percent": 20, "plans": [{"id": "p", "name": "P", "licences": 2, "storage_bytes": 1000000,
                "modules": ["fixture_dependent"], "prices": {"monthly_cents": 1, "annual_cents": 1,
                "extra_licence_cents": 1, "extra_gb_cents": 1}}]})");
        s["tenancy.plans_file"] = dir_.file("plans.json");
        s["tenancy.trial_plan"] = "p";
        relais::test::TestServer server(s);
        relais::test::createTenant(server.runtime(), "acme", "p");
        const std::map<std::string, std::string> acme = {{"Host", "acme.localhost"}};
        auto r = http(server.port(), "GET", "/fixture/hello", "", "", acme);
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT(r.body.find("\"code\":\"module_disabled\"") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, http(server.port(), "GET", "/fixture/dependent", "", "", acme).status);
        CPPUNIT_ASSERT_EQUAL(200, http(server.port(), "GET", "/fixture/hello").status);
        CPPUNIT_ASSERT_EQUAL(200, http(server.port(), "GET", "/livez", "", "", acme).status);
    }

    void pluginJobsTasksAndSubscribersRun() {
        relais::test::TestServer server(settings());
        const auto port = server.port();
        auto counters = [&] { return json(http(port, "GET", "/fixture/counters").body); };
        relais::test::waitUntil([&] { return counters()->getValue<int>("ticks") >= 2; }, 10000,
                                "the plugin's periodic job");
        CPPUNIT_ASSERT_EQUAL(
            202, http(port, "POST", "/fixture/tasks", "fail-once", "text/plain").status);
        relais::test::waitUntil([&] { return counters()->getValue<int>("tasks") == 1; }, 15000,
                                "the retried task");
        auto row = server.runtime().database().query(
            "SELECT state, attempts FROM job_queue WHERE kind = 'fixture_good.task'");
        CPPUNIT_ASSERT_EQUAL(std::string("done"), row[0].getString("state"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, row[0].getInt("attempts"));
        CPPUNIT_ASSERT_EQUAL(
            201,
            http(port, "POST", "/fixture/items", "{\"name\":\"b\"}", "application/json").status);
        CPPUNIT_ASSERT(counters()->getValue<int>("journal_events") >= 1);
        bool recorded = false;
        for (const auto& j : server.runtime().jobs().status())
            if (j.name == "fixture_good.tick")
                recorded = j.runs >= 2 && j.lastOutcome == "ok";
        CPPUNIT_ASSERT(recorded);
    }

    void aFailedRegistrationLeavesNothingBehind() {
        auto s = settings();
        s["fixture_good.fail_registration"] = "true";
        relais::test::TestServer server(s);
        CPPUNIT_ASSERT(loadedNames(server.runtime()).empty());
        CPPUNIT_ASSERT(skipped(server.runtime(), "fixture_good"));
        CPPUNIT_ASSERT(skipped(server.runtime(), "fixture_dependent"));
        CPPUNIT_ASSERT_EQUAL(404, http(server.port(), "GET", "/fixture/hello").status);
        CPPUNIT_ASSERT_EQUAL(404, http(server.port(), "GET", "/fixture/dependent").status);
        for (const auto& j : server.runtime().jobs().status())
            CPPUNIT_ASSERT(j.name != "fixture_good.tick");
        CPPUNIT_ASSERT_EQUAL(200, http(server.port(), "GET", "/healthz").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginHostTest);

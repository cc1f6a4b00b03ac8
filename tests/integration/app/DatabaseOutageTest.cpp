#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include "TestSupport.h"

using relais::test::http;
using relais::test::RelaisdProcess;

// relaisd on a MariaDB of its own, which the test stops and starts again under it.
class DatabaseOutageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DatabaseOutageTest);
    CPPUNIT_TEST(losingTheDatabaseIs503AndItsReturnHeals);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;

    void mariadb(const std::string& verb, int port = 0) {
        std::string out;
        const std::string cmd = relais::test::sourceDir() + "/tests/support/mariadb.sh " + verb +
                                " " + dir_.file("mariadb") +
                                (port ? " " + std::to_string(port) : "");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, relais::test::runCommand(cmd, &out));
    }

public:
    void tearDown() override {
        relais::test::runCommand(relais::test::sourceDir() + "/tests/support/mariadb.sh stop " +
                                 dir_.file("mariadb"));
    }

    void losingTheDatabaseIs503AndItsReturnHeals() {
        const int dbPort = relais::test::freePort();
        mariadb("start", dbPort);
        relais::test::writeFile(dir_.file("relais.properties"),
                                "http.port = 0\ndata.dir = " + dir_.file("var") +
                                    "\nplugins.dir = " + relais::test::fixturePluginsDir() +
                                    "\nmigrations.dir = " + relais::test::sourceDir() +
                                    "/migrations, " + relais::test::sourceDir() +
                                    "/tests/fixtures/migrations\ntenancy.plans_file = " +
                                    relais::test::sourceDir() + "/tenants/plans.json\n"
                                    "db.driver = mysql\ndb.port = " +
                                    std::to_string(dbPort) +
                                    "\n"
                                    "db.health_interval_ms = 200\ndb.connect_timeout_ms = 1000\n");
        RelaisdProcess p({"--config", dir_.file("relais.properties")}, dir_.path(),
                         {{"RELAIS_DB_PASSWORD", "relais"}});
        const auto port = p.waitListening();
        CPPUNIT_ASSERT_EQUAL(200, http(port, "GET", "/healthz").status);
        CPPUNIT_ASSERT_EQUAL(
            201, http(port, "POST", "/fixture/items", "{\"name\":\"before\"}", "application/json")
                     .status);

        mariadb("stop");
        relais::test::waitUntil([&] { return http(port, "GET", "/healthz").status == 503; }, 10000,
                                "healthz to say 503");
        auto health = http(port, "GET", "/healthz");
        CPPUNIT_ASSERT(health.body.find("\"database\":\"unavailable\"") != std::string::npos);
        auto write =
            http(port, "POST", "/fixture/items", "{\"name\":\"during\"}", "application/json");
        CPPUNIT_ASSERT_EQUAL(503, write.status);
        CPPUNIT_ASSERT(write.body.find("\"code\":\"database_unavailable\"") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, http(port, "GET", "/livez").status);

        mariadb("start", dbPort);
        relais::test::waitUntil([&] { return http(port, "GET", "/healthz").status == 200; }, 20000,
                                "healthz to recover");
        CPPUNIT_ASSERT_EQUAL(
            201, http(port, "POST", "/fixture/items", "{\"name\":\"after\"}", "application/json")
                     .status);
        CPPUNIT_ASSERT_EQUAL(200, http(port, "GET", "/fixture/items/1").status);
        CPPUNIT_ASSERT(p.running());
        p.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL(0, p.wait());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseOutageTest);

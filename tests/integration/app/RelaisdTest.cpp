#include <Poco/Exception.h>
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>
#include <sys/stat.h>

#include <filesystem>

#include "TestSupport.h"
#include "relais/Database.h"

using relais::test::http;
using relais::test::RelaisdProcess;

namespace {

std::string configText(const relais::test::TempDir& dir, const std::string& extra = {}) {
    return "http.port = 0\n"
           "data.dir = " +
           dir.file("var") +
           "\n"
           "plugins.dir = " +
           relais::test::fixturePluginsDir() +
           "\n"
           "migrations.dir = " +
           relais::test::sourceDir() + "/migrations, " + relais::test::sourceDir() +
           "/tests/fixtures/migrations\n"
           "tenancy.plans_file = " +
           relais::test::sourceDir() + "/tenants/plans.json\n" + extra;
}

std::string writeConfig(const relais::test::TempDir& dir, const std::string& extra = {}) {
    relais::test::writeFile(dir.file("relais.properties"), configText(dir, extra));
    return dir.file("relais.properties");
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

// relaisd as operators run it: a child process, its exit codes and its output.
class RelaisdTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RelaisdTest);
    CPPUNIT_TEST(anUnknownKeyStopsStartUpWithCode2);
    CPPUNIT_TEST(aWrongTypeInTheEnvironmentStopsStartUpWithCode2);
    CPPUNIT_TEST(aWrongTypeOnTheCommandLineStopsStartUpWithCode2);
    CPPUNIT_TEST(anUnknownCommandIsAUsageError);
    CPPUNIT_TEST(servesStopsCleanlyAndKeepsItsData);
    CPPUNIT_TEST(operatorCommands);
    CPPUNIT_TEST(aChangedMigrationStopsStartUp);
    CPPUNIT_TEST(anUnreachableDatabaseIsOneClearLine);
    CPPUNIT_TEST(aMasterKeyReadableByOthersStopsStartUp);
    CPPUNIT_TEST(noSecretIsEverLogged);
    CPPUNIT_TEST(aTamperedJournalFailsVerification);
    CPPUNIT_TEST(storedFilesSurviveRotationsAndCorruptionIsNamed);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;

public:
    void anUnknownKeyStopsStartUpWithCode2() {
        const std::string config = writeConfig(dir_, "http.prot = 9090\n");
        RelaisdProcess p({"--config", config}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(2, p.wait());
        CPPUNIT_ASSERT_MESSAGE(p.output(),
                               contains(p.output(), config + ":6: unknown key 'http.prot'"));
    }

    void aWrongTypeInTheEnvironmentStopsStartUpWithCode2() {
        RelaisdProcess p({"--config", writeConfig(dir_)}, dir_.path(),
                         {{"RELAIS_HTTP_THREADS", "many"}});
        CPPUNIT_ASSERT_EQUAL(2, p.wait());
        const std::string out = p.output();
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "RELAIS_HTTP_THREADS"));
        CPPUNIT_ASSERT_MESSAGE(out,
                               contains(out, "http.threads: expected an integer from 2 to 1024"));
    }

    void aWrongTypeOnTheCommandLineStopsStartUpWithCode2() {
        RelaisdProcess p({"--config", writeConfig(dir_), "--set", "tls.enabled=maybe"},
                         dir_.path());
        CPPUNIT_ASSERT_EQUAL(2, p.wait());
        CPPUNIT_ASSERT_MESSAGE(
            p.output(),
            contains(p.output(),
                     "command line --set tls.enabled: tls.enabled: expected true or false"));
    }

    void anUnknownCommandIsAUsageError() {
        RelaisdProcess p({"frobnicate"}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(64, p.wait());
        CPPUNIT_ASSERT(contains(p.output(), "unknown command 'frobnicate'"));
    }

    void servesStopsCleanlyAndKeepsItsData() {
        const std::string config = writeConfig(dir_);
        std::string keyBefore;
        {
            RelaisdProcess p({"--config", config}, dir_.path());
            const auto port = p.waitListening();
            CPPUNIT_ASSERT_EQUAL(200, http(port, "GET", "/healthz").status);
            CPPUNIT_ASSERT_EQUAL(
                201, http(port, "POST", "/fixture/items", "{\"name\":\"kept\"}", "application/json")
                         .status);
            CPPUNIT_ASSERT(std::filesystem::exists(dir_.file("var/relaisd.pid")));
            keyBefore = relais::test::readFile(dir_.file("var/master.key"));
            p.signal(SIGTERM);
            CPPUNIT_ASSERT_EQUAL(0, p.wait());
            CPPUNIT_ASSERT(contains(p.output(), "relaisd stopped"));
            CPPUNIT_ASSERT(contains(p.output(), "generated a new master key"));
            CPPUNIT_ASSERT(!std::filesystem::exists(dir_.file("var/relaisd.pid")));
        }
        {
            RelaisdProcess p({"--config", config}, dir_.path());
            const auto port = p.waitListening();
            auto item = http(port, "GET", "/fixture/items/1");
            CPPUNIT_ASSERT_EQUAL(200, item.status);
            CPPUNIT_ASSERT(contains(item.body, "kept"));
            p.signal(SIGINT);
            CPPUNIT_ASSERT_EQUAL(0, p.wait());
            CPPUNIT_ASSERT(!contains(p.output(), "applied migration"));
            CPPUNIT_ASSERT(!contains(p.output(), "generated a new master key"));
            CPPUNIT_ASSERT(!contains(p.output(), "ERROR") &&
                           !contains(p.output(), "runtime error"));
        }
        CPPUNIT_ASSERT_EQUAL(keyBefore, relais::test::readFile(dir_.file("var/master.key")));
    }

    void operatorCommands() {
        const std::string config = writeConfig(dir_);
        RelaisdProcess migrate({"migrate", "--config", config}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(0, migrate.wait());
        CPPUNIT_ASSERT(contains(migrate.output(), "applied migration"));
        CPPUNIT_ASSERT(contains(migrate.output(), "fixture_good/sqlite/0001_items.sql"));
        RelaisdProcess again({"migrate", "--config", config}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(0, again.wait());
        CPPUNIT_ASSERT(!contains(again.output(), "applied migration"));
        RelaisdProcess verify({"journal", "verify", "--config", config}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(0, verify.wait());
        CPPUNIT_ASSERT(contains(verify.output(), "journal platform: ok"));
        RelaisdProcess check(
            {"config", "check", "--config", config, "--set", "smtp.password=hunter2"}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(0, check.wait());
        CPPUNIT_ASSERT(contains(check.output(), "smtp.password = (secret)"));
        CPPUNIT_ASSERT(!contains(check.output(), "hunter2"));
        RelaisdProcess version({"--version"}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(0, version.wait());
        CPPUNIT_ASSERT(contains(version.output(), "relaisd 0.1.0"));
    }

    void aChangedMigrationStopsStartUp() {
        // A copy of the migrations, so that one can be edited after it was applied.
        std::filesystem::copy(relais::test::sourceDir() + "/migrations", dir_.file("migrations"),
                              std::filesystem::copy_options::recursive);
        const std::string config = writeConfig(dir_, "");
        relais::test::writeFile(config, "http.port = 0\ndata.dir = " + dir_.file("var") +
                                            "\nmigrations.dir = " + dir_.file("migrations") +
                                            "\nplugins.dir = " + dir_.file("none") +
                                            "\ntenancy.plans_file = " + relais::test::sourceDir() +
                                            "/tenants/plans.json\n");
        RelaisdProcess first({"migrate", "--config", config}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(0, first.wait());
        const std::string file = dir_.file("migrations/kernel/sqlite/0001_kernel.sql");
        relais::test::writeFile(file, relais::test::readFile(file) + "\n-- an edit\n");
        RelaisdProcess p({"--config", config}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(1, p.wait());
        CPPUNIT_ASSERT_MESSAGE(
            p.output(), contains(p.output(), "0001_kernel.sql was changed after it was applied"));
    }

    void anUnreachableDatabaseIsOneClearLine() {
        const int port = relais::test::freePort();
        RelaisdProcess p({"--config", writeConfig(dir_), "--set", "db.driver=mysql", "--set",
                          "db.port=" + std::to_string(port), "--set", "db.connect_timeout_ms=1000"},
                         dir_.path());
        CPPUNIT_ASSERT_EQUAL(1, p.wait());
        const std::string out = p.output();
        CPPUNIT_ASSERT_MESSAGE(out,
                               contains(out, "relaisd: cannot reach the database at 127.0.0.1:" +
                                                 std::to_string(port)));
        std::size_t lines = 0;
        for (std::size_t pos = out.find("relaisd: "); pos != std::string::npos;
             pos = out.find("relaisd: ", pos + 1))
            ++lines;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::size_t{1}, lines);
        CPPUNIT_ASSERT(!contains(out, "terminate called") && !contains(out, "Aborted") &&
                       !contains(out, "#0 "));
    }

    void aMasterKeyReadableByOthersStopsStartUp() {
        const std::string key = dir_.file("master.key");
        relais::test::writeFile(key, std::string(64, 'a') + "\n");
        ::chmod(key.c_str(), 0644);
        RelaisdProcess p({"--config", writeConfig(dir_, "crypto.master_key_file = " + key + "\n")},
                         dir_.path());
        CPPUNIT_ASSERT_EQUAL(1, p.wait());
        CPPUNIT_ASSERT_MESSAGE(p.output(), contains(p.output(), "accessible to group or others"));
        // Without the key file the operator named, relaisd does not invent one.
        RelaisdProcess q(
            {"--config",
             writeConfig(dir_, "crypto.master_key_file = " + dir_.file("absent.key") + "\n")},
            dir_.path());
        CPPUNIT_ASSERT_EQUAL(1, q.wait());
        CPPUNIT_ASSERT(!std::filesystem::exists(dir_.file("absent.key")));
    }

    void noSecretIsEverLogged() {
        const std::string log = dir_.file("relais.log");
        const std::string config =
            writeConfig(dir_, "log.level = trace\nlog.file = " + log +
                                  "\n"
                                  "smtp.password = SECRET-smtp-1\nsmtp.user = relais\n"
                                  "smtp.port = " +
                                  std::to_string(relais::test::freePort()) + "\n");
        RelaisdProcess p({"--config", config, "--set", "db.password=SECRET-db-2"}, dir_.path(),
                         {{"RELAIS_JOBS_NODE_ID", "node-under-test"}});
        const auto port = p.waitListening();
        http(port, "GET", "/fixture/secret/SECRET-path-3?token=SECRET-query-4", "", "",
             {{"Authorization", "Bearer SECRET-bearer-5"},
              {"Cookie", "relais_session=SECRET-cookie-6"},
              {"X-CSRF-Token", "SECRET-csrf-7"}});
        http(port, "POST", "/fixture/items", "{\"name\":\"x\",\"password\":\"SECRET-body-8\"}",
             "application/json");
        http(port, "POST", "/fixture/items", "{\"password\":\"SECRET-body-9\"",
             "application/json");  // invalid JSON
        relais::test::rawExchange(
            port,
            "GET /nowhere?api_key=SECRET-query-10 HTTP/1.1\r\nHost: localhost\r\n"
            "Authorization: Basic SECRET-basic-11\r\n\r\n",
            2000);
        http(port, "GET", "/fixture/fail?password=SECRET-query-12");
        p.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL(0, p.wait());
        const std::string logged = relais::test::readFile(log) + p.output();
        CPPUNIT_ASSERT_MESSAGE("the access log is empty",
                               contains(logged, "GET /fixture/secret/*** 200"));
        CPPUNIT_ASSERT(contains(logged, "/nowhere 404"));
        CPPUNIT_ASSERT_MESSAGE(logged, !contains(logged, "SECRET"));
    }

    void storedFilesSurviveRotationsAndCorruptionIsNamed();

    void aTamperedJournalFailsVerification() {
        const std::string config = writeConfig(dir_);
        {
            RelaisdProcess p({"--config", config}, dir_.path());
            const auto port = p.waitListening();
            for (int i = 0; i < 3; ++i)
                http(port, "POST", "/fixture/items", "{\"name\":\"n\"}", "application/json");
            p.signal(SIGTERM);
            CPPUNIT_ASSERT_EQUAL(0, p.wait());
        }
        RelaisdProcess ok({"journal", "verify", "--config", config}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(0, ok.wait());
        CPPUNIT_ASSERT(contains(ok.output(), "ok, 3 entries checked"));
        {
            relais::db::DatabaseOptions o;
            o.sqlitePath = dir_.file("var/relais.sqlite3");
            auto db = relais::db::Database::open(o);
            db->acquire()->executeScript("DROP TRIGGER journal_no_update");
            db->execute("UPDATE journal SET object_id = '999' WHERE seq = 2");
        }
        RelaisdProcess broken({"journal", "verify", "--config", config}, dir_.path());
        CPPUNIT_ASSERT_EQUAL(3, broken.wait());
        CPPUNIT_ASSERT_MESSAGE(broken.output(), contains(broken.output(), "BROKEN at seq 2"));
        CPPUNIT_ASSERT(contains(broken.output(), "altered"));
    }
};

// The storage commands on a server's data: files written through a plugin, both key
// rotations, then a corrupted blob found by `storage verify` and never served.
void RelaisdTest::storedFilesSurviveRotationsAndCorruptionIsNamed() {
    const std::string config = writeConfig(dir_);
    std::string content(3 * 1024 * 1024 + 123, '\0');
    for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 7919) >> 3);
    const std::map<std::string, std::string> tenant1 = {{"X-Fixture-Tenant", "tn_1"}};
    std::string id;
    {
        RelaisdProcess p({"--config", config}, dir_.path());
        const auto port = p.waitListening();
        auto created = http(port, "POST", "/fixture/files", content, "application/octet-stream", tenant1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        id = created.body.substr(created.body.find("\"id\":\"") + 6, 23);
        CPPUNIT_ASSERT(content == http(port, "GET", "/fixture/files/" + id, "", "", tenant1).body);
        auto other = http(port, "GET", "/fixture/files/" + id, "", "", {{"X-Fixture-Tenant", "tn_2"}});
        CPPUNIT_ASSERT_EQUAL(404, other.status);
        p.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL(0, p.wait());
    }
    RelaisdProcess verify({"storage", "verify", "--config", config}, dir_.path());
    CPPUNIT_ASSERT_EQUAL(0, verify.wait());
    CPPUNIT_ASSERT_MESSAGE(verify.output(), contains(verify.output(), "1 file(s) checked, 0 bad"));
    RelaisdProcess tenantRotation({"keys", "rotate", "--tenant", "tn_1", "--config", config}, dir_.path());
    CPPUNIT_ASSERT_EQUAL(0, tenantRotation.wait());
    CPPUNIT_ASSERT_MESSAGE(tenantRotation.output(), contains(tenantRotation.output(), "key version 2 is current; 1 data key(s)"));
    RelaisdProcess masterRotation({"keys", "rotate", "--master", "--config", config}, dir_.path());
    CPPUNIT_ASSERT_EQUAL(0, masterRotation.wait());
    CPPUNIT_ASSERT_EQUAL(std::string("2:"), relais::test::readFile(dir_.file("var/master.key")).substr(0, 2));
    RelaisdProcess usage({"keys", "rotate", "--config", config}, dir_.path());
    CPPUNIT_ASSERT_EQUAL(64, usage.wait());

    // Corrupt one byte in the last megabyte of the blob.
    std::string blobPath;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_.file("var/blobs")))
        if (e.is_regular_file() && e.path().parent_path().filename() != ".pending") blobPath = e.path().string();
    CPPUNIT_ASSERT(!blobPath.empty());
    relais::test::flipByte(blobPath, static_cast<std::int64_t>(std::filesystem::file_size(blobPath)) - 1000);
    RelaisdProcess broken({"storage", "verify", "--config", config}, dir_.path());
    CPPUNIT_ASSERT_EQUAL(3, broken.wait());
    CPPUNIT_ASSERT_MESSAGE(broken.output(), contains(broken.output(), "BAD file " + id + " (tenant tn_1)"));
    {
        RelaisdProcess p({"--config", config}, dir_.path());
        const auto port = p.waitListening();
        std::string got;
        try {
            got = http(port, "GET", "/fixture/files/" + id, "", "", tenant1).body;
        } catch (const Poco::Exception&) {
            // A cut connection is a failure the client sees; so is a short body.
        }
        CPPUNIT_ASSERT(got.size() < content.size());
        CPPUNIT_ASSERT(got == content.substr(0, got.size()));  // only authenticated bytes went out
        p.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL(0, p.wait());
        CPPUNIT_ASSERT(contains(p.output(), "integrity failure: file " + id));
    }
    // Without its master key, the server refuses data it can no longer read.
    std::filesystem::remove(dir_.file("var/master.key"));
    RelaisdProcess keyless({"--config", config}, dir_.path());
    CPPUNIT_ASSERT_EQUAL(1, keyless.wait());
    CPPUNIT_ASSERT_MESSAGE(keyless.output(), contains(keyless.output(), "is missing but the database holds keys sealed with it"));
    CPPUNIT_ASSERT(!std::filesystem::exists(dir_.file("var/master.key")));
}

CPPUNIT_TEST_SUITE_REGISTRATION(RelaisdTest);

#include <Poco/Logger.h>
#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>

#include "TestSupport.h"
#include "migrate/Migrator.h"
#include "relais/Database.h"
#include "relais/Random.h"

using relais::MigrationError;
using relais::Migrator;
using relais::db::Dialect;
using relais::test::dialect;

// Runs on both drivers (--db sqlite / --db mysql).
class MigratorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MigratorTest);
    CPPUNIT_TEST(appliesInOrderOnceAndRecordsChecksums);
    CPPUNIT_TEST(refusesAnAppliedMigrationThatChanged);
    CPPUNIT_TEST(refusesAnAppliedMigrationThatVanished);
    CPPUNIT_TEST(aFailedMigrationIsNotRecordedAndRunsAgain);
    CPPUNIT_TEST(refusesMalformedNamesAndDuplicateVersions);
    CPPUNIT_TEST(componentsAreIndependent);
    CPPUNIT_TEST(theKernelMigrationsApplyAndTheJournalIsAppendOnly);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir roots_;
    std::unique_ptr<relais::test::TestDatabase> testDb_;
    std::unique_ptr<relais::db::Database> db_;

    std::string folder(const std::string& component) {
        auto p = std::filesystem::path(roots_.path()) / component / relais::test::dialectName();
        std::filesystem::create_directories(p);
        return p.string();
    }
    void write(const std::string& component, const std::string& file, const std::string& sql) {
        relais::test::writeFile(folder(component) + "/" + file, sql);
    }
    Migrator migrator() { return Migrator(*db_, {roots_.path()}, Poco::Logger::get("test")); }
    std::string createTable(const std::string& name) {
        return "CREATE TABLE " + name + " (id INTEGER NOT NULL PRIMARY KEY, v VARCHAR(20));\n";
    }

public:
    void setUp() override {
        testDb_ = std::make_unique<relais::test::TestDatabase>();
        db_ = testDb_->open();
    }
    void tearDown() override {
        db_.reset();
        testDb_.reset();
    }

    void appliesInOrderOnceAndRecordsChecksums() {
        write(
            "comp", "0002_fill.sql",
            "INSERT INTO a (id, v) VALUES (1, 'one');\nINSERT INTO a (id, v) VALUES (2, 'two');\n");
        write("comp", "0001_create.sql", createTable("a"));
        auto applied = migrator().migrate("comp");
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, applied.size());
        CPPUNIT_ASSERT_EQUAL(1, applied[0].version);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, db_->query("SELECT id FROM a").size());
        auto rec = db_->query(
            "SELECT version, name, checksum FROM schema_migrations WHERE component = 'comp' ORDER "
            "BY version");
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, rec.size());
        CPPUNIT_ASSERT_EQUAL(std::string("create"), rec[0].getString("name"));
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(createTable("a")), rec[0].getString("checksum"));
        CPPUNIT_ASSERT(migrator().migrate("comp").empty());
    }

    void refusesAnAppliedMigrationThatChanged() {
        write("comp", "0001_create.sql", createTable("a"));
        migrator().migrate("comp");
        write("comp", "0001_create.sql", createTable("a") + "-- edited afterwards\n");
        try {
            migrator().migrate("comp");
            CPPUNIT_FAIL("a changed migration was accepted");
        } catch (const MigrationError& e) {
            const std::string msg = e.what();
            CPPUNIT_ASSERT_MESSAGE(msg, msg.find("0001_create.sql") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(msg,
                                   msg.find("changed after it was applied") != std::string::npos);
        }
    }

    void refusesAnAppliedMigrationThatVanished() {
        write("comp", "0001_create.sql", createTable("a"));
        migrator().migrate("comp");
        std::filesystem::remove(folder("comp") + "/0001_create.sql");
        CPPUNIT_ASSERT_THROW(migrator().migrate("comp"), MigrationError);
    }

    void aFailedMigrationIsNotRecordedAndRunsAgain() {
        write("comp", "0001_create.sql", createTable("a"));
        write("comp", "0002_broken.sql",
              "CREATE TABLE b (id INTEGER);\nINSERT INTO missing_table VALUES (1);\n");
        CPPUNIT_ASSERT_THROW(migrator().migrate("comp"), MigrationError);
        CPPUNIT_ASSERT_EQUAL(
            std::size_t{1},
            db_->query("SELECT version FROM schema_migrations WHERE component = 'comp'").size());
        bool bExists = true;
        try {
            db_->query("SELECT COUNT(*) FROM b");
        } catch (const relais::db::Error&) {
            bExists = false;
        }
        // SQLite runs the migration in a transaction; MySQL commits DDL as it goes.
        CPPUNIT_ASSERT_EQUAL(dialect() == Dialect::MySQL, bExists);
        write("comp", "0002_broken.sql", "CREATE TABLE IF NOT EXISTS b (id INTEGER);\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, migrator().migrate("comp").size());
    }

    void refusesMalformedNamesAndDuplicateVersions() {
        write("comp", "1_short.sql", createTable("a"));
        CPPUNIT_ASSERT_THROW(migrator().discover("comp"), MigrationError);
        std::filesystem::remove(folder("comp") + "/1_short.sql");
        write("comp", "0001_a.sql", createTable("a"));
        write("comp", "0001_b.sql", createTable("b"));
        CPPUNIT_ASSERT_THROW(migrator().discover("comp"), MigrationError);
    }

    void componentsAreIndependent() {
        write("one", "0001_create.sql", createTable("one_t"));
        write("two", "0001_create.sql", createTable("two_t"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, migrator().migrate("one").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, migrator().migrate("two").size());
        CPPUNIT_ASSERT(migrator().migrate("absent").empty());
    }

    void theKernelMigrationsApplyAndTheJournalIsAppendOnly() {
        Migrator m(*db_, {relais::test::sourceDir() + "/migrations"}, Poco::Logger::get("test"));
        CPPUNIT_ASSERT(!m.migrate("kernel").empty());
        for (const char* table : {"jobs", "job_queue", "mail_outbox", "journal", "journal_heads"})
            db_->query(std::string("SELECT COUNT(*) AS n FROM ") + table);
        db_->execute(
            "INSERT INTO journal (chain, seq, at, actor_type, actor_id, actor_email, action, "
            "object_type,"
            " object_id, ip, details, prev_hash, hash) VALUES ('x', 1, 0, '', '', '', 'a', '', '', "
            "'', '{}', '', '')");
        CPPUNIT_ASSERT_THROW(db_->execute("UPDATE journal SET action = 'b'"), relais::db::Error);
        CPPUNIT_ASSERT_THROW(db_->execute("DELETE FROM journal"), relais::db::Error);
        CPPUNIT_ASSERT_EQUAL(std::string("a"),
                             db_->query("SELECT action FROM journal")[0].getString("action"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MigratorTest);

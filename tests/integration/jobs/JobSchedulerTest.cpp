#include <Poco/Logger.h>
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "TestSupport.h"
#include "jobs/DatabaseJobScheduler.h"
#include "relais/Database.h"
#include "relais/Time.h"

using relais::DatabaseJobScheduler;
using relais::JobContext;
using relais::JobSchedulerOptions;

// Runs on both drivers (--db sqlite / --db mysql).
class JobSchedulerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JobSchedulerTest);
    CPPUNIT_TEST(aPeriodicJobRunsAndItsRunIsRecorded);
    CPPUNIT_TEST(aFailingRunIsRecordedWithItsError);
    CPPUNIT_TEST(twoNodesNeverRunTheSameJobAtOnce);
    CPPUNIT_TEST(aLiveLeaseIsRespectedAndADeadOneTakenOver);
    CPPUNIT_TEST(aLongJobKeepsItsLeaseAlive);
    CPPUNIT_TEST(aOneOffTaskRunsOnceAfterCommit);
    CPPUNIT_TEST(aFailingTaskIsRetriedThenMarkedFailed);
    CPPUNIT_TEST(aTaskOfADeadNodeRunsAgain);
    CPPUNIT_TEST(triggerRunsAJobAhead);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<relais::test::MigratedDatabase> migrated_;
    relais::db::Database* db_ = nullptr;

    std::unique_ptr<DatabaseJobScheduler> scheduler(const std::string& node,
                                                    std::int64_t leaseMs = 60000, int threads = 2) {
        JobSchedulerOptions o;
        o.pollMs = 20;
        o.leaseMs = leaseMs;
        o.threads = threads;
        o.nodeId = node;
        return std::make_unique<DatabaseJobScheduler>(*db_, Poco::Logger::get("test.jobs"), o);
    }

public:
    void setUp() override {
        migrated_ = std::make_unique<relais::test::MigratedDatabase>();
        db_ = &**migrated_;
    }
    void tearDown() override {
        db_ = nullptr;
        migrated_.reset();
    }

    void aPeriodicJobRunsAndItsRunIsRecorded() {
        auto s = scheduler("node-a");
        std::atomic<int> runs{0};
        s->addPeriodic("test.tick", 50, [&](JobContext& ctx) {
            CPPUNIT_ASSERT_EQUAL(std::string("test.tick"), ctx.name);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            ++runs;
        });
        s->start();
        relais::test::waitUntil([&] { return runs >= 3; }, 10000, "three runs");
        s->stop();
        auto status = s->status();
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, status.size());
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), status[0].lastOutcome);
        CPPUNIT_ASSERT(status[0].runs >= 3);
        CPPUNIT_ASSERT(status[0].lastDurationMs >= 15);
        CPPUNIT_ASSERT(status[0].lastStartedAtMs > relais::nowMs() - 60000);
        CPPUNIT_ASSERT(status[0].leaseOwner.empty());
    }

    void aFailingRunIsRecordedWithItsError() {
        auto s = scheduler("node-a");
        std::atomic<int> runs{0};
        s->addPeriodic("test.broken", 1000000, [&](JobContext&) {
            ++runs;
            throw std::runtime_error("disk on fire");
        });
        s->start(false);
        s->tick();
        s->waitIdle();
        auto status = s->status();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), status[0].lastOutcome);
        CPPUNIT_ASSERT_EQUAL(std::string("disk on fire"), status[0].lastError);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, status[0].failures);
        s->tick();  // not due again for a long time
        s->waitIdle();
        CPPUNIT_ASSERT_EQUAL(1, runs.load());
    }

    void twoNodesNeverRunTheSameJobAtOnce() {
        std::atomic<int> inside{0}, overlaps{0}, runs{0};
        auto body = [&](JobContext&) {
            if (inside.fetch_add(1) > 0)
                ++overlaps;
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
            --inside;
            ++runs;
        };
        auto a = scheduler("node-a"), b = scheduler("node-b");
        a->addPeriodic("test.exclusive", 1, body);
        b->addPeriodic("test.exclusive", 1, body);
        a->start();
        b->start();
        relais::test::waitUntil([&] { return runs >= 20; }, 20000, "twenty runs across two nodes");
        a->stop();
        b->stop();
        CPPUNIT_ASSERT_EQUAL(0, overlaps.load());
    }

    void aLiveLeaseIsRespectedAndADeadOneTakenOver() {
        auto s = scheduler("node-b");
        std::atomic<int> runs{0};
        s->addPeriodic("test.leased", 1000000, [&](JobContext&) { ++runs; });
        s->start(false);
        // Another node holds the lease and is alive (its lease is in the future).
        db_->execute(
            "UPDATE jobs SET lease_owner = 'node-a', lease_expires_at = ?, next_run_at = 0 WHERE "
            "name = 'test.leased'",
            {relais::nowMs() + 60000});
        s->tick();
        s->waitIdle();
        CPPUNIT_ASSERT_EQUAL(0, runs.load());
        // That node died: its lease ran out.
        db_->execute("UPDATE jobs SET lease_expires_at = ? WHERE name = 'test.leased'",
                     {relais::nowMs() - 1});
        s->tick();
        s->waitIdle();
        CPPUNIT_ASSERT_EQUAL(1, runs.load());
        CPPUNIT_ASSERT(s->status()[0].leaseOwner.empty());
    }

    void aLongJobKeepsItsLeaseAlive() {
        // Lease 300 ms, job 900 ms: renewals must keep the other node out.
        std::atomic<int> runsA{0}, runsB{0};
        std::atomic<bool> release{false};
        auto a = scheduler("node-a", 300), b = scheduler("node-b", 300);
        a->addPeriodic("test.long", 1000000, [&](JobContext&) {
            ++runsA;
            std::this_thread::sleep_for(std::chrono::milliseconds(900));
        });
        b->addPeriodic("test.long", 1000000, [&](JobContext&) { ++runsB; });
        a->start();
        relais::test::waitUntil([&] { return runsA == 1; }, 5000, "node a to start the job");
        db_->execute("UPDATE jobs SET next_run_at = 0 WHERE name = 'test.long'");
        b->start();
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        CPPUNIT_ASSERT_EQUAL(0, runsB.load());
        a->stop();
        b->stop();
        (void)release;
    }

    void aOneOffTaskRunsOnceAfterCommit() {
        auto s = scheduler("node-a");
        std::atomic<int> runs{0};
        std::string seen;
        s->defineTask(
            "test.once",
            [&](JobContext& ctx) {
                seen = ctx.payload;
                ++runs;
            },
            3);
        s->start(false);
        std::int64_t id = db_->transaction(
            [&](relais::db::Connection& c) { return s->enqueue(c, "test.once", "{\"x\":1}", 0); });
        CPPUNIT_ASSERT_THROW(db_->transaction([&](relais::db::Connection& c) {
            s->enqueue(c, "test.once", "rolled back", 0);
            throw std::runtime_error("abort");
        }),
                             std::runtime_error);
        for (int i = 0; i < 3; ++i) {
            s->tick();
            s->waitIdle();
        }
        CPPUNIT_ASSERT_EQUAL(1, runs.load());
        CPPUNIT_ASSERT_EQUAL(std::string("{\"x\":1}"), seen);
        auto row = db_->query("SELECT state, attempts FROM job_queue WHERE id = ?", {id});
        CPPUNIT_ASSERT_EQUAL(std::string("done"), row[0].getString("state"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, row[0].getInt("attempts"));
        CPPUNIT_ASSERT_THROW(db_->transaction([&](relais::db::Connection& c) {
            s->enqueue(c, "test.unknown", "", 0);
        }),
                             std::invalid_argument);
    }

    void aFailingTaskIsRetriedThenMarkedFailed() {
        auto s = scheduler("node-a");
        std::atomic<int> runs{0};
        s->defineTask(
            "test.flaky",
            [&](JobContext&) {
                ++runs;
                throw std::runtime_error("remote down");
            },
            2);
        s->start(false);
        std::int64_t id = db_->transaction(
            [&](relais::db::Connection& c) { return s->enqueue(c, "test.flaky", "", 0); });
        s->tick();
        s->waitIdle();
        auto row = db_->query(
            "SELECT state, attempts, run_at, last_error FROM job_queue WHERE id = ?", {id});
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), row[0].getString("state"));
        CPPUNIT_ASSERT(row[0].getInt("run_at") > relais::nowMs());  // backed off
        CPPUNIT_ASSERT_EQUAL(std::string("remote down"), row[0].getString("last_error"));
        db_->execute("UPDATE job_queue SET run_at = 0 WHERE id = ?", {id});
        s->tick();
        s->waitIdle();
        row = db_->query("SELECT state, attempts FROM job_queue WHERE id = ?", {id});
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), row[0].getString("state"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, row[0].getInt("attempts"));
        CPPUNIT_ASSERT_EQUAL(2, runs.load());
    }

    void aTaskOfADeadNodeRunsAgain() {
        auto s = scheduler("node-b");
        std::atomic<int> runs{0};
        s->defineTask(
            "test.orphan",
            [&](JobContext& ctx) {
                CPPUNIT_ASSERT_EQUAL(2, ctx.attempt);
                ++runs;
            },
            3);
        s->start(false);
        db_->execute(
            "INSERT INTO job_queue (kind, payload, state, run_at, attempts, max_attempts, "
            "lease_owner,"
            " lease_expires_at, created_at) VALUES ('test.orphan', '', 'running', 0, 1, 3, "
            "'dead-node', ?, 0)",
            {relais::nowMs() - 1});
        s->tick();
        s->waitIdle();
        CPPUNIT_ASSERT_EQUAL(1, runs.load());
    }

    void triggerRunsAJobAhead() {
        auto s = scheduler("node-a");
        std::atomic<int> runs{0};
        s->addPeriodic("test.rare", 1000000, [&](JobContext&) { ++runs; });
        s->start(false);
        s->tick();
        s->waitIdle();
        CPPUNIT_ASSERT_EQUAL(1, runs.load());
        s->tick();
        s->waitIdle();
        CPPUNIT_ASSERT_EQUAL(1, runs.load());
        s->trigger("test.rare");
        s->tick();
        s->waitIdle();
        CPPUNIT_ASSERT_EQUAL(2, runs.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JobSchedulerTest);

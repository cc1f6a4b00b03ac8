#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "TestSupport.h"
#include "relais/Database.h"
#include "relais/Time.h"

using relais::db::Connection;
using relais::db::Database;
using relais::db::Dialect;
using relais::db::Error;
using relais::test::dialect;

namespace {

const char* createTable() {
    return dialect() == Dialect::SQLite
               ? "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, n INTEGER,"
                 " f REAL, u TEXT UNIQUE)"
               : "CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, name TEXT, n BIGINT,"
                 " f DOUBLE, u VARCHAR(100) UNIQUE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
                 "COLLATE=utf8mb4_bin";
}

}  // namespace

// Runs on both drivers (--db sqlite / --db mysql).
class DatabaseTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DatabaseTest);
    CPPUNIT_TEST(valuesRoundTripThroughBoundParameters);
    CPPUNIT_TEST(transactionsCommitOrRollBack);
    CPPUNIT_TEST(constraintViolationsAreClassified);
    CPPUNIT_TEST(badSqlIsAnErrorOfItsOwnKind);
    CPPUNIT_TEST(concurrentReadModifyWritesLoseNothing);
    CPPUNIT_TEST(aTransientFailureIsRetried);
    CPPUNIT_TEST(anExhaustedPoolAnswersUnavailable);
    CPPUNIT_TEST(afterCommitCallbacksRunOnlyOnCommit);
    CPPUNIT_TEST(anUnreachableDatabaseFailsAtOpen);
    CPPUNIT_TEST(timestampsAreUtcMilliseconds);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<relais::test::TestDatabase> testDb_;
    std::unique_ptr<Database> db_;

public:
    void setUp() override {
        testDb_ = std::make_unique<relais::test::TestDatabase>();
        db_ = testDb_->open();
        db_->acquire()->executeScript(createTable());
    }
    void tearDown() override {
        db_.reset();
        testDb_.reset();
    }

    void valuesRoundTripThroughBoundParameters() {
        const std::string hostile = "Robert'); DROP TABLE t;-- \"é🙂\\";
        const std::string withNul("a\0b", 3);
        const std::int64_t big = 9007199254740993LL;  // not exact as a double
        db_->execute("INSERT INTO t (name, n, f, u) VALUES (?, ?, ?, ?)",
                     {hostile, big, 2.5, withNul});
        db_->execute("INSERT INTO t (name, n, f, u) VALUES (?, ?, ?, ?)",
                     {nullptr, -1, nullptr, "x"});
        auto rows = db_->query("SELECT name, n, f, u FROM t ORDER BY id");
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, rows.size());
        CPPUNIT_ASSERT_EQUAL(hostile, rows[0].getString("name"));
        CPPUNIT_ASSERT_EQUAL(big, rows[0].getInt("n"));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(2.5, rows[0].at("f").asReal(), 1e-9);
        CPPUNIT_ASSERT_EQUAL(withNul, rows[0].getString("u"));
        CPPUNIT_ASSERT(rows[1].isNull("name"));
        CPPUNIT_ASSERT(rows[1].isNull("f"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{-1}, rows[1].getInt("n"));
        // The table survived the hostile value.
        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             db_->query("SELECT id FROM t WHERE name = ?", {hostile}).size());
    }

    void transactionsCommitOrRollBack() {
        CPPUNIT_ASSERT_THROW(db_->transaction([](Connection& c) {
            c.execute("INSERT INTO t (name) VALUES (?)", {"lost"});
            throw std::runtime_error("handler failed");
        }),
                             std::runtime_error);
        CPPUNIT_ASSERT(db_->query("SELECT id FROM t").empty());
        std::int64_t id = db_->transaction([](Connection& c) {
            c.execute("INSERT INTO t (name) VALUES (?)", {"kept"});
            return c.lastInsertId();
        });
        CPPUNIT_ASSERT(id > 0);
        CPPUNIT_ASSERT_EQUAL(
            std::string("kept"),
            db_->query("SELECT name FROM t WHERE id = ?", {id})[0].getString("name"));
    }

    void constraintViolationsAreClassified() {
        db_->execute("INSERT INTO t (u) VALUES (?)", {"same"});
        try {
            db_->execute("INSERT INTO t (u) VALUES (?)", {"same"});
            CPPUNIT_FAIL("a duplicate was accepted");
        } catch (const Error& e) {
            CPPUNIT_ASSERT(e.kind() == Error::Kind::Constraint);
        }
    }

    void badSqlIsAnErrorOfItsOwnKind() {
        try {
            db_->query("SELECT nothing FROM nowhere WHERE x = ?", {1});
            CPPUNIT_FAIL("bad SQL was accepted");
        } catch (const Error& e) {
            CPPUNIT_ASSERT(e.kind() == Error::Kind::Other);
        }
        CPPUNIT_ASSERT_THROW(db_->query("SELECT ? + ?", {1}), Error);  // wrong parameter count
    }

    void concurrentReadModifyWritesLoseNothing() {
        db_->execute("INSERT INTO t (name, n) VALUES ('counter', 0)");
        const std::string select = dialect() == Dialect::MySQL
                                       ? "SELECT n FROM t WHERE name = 'counter' FOR UPDATE"
                                       : "SELECT n FROM t WHERE name = 'counter'";
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 25; ++i)
                    db_->transaction([&](Connection& c) {
                        std::int64_t n = c.query(select)[0].getInt("n");
                        c.execute("UPDATE t SET n = ? WHERE name = 'counter'", {n + 1});
                    });
            });
        for (auto& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(std::int64_t{100},
                             db_->query("SELECT n FROM t WHERE name = 'counter'")[0].getInt("n"));
    }

    void aTransientFailureIsRetried() {
        if (dialect() == Dialect::SQLite) {
            // A writer holds the lock past the busy timeout: the other gets SQLITE_BUSY. Without
            // retries that is an error; with them, the transaction goes through once the lock
            // frees.
            auto contend = [&](int maxRetries) {
                auto o = testDb_->options();
                o.busyTimeoutMs = 20;
                o.maxRetries = maxRetries;
                auto db = Database::open(o);
                std::atomic<bool> locked{false};
                std::thread holder([&] {
                    db->transaction([&](Connection& c) {
                        c.execute("INSERT INTO t (name) VALUES ('holder')");
                        locked = true;
                        std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    });
                });
                while (!locked)
                    std::this_thread::yield();
                bool ok = true;
                try {
                    db->transaction([&](Connection& c) {
                        c.execute("INSERT INTO t (name) VALUES ('waiter')");
                    });
                } catch (const Error& e) {
                    CPPUNIT_ASSERT(e.kind() == Error::Kind::Transient);
                    ok = false;
                }
                holder.join();
                return ok;
            };
            CPPUNIT_ASSERT_MESSAGE("without retries the busy database should fail", !contend(0));
            CPPUNIT_ASSERT_MESSAGE("the busy transaction was not retried", contend(8));
        } else {
            // Two transactions lock two rows in opposite orders: InnoDB kills one (deadlock).
            db_->execute("INSERT INTO t (name, n) VALUES ('a', 0), ('b', 0)");
            std::atomic<int> attempts{0};
            std::atomic<int> arrived{0};
            auto work = [&](const char* first, const char* second) {
                db_->transaction([&](Connection& c) {
                    ++attempts;
                    c.execute("UPDATE t SET n = n + 1 WHERE name = ?", {first});
                    if (arrived.fetch_add(1) < 2) {
                        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
                        while (arrived < 2 && std::chrono::steady_clock::now() < until)
                            std::this_thread::yield();
                    }
                    c.execute("UPDATE t SET n = n + 1 WHERE name = ?", {second});
                });
            };
            std::thread t1(work, "a", "b"), t2(work, "b", "a");
            t1.join();
            t2.join();
            CPPUNIT_ASSERT_MESSAGE("no deadlock was retried", attempts.load() > 2);
            CPPUNIT_ASSERT_EQUAL(std::int64_t{4},
                                 db_->query("SELECT SUM(n) AS s FROM t")[0].getInt("s"));
        }
    }

    void anExhaustedPoolAnswersUnavailable() {
        auto o = testDb_->options();
        o.poolSize = 1;
        o.acquireTimeoutMs = 100;
        auto db = Database::open(o);
        auto held = db->acquire();
        auto start = std::chrono::steady_clock::now();
        try {
            db->acquire();
            CPPUNIT_FAIL("a second connection came out of a pool of one");
        } catch (const Error& e) {
            CPPUNIT_ASSERT(e.kind() == Error::Kind::Unavailable);
        }
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    }

    void afterCommitCallbacksRunOnlyOnCommit() {
        int runs = 0;
        db_->transaction([&](Connection& c) {
            c.afterCommit([&] { ++runs; });
            c.execute("INSERT INTO t (name) VALUES ('x')");
            CPPUNIT_ASSERT_EQUAL(0, runs);
        });
        CPPUNIT_ASSERT_EQUAL(1, runs);
        try {
            db_->transaction([&](Connection& c) {
                c.afterCommit([&] { ++runs; });
                throw std::runtime_error("rolled back");
            });
        } catch (const std::runtime_error&) {
        }
        db_->transaction([&](Connection& c) { c.execute("INSERT INTO t (name) VALUES ('y')"); });
        CPPUNIT_ASSERT_EQUAL(1, runs);
    }

    void anUnreachableDatabaseFailsAtOpen() {
        auto o = testDb_->options();
        if (dialect() == Dialect::SQLite) {
            o.sqlitePath = "/nonexistent-folder/relais.sqlite3";
        } else {
            o.port = relais::test::freePort();
            o.connectTimeoutMs = 1000;
        }
        try {
            Database::open(o);
            CPPUNIT_FAIL("opened an unreachable database");
        } catch (const Error& e) {
            CPPUNIT_ASSERT(e.kind() == Error::Kind::Unavailable);
            if (dialect() == Dialect::MySQL)
                CPPUNIT_ASSERT_MESSAGE(
                    e.what(), std::string(e.what()).find("127.0.0.1:" + std::to_string(o.port)) !=
                                  std::string::npos);
        }
    }

    void timestampsAreUtcMilliseconds() {
        const std::int64_t now = relais::nowMs();
        db_->execute("INSERT INTO t (name, n) VALUES ('t', ?)", {now});
        CPPUNIT_ASSERT_EQUAL(now, db_->query("SELECT n FROM t WHERE name = 't'")[0].getInt("n"));
        CPPUNIT_ASSERT(now > 1700000000000LL && now < 4102444800000LL);
        if (dialect() == Dialect::MySQL)
            CPPUNIT_ASSERT_EQUAL(std::string("+00:00"),
                                 db_->query("SELECT @@session.time_zone AS tz")[0].getString("tz"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseTest);

// Only meaningful on MariaDB: the suite's main adds it when run with --db mysql.
class MysqlConnectionLossTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MysqlConnectionLossTest);
    CPPUNIT_TEST(aKilledConnectionIsReplacedAndTheTransactionRetried);
    CPPUNIT_TEST_SUITE_END();

public:
    void aKilledConnectionIsReplacedAndTheTransactionRetried() {
        relais::test::TestDatabase testDb;
        auto admin = testDb.open();
        admin->acquire()->executeScript(createTable());
        // The server kills the pool's only connection; the next transaction finds it dead.
        auto killedThenInsert = [&](int maxRetries) {
            auto o = testDb.options();
            o.poolSize = 1;
            o.maxRetries = maxRetries;
            auto db = Database::open(o);
            const std::int64_t victim = db->query("SELECT CONNECTION_ID() AS id")[0].getInt("id");
            admin->acquire()->executeScript("KILL CONNECTION " + std::to_string(victim));
            db->transaction([&](Connection& c) {
                c.execute("INSERT INTO t (name) VALUES ('after the kill')");
            });
            CPPUNIT_ASSERT(db->query("SELECT CONNECTION_ID() AS id")[0].getInt("id") != victim);
        };
        try {
            killedThenInsert(0);
            CPPUNIT_FAIL("a killed connection went unnoticed");
        } catch (const Error& e) {
            CPPUNIT_ASSERT(e.kind() == Error::Kind::Transient);
        }
        killedThenInsert(3);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, admin->query("SELECT id FROM t").size());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(MysqlConnectionLossTest, "mysql");

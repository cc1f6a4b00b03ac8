#include <Poco/Logger.h>
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

#include "TestSupport.h"
#include "audit/ChainedJournal.h"
#include "events/InProcessEventBus.h"
#include "relais/Database.h"
#include "relais/Random.h"

using relais::ChainedJournal;
using relais::JournalEntry;
using relais::db::Dialect;
using relais::test::dialect;

// Runs on both drivers (--db sqlite / --db mysql).
class JournalTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JournalTest);
    CPPUNIT_TEST(anUntouchedChainVerifies);
    CPPUNIT_TEST(anAlteredEntryIsNamed);
    CPPUNIT_TEST(aDeletedEntryIsNamed);
    CPPUNIT_TEST(anInsertedEntryIsNamed);
    CPPUNIT_TEST(entriesDeletedAtTheEndAreDetected);
    CPPUNIT_TEST(anotherKeyCannotVerify);
    CPPUNIT_TEST(tenantChainsAreSeparate);
    CPPUNIT_TEST(theTableRefusesUpdatesAndDeletes);
    CPPUNIT_TEST(concurrentAppendsMakeOneGaplessChain);
    CPPUNIT_TEST(eventsFollowCommitsOnly);
    CPPUNIT_TEST(listFilters);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<relais::test::MigratedDatabase> migrated_;
    relais::db::Database* db_ = nullptr;
    std::unique_ptr<relais::InProcessEventBus> events_;
    std::unique_ptr<ChainedJournal> journal_;
    const std::string key_ = relais::randomBytes(32);

    JournalEntry entry(const std::string& tenant, const std::string& action,
                       const std::string& object = "o1") {
        return JournalEntry{tenant,         {"user", "u_1", "alice@example.fr"},
                            action,         "file",
                            object,         "192.0.2.7",
                            "{\"size\":12}"};
    }
    // Tampering needs the append-only triggers out of the way, as an attacker with SQL access
    // would.
    void dropTriggers() {
        db_->acquire()->executeScript(
            "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;");
    }
    std::vector<std::int64_t> appendSome(const std::string& tenant, int n) {
        std::vector<std::int64_t> ids;
        for (int i = 0; i < n; ++i)
            ids.push_back(journal_->append(entry(tenant, "file.sent", "o" + std::to_string(i))));
        return ids;
    }

public:
    void setUp() override {
        migrated_ = std::make_unique<relais::test::MigratedDatabase>();
        db_ = &**migrated_;
        events_ = std::make_unique<relais::InProcessEventBus>(Poco::Logger::get("test"));
        journal_ =
            std::make_unique<ChainedJournal>(*db_, *events_, key_, Poco::Logger::get("test"));
    }
    void tearDown() override {
        journal_.reset();
        db_ = nullptr;
        migrated_.reset();
    }

    void anUntouchedChainVerifies() {
        CPPUNIT_ASSERT(journal_->verify("").ok);
        appendSome("", 5);
        auto v = journal_->verify("");
        CPPUNIT_ASSERT(v.ok);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, v.entriesChecked);
    }

    void anAlteredEntryIsNamed() {
        auto ids = appendSome("tn_1", 5);
        dropTriggers();
        db_->execute("UPDATE journal SET details = '{\"size\":13}' WHERE id = ?", {ids[2]});
        auto v = journal_->verify("tn_1");
        CPPUNIT_ASSERT(!v.ok);
        CPPUNIT_ASSERT_EQUAL(ids[2], v.firstBadEntryId);
        CPPUNIT_ASSERT_EQUAL(std::string("altered"), v.problem);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, v.entriesChecked);
    }

    void aDeletedEntryIsNamed() {
        auto ids = appendSome("tn_1", 5);
        dropTriggers();
        db_->execute("DELETE FROM journal WHERE id = ?", {ids[1]});
        auto v = journal_->verify("tn_1");
        CPPUNIT_ASSERT(!v.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("missing"), v.problem);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, v.firstBadSeq);
        CPPUNIT_ASSERT_EQUAL(ids[2], v.firstBadEntryId);  // where entry 2 should have been
    }

    void anInsertedEntryIsNamed() {
        auto ids = appendSome("tn_1", 3);
        dropTriggers();
        // Make room after entry 1 and slip a forged entry in, as someone without the key would.
        db_->execute("UPDATE journal SET seq = seq + 1000 WHERE chain = 't:tn_1' AND seq >= 2");
        db_->execute("UPDATE journal SET seq = seq - 999 WHERE chain = 't:tn_1' AND seq >= 1000");
        auto first = db_->query("SELECT hash FROM journal WHERE id = ?", {ids[0]});
        db_->execute(
            "INSERT INTO journal (chain, seq, at, actor_type, actor_id, actor_email, action, "
            "object_type,"
            " object_id, ip, details, prev_hash, hash) VALUES ('t:tn_1', 2, 0, 'user', 'u_9', "
            "'eve@example.fr',"
            " 'file.deleted', 'file', 'o9', '203.0.113.1', '{}', ?, ?)",
            {first[0].getString("hash"), std::string(64, 'f')});
        auto v = journal_->verify("tn_1");
        CPPUNIT_ASSERT(!v.ok);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, v.firstBadSeq);
        CPPUNIT_ASSERT_EQUAL(std::string("inserted"), v.problem);
    }

    void entriesDeletedAtTheEndAreDetected() {
        auto ids = appendSome("", 4);
        dropTriggers();
        db_->execute("DELETE FROM journal WHERE id >= ?", {ids[2]});
        auto v = journal_->verify("");
        CPPUNIT_ASSERT(!v.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("missing"), v.problem);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, v.firstBadSeq);
        // Rolling the head back to entry 2 without the key is detected too.
        auto second = db_->query("SELECT hash FROM journal WHERE id = ?", {ids[1]});
        db_->execute("UPDATE journal_heads SET seq = 2, hash = ? WHERE chain = 'platform'",
                     {second[0].getString("hash")});
        v = journal_->verify("");
        CPPUNIT_ASSERT(!v.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("altered"), v.problem);
    }

    void anotherKeyCannotVerify() {
        appendSome("", 2);
        ChainedJournal other(*db_, *events_, relais::randomBytes(32), Poco::Logger::get("test"));
        CPPUNIT_ASSERT(!other.verify("").ok);
    }

    void tenantChainsAreSeparate() {
        appendSome("tn_a", 3);
        appendSome("tn_b", 2);
        appendSome("", 1);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, journal_->verify("tn_a").entriesChecked);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, journal_->verify("tn_b").entriesChecked);
        relais::JournalQuery q;
        q.tenantId = "tn_b";
        for (const auto& e : journal_->list(q))
            CPPUNIT_ASSERT_EQUAL(std::string("tn_b"), e.entry.tenantId);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, journal_->list(q).size());
    }

    void theTableRefusesUpdatesAndDeletes() {
        auto ids = appendSome("", 1);
        CPPUNIT_ASSERT_THROW(db_->execute("UPDATE journal SET action = 'x' WHERE id = ?", {ids[0]}),
                             relais::db::Error);
        CPPUNIT_ASSERT_THROW(db_->execute("DELETE FROM journal WHERE id = ?", {ids[0]}),
                             relais::db::Error);
        CPPUNIT_ASSERT(journal_->verify("").ok);
    }

    void concurrentAppendsMakeOneGaplessChain() {
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 10; ++i)
                    journal_->append(entry("tn_c", "file.sent", std::to_string(t)));
            });
        for (auto& t : threads)
            t.join();
        auto v = journal_->verify("tn_c");
        CPPUNIT_ASSERT(v.ok);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{40}, v.entriesChecked);
    }

    void eventsFollowCommitsOnly() {
        std::atomic<int> seen{0};
        events_->subscribe("journal.", [&](const relais::Event& e) {
            CPPUNIT_ASSERT_EQUAL(std::string("tn_e"), e.tenantId);
            ++seen;
        });
        journal_->append(entry("tn_e", "a.b"));
        CPPUNIT_ASSERT_EQUAL(1, seen.load());
        try {
            db_->transaction([&](relais::db::Connection& c) {
                journal_->append(c, entry("tn_e", "a.c"));
                throw std::runtime_error("the action failed");
            });
        } catch (const std::runtime_error&) {
        }
        CPPUNIT_ASSERT_EQUAL(1, seen.load());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, journal_->verify("tn_e").entriesChecked);
    }

    void listFilters() {
        journal_->append(entry("tn_f", "auth.login"));
        journal_->append(entry("tn_f", "auth.logout"));
        journal_->append(entry("tn_f", "file.sent"));
        journal_->append(JournalEntry{
            "tn_f", {"user", "u_2", "bob@example.fr"}, "auth_x.login", "", "", "", "{}"});
        relais::JournalQuery q;
        q.tenantId = "tn_f";
        q.action = "auth.";
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, journal_->list(q).size());  // not auth_x.login
        q.action = "file.sent";
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, journal_->list(q).size());
        q.action.clear();
        q.actorId = "u_2";
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, journal_->list(q).size());
        q.actorId.clear();
        q.limit = 2;
        auto page1 = journal_->list(q);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, page1.size());
        q.afterId = page1.back().id;
        auto page2 = journal_->list(q);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, page2.size());
        CPPUNIT_ASSERT(page2.front().id > page1.back().id);
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.7"), page1.front().entry.ip);
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.fr"), page1.front().entry.actor.email);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JournalTest);

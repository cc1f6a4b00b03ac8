#include <Poco/Logger.h>
#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "TestSupport.h"
#include "audit/ChainedJournal.h"
#include "crypto/KeyStore.h"
#include "crypto/MasterKeyring.h"
#include "events/InProcessEventBus.h"
#include "migrate/Migrator.h"
#include "relais/Database.h"
#include "storage/EncryptedFileStore.h"
#include "storage/LocalBlobStore.h"

// A writer process killed with SIGKILL in the middle of a write: nothing half-written becomes
// visible, and the garbage collector clears what it left.
class CrashTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CrashTest);
    CPPUNIT_TEST(aWriterKilledMidWriteLeavesNothingVisibleAndGcCleansUp);
    CPPUNIT_TEST_SUITE_END();

public:
    void aWriterKilledMidWriteLeavesNothingVisibleAndGcCleansUp() {
        relais::test::TempDir dir;
        relais::db::DatabaseOptions o;
        o.sqlitePath = dir.file("relais.sqlite3");
        auto db = relais::db::Database::open(o);
        relais::Migrator(*db, {relais::test::sourceDir() + "/migrations"}, Poco::Logger::get("test")).migrate("kernel");
        relais::MasterKeyring::load(dir.file("master.key"), true);

        const std::string out = dir.file("writer.out");
        const pid_t pid = ::fork();
        if (pid == 0) {
            int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(fd, 1);
            const std::string exe = relais::test::binaryDir() + "/bin/storage_writer";
            ::execl(exe.c_str(), exe.c_str(), dir.path().c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        relais::test::waitUntil([&] { return relais::test::readFile(out).find("writing ") != std::string::npos; }, 20000,
                                "the writer to start writing");
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        CPPUNIT_ASSERT(WIFSIGNALED(status));
        std::string fileId = relais::test::readFile(out).substr(8);
        fileId.erase(fileId.find_last_not_of("\n") + 1);

        auto ring = relais::MasterKeyring::load(dir.file("master.key"), false);
        relais::KeyStore keys(*db, ring, Poco::Logger::get("test"));
        relais::InProcessEventBus events(Poco::Logger::get("test"));
        relais::ChainedJournal journal(*db, events, keys.platformKey("journal"), Poco::Logger::get("test"));
        relais::LocalBlobStore blobs(dir.file("blobs"));
        relais::FileStoreOptions fo;
        fo.segmentBytes = 4096;
        fo.gcGraceMs = 0;
        relais::EncryptedFileStore files(*db, blobs, keys, journal, Poco::Logger::get("test"), fo);

        // The write never committed: the file is empty, its bytes are in a pending blob only.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, files.stat("tn_crash", fileId).size);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, files.usage("tn_crash").usedBytes);
        int pending = 0, committed = 0;
        blobs.list([&](const relais::BlobInfo& b) { (b.pending ? pending : committed)++; });
        CPPUNIT_ASSERT_EQUAL(1, pending);
        CPPUNIT_ASSERT_EQUAL(0, committed);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, db->query("SELECT COUNT(*) AS n FROM storage_reservations")[0].getInt("n"));

        std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the writer's reservation lapses
        auto collected = files.collectGarbage();
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, collected.pending);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, collected.reservations);
        blobs.list([&](const relais::BlobInfo&) { CPPUNIT_FAIL("a blob is left after GC"); });
        // The file can be written again from where it stands.
        auto w = files.append("tn_crash", fileId, 5);
        w->write("again", 5);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, w->commit());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CrashTest);

#include <cppunit/extensions/HelperMacros.h>

#include <sys/time.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "TestSupport.h"
#include "crypto/KeyStore.h"
#include "crypto/MasterKeyring.h"
#include "relais/Database.h"
#include "relais/FileStore.h"
#include "relais/Journal.h"
#include "relais/Problem.h"
#include "storage/EncryptedFileStore.h"
#include "storage/LocalBlobStore.h"
#include "storage/PieceFormat.h"

#include <Poco/Logger.h>

using relais::StorageError;

namespace {

constexpr std::uint32_t kSegment = 4096;

std::string pattern(std::size_t size, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s(size, '\0');
    for (auto& c : s) c = static_cast<char>(gen());
    return s;
}

StorageError::Kind storageKind(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const StorageError& e) {
        return e.kind();
    }
    CPPUNIT_FAIL("expected a StorageError");
    return StorageError::Kind::Unavailable;
}

std::string problemCode(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const relais::Problem& p) {
        return p.code();
    }
    return "none";
}

std::vector<relais::BlobInfo> blobsOf(relais::LocalBlobStore& store) {
    std::vector<relais::BlobInfo> out;
    store.list([&](const relais::BlobInfo& b) { out.push_back(b); });
    return out;
}

void age(const std::string& path, std::int64_t seconds) {
    struct timeval times[2];
    ::gettimeofday(&times[0], nullptr);
    times[0].tv_sec -= seconds;
    times[1] = times[0];
    ::utimes(path.c_str(), times);
}

}  // namespace

// Runs on both drivers (--db sqlite / --db mysql).
class FileStoreTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FileStoreTest);
    CPPUNIT_TEST(roundTripsAtTheEdgesOfSegments);
    CPPUNIT_TEST(appendedPiecesReadAsOneFile);
    CPPUNIT_TEST(anotherTenantsFileIsNotFound);
    CPPUNIT_TEST(removingAFileShredsIt);
    CPPUNIT_TEST(theQuotaIsCheckedBeforeAnyByteIsStored);
    CPPUNIT_TEST(theQuotaHoldsUnderConcurrentWriters);
    CPPUNIT_TEST(aCrashedWritersReservationLapses);
    CPPUNIT_TEST(garbageCollectionTakesOnlyOldOrphans);
    CPPUNIT_TEST(aPurgedTenantsSavedBlobsAreUnreadable);
    CPPUNIT_TEST(tenantRotationRewrapsWithoutReencrypting);
    CPPUNIT_TEST(masterRotationKeepsEverythingReadable);
    CPPUNIT_TEST(aCorruptBlobIsRefusedReportedAndJournalled);
    CPPUNIT_TEST(aDataKeyMovedToAnotherFileDoesNotOpen);
    CPPUNIT_TEST(aSealedFileTakesNoMoreData);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<relais::test::StorageStack> s_;

    relais::EncryptedFileStore& files() { return s_->files(); }
    relais::db::Database& db() { return *s_->database(); }

public:
    void setUp() override { s_ = std::make_unique<relais::test::StorageStack>(kSegment); }
    void tearDown() override { s_.reset(); }

    void roundTripsAtTheEdgesOfSegments() {
        for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{kSegment - 1}, std::size_t{kSegment},
                                 std::size_t{kSegment + 1}}) {
            const std::string plain = pattern(size, static_cast<unsigned>(size) + 1);
            const std::string id = s_->store("tn_a", plain);
            CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(size), files().stat("tn_a", id).size);
            CPPUNIT_ASSERT_MESSAGE("size " + std::to_string(size), plain == s_->read("tn_a", id));
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3 * kSegment + 1}, files().usage("tn_a").usedBytes);
    }

    void appendedPiecesReadAsOneFile() {
        const std::string plain = pattern(3 * kSegment + 1234, 11);
        const std::string id = files().createFile("tn_a");
        std::size_t at = 0;
        for (std::size_t part : {std::size_t{1000}, std::size_t{kSegment * 2}, plain.size() - 1000 - kSegment * 2}) {
            auto w = files().append("tn_a", id, -1);
            w->write(plain.data() + at, part);
            at += part;
            CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(at), w->commit());
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, db().query("SELECT COUNT(*) AS n FROM storage_pieces WHERE file_id = ?", {id})[0].getInt("n"));
        auto r = files().open("tn_a", id);
        std::mt19937 gen(5);
        for (int i = 0; i < 200; ++i) {
            const std::size_t offset = gen() % plain.size();
            const std::size_t length = 1 + gen() % (2 * kSegment);
            std::string got(length, '\0');
            const std::size_t n = r->read(static_cast<std::int64_t>(offset), got.data(), length);
            CPPUNIT_ASSERT_EQUAL(std::min(length, plain.size() - offset), n);
            CPPUNIT_ASSERT(got.compare(0, n, plain, offset, n) == 0);
        }
    }

    void anotherTenantsFileIsNotFound() {
        const std::string id = s_->store("tn_a", "secret of A");
        CPPUNIT_ASSERT(storageKind([&] { files().open("tn_b", id); }) == StorageError::Kind::NotFound);
        CPPUNIT_ASSERT(storageKind([&] { files().stat("tn_b", id); }) == StorageError::Kind::NotFound);
        CPPUNIT_ASSERT(storageKind([&] { files().remove("tn_b", id); }) == StorageError::Kind::NotFound);
        CPPUNIT_ASSERT(storageKind([&] { files().append("tn_b", id, -1); }) == StorageError::Kind::NotFound);
        CPPUNIT_ASSERT_EQUAL(std::string("secret of A"), s_->read("tn_a", id));
    }

    void removingAFileShredsIt() {
        const std::string id = s_->store("tn_a", pattern(10000, 2));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, blobsOf(s_->blobs()).size());
        files().remove("tn_a", id);
        CPPUNIT_ASSERT(db().query("SELECT id FROM storage_files WHERE id = ?", {id}).empty());
        CPPUNIT_ASSERT(db().query("SELECT file_id FROM storage_pieces WHERE file_id = ?", {id}).empty());
        CPPUNIT_ASSERT(blobsOf(s_->blobs()).empty());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, files().usage("tn_a").usedBytes);
        CPPUNIT_ASSERT(storageKind([&] { files().open("tn_a", id); }) == StorageError::Kind::NotFound);
    }

    void theQuotaIsCheckedBeforeAnyByteIsStored() {
        files().setQuota("tn_q", 10000);
        const std::string id = files().createFile("tn_q");
        // Announced too big: refused at once.
        CPPUNIT_ASSERT_EQUAL(std::string("quota_exceeded"), problemCode([&] { files().append("tn_q", id, 20000); }));
        CPPUNIT_ASSERT(blobsOf(s_->blobs()).empty());
        // Unannounced: refused at the write that would pass it, and nothing stays.
        {
            auto w = files().append("tn_q", id, -1);
            const std::string block(6000, 'q');
            w->write(block.data(), block.size());
            CPPUNIT_ASSERT_EQUAL(std::string("quota_exceeded"), problemCode([&] { w->write(block.data(), block.size()); }));
            CPPUNIT_ASSERT_EQUAL(std::int64_t{6000}, w->written());
        }
        CPPUNIT_ASSERT(blobsOf(s_->blobs()).empty());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, files().usage("tn_q").usedBytes);
        // What fits is stored and counted.
        auto w = files().append("tn_q", id, 10000);
        w->write(std::string(10000, 'q').data(), 10000);
        w->commit();
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10000}, files().usage("tn_q").usedBytes);
        CPPUNIT_ASSERT_EQUAL(std::string("quota_exceeded"), problemCode([&] { files().append("tn_q", id, 1); }));
        // Another tenant is not affected.
        s_->store("tn_other", std::string(20000, 'o'));
    }

    void theQuotaHoldsUnderConcurrentWriters() {
        files().setQuota("tn_r", 100000);
        std::atomic<int> ok{0}, refused{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                try {
                    const std::string id = files().createFile("tn_r");
                    auto w = files().append("tn_r", id, -1);
                    const std::string block(5000, 'r');
                    for (int i = 0; i < 4; ++i) w->write(block.data(), block.size());
                    w->commit();
                    ++ok;
                } catch (const relais::Problem& p) {
                    if (p.code() == "quota_exceeded") ++refused;
                }
            });
        for (auto& t : threads) t.join();
        CPPUNIT_ASSERT_EQUAL(8, ok.load() + refused.load());
        CPPUNIT_ASSERT(ok.load() >= 1 && ok.load() <= 5);
        const std::int64_t stored = db().query("SELECT COALESCE(SUM(size), 0) AS s FROM storage_files WHERE tenant_id = 'tn_r'")[0].getInt("s");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{20000} * ok.load(), stored);
        CPPUNIT_ASSERT_EQUAL(stored, files().usage("tn_r").usedBytes);
        CPPUNIT_ASSERT(stored <= 100000);
    }

    void aCrashedWritersReservationLapses() {
        relais::test::StorageStack stack(kSegment, 3600000, 200);  // reservations live 200 ms
        stack.files().setQuota("tn_c", 1000);
        stack.files().quota().reserve("tn_c", 1000);  // a writer that will never come back
        const std::string id = stack.files().createFile("tn_c");
        CPPUNIT_ASSERT_EQUAL(std::string("quota_exceeded"), problemCode([&] { stack.files().append("tn_c", id, 10); }));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        stack.files().append("tn_c", id, 10);
        CPPUNIT_ASSERT(stack.files().collectGarbage().reservations >= 1);
    }

    void garbageCollectionTakesOnlyOldOrphans() {
        auto& blobs = s_->blobs();
        const std::string kept = s_->store("tn_a", "referenced");
        const std::string keptBlob = db().query("SELECT blob_name FROM storage_pieces WHERE file_id = ?", {kept})[0].getString("blob_name");
        auto orphan = [&](bool old) {
            const std::string name = relais::BlobStore::newName();
            auto w = blobs.create(name);
            w->write("orphan", 6);
            w->commit();
            if (old) age(blobs.pathOf(name), 7 * 3600);
            return name;
        };
        const std::string oldOrphan = orphan(true), youngOrphan = orphan(false);
        age(blobs.pathOf(keptBlob), 7 * 3600);  // old, but a row points to it
        auto pending = blobs.create(relais::BlobStore::newName());
        pending->write("abandoned", 9);
        std::string pendingPath;
        for (const auto& b : blobsOf(blobs))
            if (b.pending) pendingPath = blobs.root() + "/.pending/" + b.name;
        age(pendingPath, 7 * 3600);

        auto c = files().collectGarbage();  // grace: one hour
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, c.orphans);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, c.pending);
        CPPUNIT_ASSERT(!std::filesystem::exists(blobs.pathOf(oldOrphan)));
        CPPUNIT_ASSERT(std::filesystem::exists(blobs.pathOf(youngOrphan)));
        CPPUNIT_ASSERT(std::filesystem::exists(blobs.pathOf(keptBlob)));
        CPPUNIT_ASSERT_EQUAL(std::string("referenced"), s_->read("tn_a", kept));
    }

    void aPurgedTenantsSavedBlobsAreUnreadable() {
        const std::string plain = pattern(3 * kSegment, 21);
        const std::string id = s_->store("tn_p", plain);
        const std::string other = s_->store("tn_keep", "kept");
        // A backup: the blobs, and the file's rows.
        const std::string backup = s_->dir().file("backup");
        std::filesystem::copy(s_->blobs().root(), backup, std::filesystem::copy_options::recursive);
        auto fileRow = db().query("SELECT * FROM storage_files WHERE id = ?", {id});
        auto pieceRow = db().query("SELECT * FROM storage_pieces WHERE file_id = ?", {id});
        const std::string wrappedTenantKey =
            db().query("SELECT wrapped FROM tenant_keys WHERE tenant_id = 'tn_p'")[0].getString("wrapped");

        files().purgeTenant("tn_p");
        CPPUNIT_ASSERT(db().query("SELECT version FROM tenant_keys WHERE tenant_id = 'tn_p'").empty());
        if (relais::test::dialect() == relais::db::Dialect::SQLite) {
            // secure_delete: once checkpointed, not a byte of the destroyed key is left in the file.
            db().acquire()->executeScript("PRAGMA wal_checkpoint(TRUNCATE)");
            const std::string raw = relais::test::readFile(s_->database().test().options().sqlitePath);
            CPPUNIT_ASSERT(!raw.empty());
            CPPUNIT_ASSERT(raw.find(wrappedTenantKey.substr(0, 40)) == std::string::npos);
        }
        CPPUNIT_ASSERT(db().query("SELECT id FROM storage_files WHERE tenant_id = 'tn_p'").empty());

        // Everything restored but the destroyed tenant key: the file still cannot be read.
        std::filesystem::remove_all(s_->blobs().root());
        std::filesystem::copy(backup, s_->blobs().root(), std::filesystem::copy_options::recursive);
        const auto& f = fileRow[0];
        db().execute("INSERT INTO storage_files (id, tenant_id, size, sealed, segment_bytes, tenant_key_version, wrapped_key,"
                     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     {f.getString("id"), f.getString("tenant_id"), f.getInt("size"), f.getInt("sealed"),
                      f.getInt("segment_bytes"), f.getInt("tenant_key_version"), f.getString("wrapped_key"),
                      f.getInt("created_at"), f.getInt("updated_at")});
        const auto& p = pieceRow[0];
        db().execute("INSERT INTO storage_pieces (file_id, piece, blob_name, plain_offset, plain_size, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     {p.getString("file_id"), p.getInt("piece"), p.getString("blob_name"), p.getInt("plain_offset"),
                      p.getInt("plain_size"), p.getInt("created_at")});
        CPPUNIT_ASSERT(storageKind([&] { files().open("tn_p", id); }) == StorageError::Kind::NotFound);
        // A new key for the same tenant id (same version number, new random bytes) opens
        // nothing of the old data either.
        s_->keys().currentTenantKey("tn_p");
        CPPUNIT_ASSERT(storageKind([&] { files().open("tn_p", id); }) == StorageError::Kind::Integrity);
        CPPUNIT_ASSERT_EQUAL(std::string("kept"), s_->read("tn_keep", other));
    }

    void tenantRotationRewrapsWithoutReencrypting() {
        std::vector<std::pair<std::string, std::string>> stored;
        for (int i = 0; i < 3; ++i) {
            const std::string plain = pattern(5000 + i, 30 + i);
            stored.emplace_back(s_->store("tn_t", plain), plain);
        }
        auto blobsBefore = blobsOf(s_->blobs());
        const auto [version, rewrapped] = files().rotateTenantKey("tn_t");
        CPPUNIT_ASSERT_EQUAL(2, version);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, rewrapped);
        auto versions = db().query("SELECT version FROM tenant_keys WHERE tenant_id = 'tn_t'");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, versions.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, versions[0].getInt("version"));
        for (const auto& [id, plain] : stored) CPPUNIT_ASSERT(plain == s_->read("tn_t", id));
        auto blobsAfter = blobsOf(s_->blobs());
        CPPUNIT_ASSERT_EQUAL(blobsBefore.size(), blobsAfter.size());  // no blob rewritten
        relais::JournalQuery q;
        q.tenantId = "tn_t";
        q.action = "keys.tenant_rotated";
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, s_->journal().list(q).size());
    }

    void masterRotationKeepsEverythingReadable() {
        const std::string plain = pattern(9000, 40);
        const std::string id = s_->store("tn_m", plain);
        const auto [version, rewrapped] = s_->keys().rotateMaster();
        CPPUNIT_ASSERT_EQUAL(2, version);
        CPPUNIT_ASSERT(rewrapped >= 2);  // the journal's key and the tenant's
        const std::string keyFile = relais::test::readFile(s_->dir().file("master.key"));
        CPPUNIT_ASSERT_EQUAL(std::string("2:"), keyFile.substr(0, 2));
        CPPUNIT_ASSERT_EQUAL(std::size_t{67}, keyFile.size());  // one version left
        // A fresh process, with only the new key file.
        auto ring = relais::MasterKeyring::load(s_->dir().file("master.key"), false);
        relais::KeyStore keys(db(), ring, Poco::Logger::get("test"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0},
                             db().query("SELECT COUNT(*) AS n FROM tenant_keys WHERE master_version <> 2")[0].getInt("n"));
        CPPUNIT_ASSERT(!keys.tenantKey("tn_m", 1).empty());
        CPPUNIT_ASSERT(plain == s_->read("tn_m", id));
    }

    void aCorruptBlobIsRefusedReportedAndJournalled() {
        const std::string good = s_->store("tn_i", pattern(3 * kSegment, 50));
        const std::string bad = s_->store("tn_i", pattern(3 * kSegment, 51));
        const std::string blob = db().query("SELECT blob_name FROM storage_pieces WHERE file_id = ?", {bad})[0].getString("blob_name");
        relais::test::flipByte(s_->blobs().pathOf(blob), relais::piece::kHeaderBytes + kSegment + 16 + 100);
        auto r = files().open("tn_i", bad);
        std::string buf(kSegment, '#');
        CPPUNIT_ASSERT_EQUAL(std::size_t{kSegment}, r->read(0, buf.data(), kSegment));
        std::string second(kSegment, '#');
        CPPUNIT_ASSERT(storageKind([&] { r->read(kSegment, second.data(), kSegment); }) == StorageError::Kind::Integrity);
        CPPUNIT_ASSERT_EQUAL(std::string(kSegment, '#'), second);

        std::vector<relais::BadFile> found;
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, files().verifyAll([&](const relais::BadFile& f) { found.push_back(f); }));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, found.size());
        CPPUNIT_ASSERT_EQUAL(bad, found[0].fileId);
        CPPUNIT_ASSERT_EQUAL(std::string("tn_i"), found[0].tenantId);
        relais::JournalQuery q;
        q.tenantId = "tn_i";
        q.action = "storage.integrity_failure";
        auto entries = s_->journal().list(q);
        CPPUNIT_ASSERT(!entries.empty());
        CPPUNIT_ASSERT_EQUAL(bad, entries[0].entry.objectId);
        CPPUNIT_ASSERT(!s_->read("tn_i", good).empty());
    }

    void aDataKeyMovedToAnotherFileDoesNotOpen() {
        const std::string a = s_->store("tn_k", "file a"), b = s_->store("tn_k", "file b");
        const std::string wrapped = db().query("SELECT wrapped_key FROM storage_files WHERE id = ?", {a})[0].getString("wrapped_key");
        db().execute("UPDATE storage_files SET wrapped_key = ? WHERE id = ?", {wrapped, b});
        CPPUNIT_ASSERT(storageKind([&] { files().open("tn_k", b); }) == StorageError::Kind::Integrity);
    }

    void aSealedFileTakesNoMoreData() {
        const std::string id = s_->store("tn_s", "done");
        CPPUNIT_ASSERT_EQUAL(std::string("file_sealed"), problemCode([&] { files().append("tn_s", id, -1); }));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FileStoreTest);

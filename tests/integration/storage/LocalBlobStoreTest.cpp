#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

#include <filesystem>

#include "TestSupport.h"
#include "relais/FileStore.h"
#include "storage/LocalBlobStore.h"

using relais::BlobInfo;
using relais::BlobStore;
using relais::LocalBlobStore;
using relais::StorageError;

namespace {

std::vector<BlobInfo> listAll(BlobStore& store) {
    std::vector<BlobInfo> out;
    store.list([&](const BlobInfo& b) { out.push_back(b); });
    return out;
}

StorageError::Kind kindOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const StorageError& e) {
        return e.kind();
    }
    CPPUNIT_FAIL("expected a StorageError");
    return StorageError::Kind::NotFound;
}

// A small tmpfs of our own: a disk that fills up, or that turns read-only. Needs root, as
// `make test` runs.
class SmallDisk {
public:
    SmallDisk(const std::string& dir, const std::string& size) : dir_(dir) {
        std::filesystem::create_directories(dir);
        std::string out;
        if (relais::test::runCommand("mount -t tmpfs -o size=" + size + ",mode=0700 tmpfs " + dir, &out) != 0)
            CPPUNIT_FAIL("cannot mount a tmpfs (this test needs root, as make test runs): " + out);
    }
    void readOnly() {
        std::string out;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, relais::test::runCommand("mount -o remount,ro " + dir_, &out));
    }
    ~SmallDisk() { relais::test::runCommand("umount " + dir_); }

private:
    std::string dir_;
};

}  // namespace

class LocalBlobStoreTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LocalBlobStoreTest);
    CPPUNIT_TEST(aBlobIsInvisibleUntilCommitted);
    CPPUNIT_TEST(anAbandonedWriteLeavesNothing);
    CPPUNIT_TEST(namesAreRandomAndSharded);
    CPPUNIT_TEST(blobsAreListedAndRemoved);
    CPPUNIT_TEST(aFullDiskFailsCleanly);
    CPPUNIT_TEST(aReadOnlyFolderIsUnavailableButReadable);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;

public:
    void aBlobIsInvisibleUntilCommitted() {
        LocalBlobStore store(dir_.file("blobs"));
        const std::string name = BlobStore::newName();
        auto w = store.create(name);
        w->write("hello ", 6);
        w->write("world", 5);
        CPPUNIT_ASSERT(kindOf([&] { store.open(name); }) == StorageError::Kind::NotFound);
        CPPUNIT_ASSERT(!store.stat(name));
        auto listed = listAll(store);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, listed.size());
        CPPUNIT_ASSERT(listed[0].pending);
        w->commit();
        auto r = store.open(name);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{11}, r->size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{11}, store.stat(name)->size);
        char buf[16] = {};
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, r->readAt(6, buf, 5));
        CPPUNIT_ASSERT_EQUAL(std::string("world"), std::string(buf, 5));
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, ::stat(store.pathOf(name).c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0600u, static_cast<unsigned>(st.st_mode & 0777));
        listed = listAll(store);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, listed.size());
        CPPUNIT_ASSERT(!listed[0].pending);
    }

    void anAbandonedWriteLeavesNothing() {
        LocalBlobStore store(dir_.file("blobs"));
        {
            auto w = store.create(BlobStore::newName());
            w->write("partial", 7);
        }
        CPPUNIT_ASSERT(listAll(store).empty());
    }

    void namesAreRandomAndSharded() {
        LocalBlobStore store(dir_.file("blobs"));
        const std::string a = BlobStore::newName(), b = BlobStore::newName();
        CPPUNIT_ASSERT(a != b);
        CPPUNIT_ASSERT(relais::isBlobName(a));
        CPPUNIT_ASSERT_EQUAL(dir_.file("blobs") + "/" + a.substr(0, 2) + "/" + a.substr(2, 2) + "/" + a, store.pathOf(a));
        CPPUNIT_ASSERT_THROW(store.create("../../etc/passwd"), std::invalid_argument);
        CPPUNIT_ASSERT(kindOf([&] { store.open("../x"); }) == StorageError::Kind::NotFound);
    }

    void blobsAreListedAndRemoved() {
        LocalBlobStore store(dir_.file("blobs"));
        std::vector<std::string> names;
        for (int i = 0; i < 5; ++i) {
            names.push_back(BlobStore::newName());
            auto w = store.create(names.back());
            w->write("x", 1);
            w->commit();
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, listAll(store).size());
        CPPUNIT_ASSERT(store.remove(BlobInfo{names[0], 0, 0, false}));
        CPPUNIT_ASSERT(!store.remove(BlobInfo{names[0], 0, 0, false}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, listAll(store).size());
        CPPUNIT_ASSERT(store.healthy());
    }

    void aFullDiskFailsCleanly() {
        SmallDisk disk(dir_.file("small"), "256k");
        LocalBlobStore store(dir_.file("small/blobs"));
        const std::string name = BlobStore::newName();
        {
            auto w = store.create(name);
            const std::string block(64 * 1024, 'z');
            CPPUNIT_ASSERT(kindOf([&] {
                               for (int i = 0; i < 16; ++i) w->write(block.data(), block.size());
                           }) == StorageError::Kind::Full);
        }
        CPPUNIT_ASSERT(listAll(store).empty());  // no partial blob, visible or pending
        CPPUNIT_ASSERT(kindOf([&] { store.open(name); }) == StorageError::Kind::NotFound);
        auto w = store.create(BlobStore::newName());  // and the space came back
        w->write("small", 5);
        w->commit();
    }

    void aReadOnlyFolderIsUnavailableButReadable() {
        SmallDisk disk(dir_.file("ro"), "1m");
        LocalBlobStore store(dir_.file("ro/blobs"));
        const std::string name = BlobStore::newName();
        auto w = store.create(name);
        w->write("kept", 4);
        w->commit();
        disk.readOnly();
        CPPUNIT_ASSERT(!store.healthy());
        CPPUNIT_ASSERT(kindOf([&] { store.create(BlobStore::newName()); }) == StorageError::Kind::Unavailable);
        char buf[4];
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, store.open(name)->readAt(0, buf, 4));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LocalBlobStoreTest);

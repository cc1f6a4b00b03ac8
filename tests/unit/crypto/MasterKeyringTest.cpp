#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

#include "TestSupport.h"
#include "crypto/MasterKeyring.h"

using relais::MasterKeyError;
using relais::MasterKeyring;

class MasterKeyringTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MasterKeyringTest);
    CPPUNIT_TEST(firstLoadCreatesAKeyOnlyTheOwnerCanRead);
    CPPUNIT_TEST(whatIsWrappedOpensAfterReloading);
    CPPUNIT_TEST(associatedDataBindsAWrappedKeyToItsOwner);
    CPPUNIT_TEST(rotationKeepsOldVersionsReadableUntilDropped);
    CPPUNIT_TEST(aRotationByAnotherProcessIsPickedUp);
    CPPUNIT_TEST(aBareHexLineIsVersionOne);
    CPPUNIT_TEST(aKeyReadableByOthersIsRefused);
    CPPUNIT_TEST(aMissingKeyIsRefusedUnlessCreationIsAllowed);
    CPPUNIT_TEST(aMalformedKeyIsRefused);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;

public:
    void firstLoadCreatesAKeyOnlyTheOwnerCanRead() {
        const std::string path = dir_.file("keys/master.key");
        auto ring = MasterKeyring::load(path, true);
        CPPUNIT_ASSERT(ring.created());
        CPPUNIT_ASSERT_EQUAL(1, ring.currentVersion());
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0600u, static_cast<unsigned>(st.st_mode & 0777));
        CPPUNIT_ASSERT_EQUAL(std::size_t{67}, relais::test::readFile(path).size());  // "1:" + 64 hex + newline
    }

    void whatIsWrappedOpensAfterReloading() {
        const std::string path = dir_.file("master.key");
        auto [version, sealed] = MasterKeyring::load(path, true).wrap("secret material", "owner");
        auto again = MasterKeyring::load(path, true);
        CPPUNIT_ASSERT(!again.created());
        CPPUNIT_ASSERT_EQUAL(std::string("secret material"), again.unwrap(version, sealed, "owner"));
        CPPUNIT_ASSERT(sealed.find("secret material") == std::string::npos);
    }

    void associatedDataBindsAWrappedKeyToItsOwner() {
        auto ring = MasterKeyring::load(dir_.file("master.key"), true);
        auto [version, sealed] = ring.wrap("k", "tenant A");
        CPPUNIT_ASSERT_THROW(ring.unwrap(version, sealed, "tenant B"), std::runtime_error);
        std::string altered = sealed;
        altered[14] ^= 1;
        CPPUNIT_ASSERT_THROW(ring.unwrap(version, altered, "tenant A"), std::runtime_error);
    }

    void rotationKeepsOldVersionsReadableUntilDropped() {
        auto ring = MasterKeyring::load(dir_.file("master.key"), true);
        auto [v1, old] = ring.wrap("old", "x");
        CPPUNIT_ASSERT_EQUAL(2, ring.addVersion());
        auto [v2, fresh] = ring.wrap("new", "x");
        CPPUNIT_ASSERT_EQUAL(2, v2);
        CPPUNIT_ASSERT_EQUAL(std::string("old"), ring.unwrap(v1, old, "x"));
        ring.dropOldVersions();
        CPPUNIT_ASSERT_EQUAL(std::string("new"), ring.unwrap(v2, fresh, "x"));
        CPPUNIT_ASSERT_THROW(ring.unwrap(v1, old, "x"), MasterKeyError);
        auto reloaded = MasterKeyring::load(dir_.file("master.key"), false);
        CPPUNIT_ASSERT_THROW(reloaded.unwrap(v1, old, "x"), MasterKeyError);
    }

    void aRotationByAnotherProcessIsPickedUp() {
        const std::string path = dir_.file("master.key");
        auto server = MasterKeyring::load(path, true);
        auto tool = MasterKeyring::load(path, false);
        tool.addVersion();
        auto [v, sealed] = tool.wrap("rotated", "x");
        CPPUNIT_ASSERT_EQUAL(std::string("rotated"), server.unwrap(v, sealed, "x"));
    }

    void aBareHexLineIsVersionOne() {
        const std::string path = dir_.file("legacy.key");
        relais::test::writeFile(path, std::string(64, 'c') + "\n");
        ::chmod(path.c_str(), 0600);
        CPPUNIT_ASSERT_EQUAL(1, MasterKeyring::load(path, false).currentVersion());
    }

    void aKeyReadableByOthersIsRefused() {
        const std::string path = dir_.file("open.key");
        MasterKeyring::load(path, true);
        ::chmod(path.c_str(), 0644);
        try {
            MasterKeyring::load(path, false);
            CPPUNIT_FAIL("a key readable by others was accepted");
        } catch (const MasterKeyError& e) {
            CPPUNIT_ASSERT(std::string(e.what()).find("chmod 600") != std::string::npos);
        }
    }

    void aMissingKeyIsRefusedUnlessCreationIsAllowed() {
        CPPUNIT_ASSERT_THROW(MasterKeyring::load(dir_.file("absent.key"), false), MasterKeyError);
    }

    void aMalformedKeyIsRefused() {
        const std::string path = dir_.file("bad.key");
        for (const std::string& bad : {std::string("not hex at all\n"), std::string("1:abcd\n"),
                                      "0:" + std::string(64, 'a') + "\n",
                                      "1:" + std::string(64, 'a') + "\n1:" + std::string(64, 'b') + "\n",
                                      std::string()}) {
            relais::test::writeFile(path, bad);
            ::chmod(path.c_str(), 0600);
            CPPUNIT_ASSERT_THROW(MasterKeyring::load(path, false), MasterKeyError);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MasterKeyringTest);

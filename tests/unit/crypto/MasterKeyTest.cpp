#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

#include "TestSupport.h"
#include "crypto/MasterKey.h"

using relais::MasterKey;
using relais::MasterKeyError;

class MasterKeyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MasterKeyTest);
    CPPUNIT_TEST(firstLoadCreatesAKeyOnlyTheOwnerCanRead);
    CPPUNIT_TEST(theSameFileGivesTheSameKeys);
    CPPUNIT_TEST(aKeyReadableByOthersIsRefused);
    CPPUNIT_TEST(aMissingKeyIsRefusedUnlessCreationIsAllowed);
    CPPUNIT_TEST(aMalformedKeyIsRefused);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;

public:
    void firstLoadCreatesAKeyOnlyTheOwnerCanRead() {
        const std::string path = dir_.file("keys/master.key");
        auto key = MasterKey::load(path, true);
        CPPUNIT_ASSERT(key.created());
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0600u, static_cast<unsigned>(st.st_mode & 0777));
        std::string text = relais::test::readFile(path);
        CPPUNIT_ASSERT_EQUAL(std::size_t{65}, text.size());  // 64 hex and a newline
    }

    void theSameFileGivesTheSameKeys() {
        const std::string path = dir_.file("master.key");
        std::string a = MasterKey::load(path, true).derive("relais journal v1");
        auto again = MasterKey::load(path, true);
        CPPUNIT_ASSERT(!again.created());
        CPPUNIT_ASSERT(a == again.derive("relais journal v1"));
        CPPUNIT_ASSERT(a != again.derive("another purpose"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{32}, a.size());
    }

    void aKeyReadableByOthersIsRefused() {
        const std::string path = dir_.file("open.key");
        MasterKey::load(path, true);
        ::chmod(path.c_str(), 0644);
        try {
            MasterKey::load(path, false);
            CPPUNIT_FAIL("a key readable by others was accepted");
        } catch (const MasterKeyError& e) {
            CPPUNIT_ASSERT(std::string(e.what()).find("chmod 600") != std::string::npos);
        }
    }

    void aMissingKeyIsRefusedUnlessCreationIsAllowed() {
        CPPUNIT_ASSERT_THROW(MasterKey::load(dir_.file("absent.key"), false), MasterKeyError);
    }

    void aMalformedKeyIsRefused() {
        const std::string path = dir_.file("bad.key");
        relais::test::writeFile(path, "not hex at all\n");
        ::chmod(path.c_str(), 0600);
        CPPUNIT_ASSERT_THROW(MasterKey::load(path, false), MasterKeyError);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MasterKeyTest);

#include <cppunit/extensions/HelperMacros.h>

#include <filesystem>

#include "TestSupport.h"

// Replays the corpus of broken requests (tests/fuzz/corpus/http/*.req) against a live server.
class BadInputTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BadInputTest);
    CPPUNIT_TEST(everyBrokenRequestGetsAProblemAndTheServerGoesOn);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyBrokenRequestGetsAProblemAndTheServerGoesOn() {
        relais::test::TempDir dir;
        relais::test::TestDatabase db;
        auto s = relais::test::fixtureSettings(dir, db);
        s["http.header_timeout_ms"] = "1000";
        s["http.timeout_ms"] = "1000";  // a body that never comes
        relais::test::TestServer server(s);

        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(relais::test::sourceDir() +
                                                                 "/tests/fuzz/corpus/http"))
            if (e.path().extension() == ".req")
                files.push_back(e.path());
        CPPUNIT_ASSERT(files.size() >= 20);
        for (const auto& f : files) {
            const std::string name = f.filename().string();
            const std::string raw =
                relais::test::rawExchange(server.port(), relais::test::readFile(f.string()), 5000);
            const int status = relais::test::statusOf(raw);
            CPPUNIT_ASSERT_MESSAGE(name + " got: " + raw.substr(0, 200),
                                   status >= 400 && status < 600 && status != 500);
            CPPUNIT_ASSERT_MESSAGE(
                name + " has no problem body: " + raw.substr(0, 300),
                raw.find("Content-Type: application/problem+json") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(
                name, relais::test::bodyOf(raw).find("\"code\":\"") != std::string::npos);
            CPPUNIT_ASSERT_EQUAL_MESSAGE("after " + name, 200,
                                         relais::test::http(server.port(), "GET", "/livez").status);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BadInputTest);

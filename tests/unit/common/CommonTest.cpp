#include <cppunit/extensions/HelperMacros.h>

#include <set>

#include "TestSupport.h"
#include "db/MysqlConnection.h"
#include "relais/Mail.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Sha256.h"
#include "relais/Time.h"

class CommonTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CommonTest);
    CPPUNIT_TEST(tokensCarryAtLeast128BitsAndDiffer);
    CPPUNIT_TEST(tokensBelow128BitsAreRefused);
    CPPUNIT_TEST(digestsMatchPublishedVectors);
    CPPUNIT_TEST(constantTimeEqualsCompares);
    CPPUNIT_TEST(timesRoundTrip);
    CPPUNIT_TEST(parisDatesFollowTheEuRule);
    CPPUNIT_TEST(mailAddressesAreChecked);
    CPPUNIT_TEST(sqlScriptsSplitOutsideQuotesAndComments);
    CPPUNIT_TEST(problemsKeepTheirFields);
    CPPUNIT_TEST_SUITE_END();

public:
    void tokensCarryAtLeast128BitsAndDiffer() {
        std::set<std::string> seen;
        for (int i = 0; i < 1000; ++i) {
            std::string t = relais::randomToken(16);
            CPPUNIT_ASSERT_EQUAL(std::size_t{22}, t.size());  // 128 bits in base64url
            for (char c : t)
                CPPUNIT_ASSERT(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
            CPPUNIT_ASSERT(seen.insert(t).second);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{43}, relais::randomToken().size());  // 256 bits by default
        std::string id = relais::randomId("tn");
        CPPUNIT_ASSERT_EQUAL(std::size_t{23}, id.size());
        CPPUNIT_ASSERT_EQUAL(std::string("tn_"), id.substr(0, 3));
    }

    void tokensBelow128BitsAreRefused() {
        CPPUNIT_ASSERT_THROW(relais::randomToken(15), std::invalid_argument);
    }

    void digestsMatchPublishedVectors() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            relais::sha256Hex("abc"));
        relais::Sha256 streamed;
        streamed.update("a", 1);
        streamed.update("bc", 2);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex("abc"), streamed.hexDigest());
        // RFC 4231, test case 2.
        CPPUNIT_ASSERT_EQUAL(
            std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            relais::toHex(relais::hmacSha256("Jefe", "what do ya want for nothing?")));
    }

    void constantTimeEqualsCompares() {
        CPPUNIT_ASSERT(relais::constantTimeEquals("abc", "abc"));
        CPPUNIT_ASSERT(!relais::constantTimeEquals("abc", "abd"));
        CPPUNIT_ASSERT(!relais::constantTimeEquals("abc", "abcd"));
    }

    void parisDatesFollowTheEuRule() {
        using relais::parseRfc3339;
        // Winter: UTC+1; summer: UTC+2; the changes at 01:00 UTC on the last Sundays.
        CPPUNIT_ASSERT_EQUAL(std::string("27/11/2026 à 00:30"),
                             relais::formatParisDateTime(parseRfc3339("2026-11-26T23:30:00Z")));
        CPPUNIT_ASSERT_EQUAL(std::string("15/07/2026 à 14:00"),
                             relais::formatParisDateTime(parseRfc3339("2026-07-15T12:00:00Z")));
        CPPUNIT_ASSERT_EQUAL(std::string("29/03/2026 à 01:59"),
                             relais::formatParisDateTime(parseRfc3339("2026-03-29T00:59:00Z")));
        CPPUNIT_ASSERT_EQUAL(std::string("29/03/2026 à 03:00"),
                             relais::formatParisDateTime(parseRfc3339("2026-03-29T01:00:00Z")));
        CPPUNIT_ASSERT_EQUAL(std::string("25/10/2026 à 02:59"),
                             relais::formatParisDateTime(parseRfc3339("2026-10-25T00:59:00Z")));
        CPPUNIT_ASSERT_EQUAL(std::string("25/10/2026 à 02:00"),
                             relais::formatParisDateTime(parseRfc3339("2026-10-25T01:00:00Z")));
        CPPUNIT_ASSERT_EQUAL(std::string("01/01/2027"), relais::formatParisDate(parseRfc3339("2026-12-31T23:00:00Z")));
    }

    void timesRoundTrip() {
        const std::int64_t t = 1795694865123;  // 2026-11-26T12:07:45.123Z
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-26T12:07:45.123Z"), relais::formatRfc3339(t));
        CPPUNIT_ASSERT_EQUAL(t, relais::parseRfc3339("2026-11-26T12:07:45.123Z"));
        CPPUNIT_ASSERT_EQUAL(t, relais::parseRfc3339("2026-11-26T13:07:45.123+01:00"));
        CPPUNIT_ASSERT_EQUAL(std::string("Thu, 26 Nov 2026 12:07:45 GMT"),
                             relais::formatHttpDate(t));
        CPPUNIT_ASSERT_THROW(relais::parseRfc3339("26/11/2026"), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(relais::parseRfc3339("2026-13-45T99:00:00Z"), std::invalid_argument);
    }

    void mailAddressesAreChecked() {
        CPPUNIT_ASSERT(relais::isValidMailAddress("alice@example.fr"));
        CPPUNIT_ASSERT(relais::isValidMailAddress("a.b+tag@sub.example.fr"));
        for (const std::string bad : {"", "alice", "@example.fr", "alice@", "alice@localhost",
                                      "a b@example.fr", "alice@example.fr\r\nBcc: x@y.fr",
                                      "<alice@example.fr>", "alice..b@example.fr", "alice@ex..fr"})
            CPPUNIT_ASSERT_MESSAGE(bad, !relais::isValidMailAddress(bad));
    }

    void sqlScriptsSplitOutsideQuotesAndComments() {
        auto parts = relais::db::splitSqlStatements(
            "-- a comment; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT ';');\n"
            "/* block; comment */ INSERT INTO a VALUES ('it''s; fine');\n\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, parts.size());
        CPPUNIT_ASSERT(parts[0].find("DEFAULT ';'") != std::string::npos);
        CPPUNIT_ASSERT(parts[1].find("'it''s; fine'") != std::string::npos);
        auto trigger = relais::db::splitSqlStatements(
            "CREATE TABLE a (x INT);\nDELIMITER $$\nCREATE TRIGGER t BEFORE DELETE ON a FOR EACH ROW\n"
            "BEGIN IF 1 THEN SIGNAL SQLSTATE '45000'; END IF; END$$\nDELIMITER ;\nSELECT 1;\n");
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, trigger.size());
        CPPUNIT_ASSERT(trigger[1].find("END IF; END") != std::string::npos);
    }

    void problemsKeepTheirFields() {
        auto p = relais::Problem::invalidField("email", "not an address");
        CPPUNIT_ASSERT_EQUAL(400, p.status());
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_field"), p.code());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, p.errors().size());
        CPPUNIT_ASSERT_EQUAL(std::string("email"), p.errors()[0].field);
        CPPUNIT_ASSERT_EQUAL(std::string("Checksum Mismatch"),
                             std::string(relais::statusTitle(460)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CommonTest);

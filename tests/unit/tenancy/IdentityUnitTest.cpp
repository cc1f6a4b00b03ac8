// The identity helpers of the tenancy and auth subsystems: TOTP, password hashing and policy,
// request field validation, IP ranges and the plan catalogue.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <typeinfo>
#include <vector>

#include "TestSupport.h"
#include "auth/Passwords.h"
#include "auth/Totp.h"
#include "relais/Problem.h"
#include "tenancy/IpRange.h"
#include "tenancy/PlanCatalog.h"
#include "tenancy/Validation.h"

namespace {

const std::string kRfcSecret = "12345678901234567890";  // RFC 6238 appendix B, SHA-1

Poco::JSON::Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Runs `call` and checks that it throws Problem 400 invalid_field naming `field`, and nothing
// else.
void expectInvalidField(const std::string& field, const std::function<void()>& call) {
    std::string failure;
    try {
        call();
        failure = "no problem thrown";
    } catch (const relais::Problem& p) {
        CPPUNIT_ASSERT_EQUAL(400, p.status());
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_field"), p.code());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, p.errors().size());
        CPPUNIT_ASSERT_EQUAL(field, p.errors()[0].field);
        CPPUNIT_ASSERT(!p.errors()[0].message.empty());
        CPPUNIT_ASSERT(p.detail().find("'" + field + "'") != std::string::npos);
        return;
    } catch (const std::exception& e) {
        failure = std::string("threw ") + typeid(e).name() + ": " + e.what();
    }
    CPPUNIT_FAIL("field '" + field + "': expected Problem 400 invalid_field, " + failure);
}

// The what() of the std::runtime_error that loading `path` throws; fails when it loads.
std::string catalogueError(const std::string& path) {
    try {
        relais::PlanCatalog::load(path);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    CPPUNIT_FAIL("loaded: " + path);
    return {};
}

}  // namespace

class TotpTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TotpTest);
    CPPUNIT_TEST(codesMatchRfc6238Vectors);
    CPPUNIT_TEST(base32MatchesRfc4648Vectors);
    CPPUNIT_TEST(secretsAre160RandomBits);
    CPPUNIT_TEST(uriIsWhatAuthenticatorAppsRead);
    CPPUNIT_TEST(matchAcceptsOneStepEitherSide);
    CPPUNIT_TEST(matchRefusesReplaysAndWrongCodes);
    CPPUNIT_TEST_SUITE_END();

public:
    void codesMatchRfc6238Vectors() {
        struct Vector {
            std::int64_t unixSeconds;
            const char* eightDigits;
        };
        const Vector vectors[] = {{59, "94287082"},         {1111111109, "07081804"},
                                  {1111111111, "14050471"}, {1234567890, "89005924"},
                                  {2000000000, "69279037"}, {20000000000, "65353130"}};
        for (const Vector& v : vectors) {
            const std::uint64_t step = relais::Totp::stepAt(v.unixSeconds * 1000);
            CPPUNIT_ASSERT_EQUAL(static_cast<std::uint64_t>(v.unixSeconds / 30), step);
            CPPUNIT_ASSERT_EQUAL(std::string(v.eightDigits).substr(2),
                                 relais::Totp::code(kRfcSecret, step));
        }
        // The last millisecond of a step is still that step.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1}, relais::Totp::stepAt(59999));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{2}, relais::Totp::stepAt(60000));
    }

    void base32MatchesRfc4648Vectors() {
        // RFC 4648 section 10, without the padding.
        const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                               {"f", "MY"},
                                                               {"fo", "MZXQ"},
                                                               {"foo", "MZXW6"},
                                                               {"foob", "MZXW6YQ"},
                                                               {"fooba", "MZXW6YTB"},
                                                               {"foobar", "MZXW6YTBOI"}};
        for (const auto& [bytes, text] : vectors)
            CPPUNIT_ASSERT_EQUAL(std::string(text), relais::Totp::base32(bytes));
        CPPUNIT_ASSERT_EQUAL(std::string("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
                             relais::Totp::base32(kRfcSecret));
        CPPUNIT_ASSERT_EQUAL(std::string("777777Y"), relais::Totp::base32("\xFF\xFF\xFF\xFF"));
        CPPUNIT_ASSERT_EQUAL(std::string("AAAAAAA"), relais::Totp::base32(std::string(4, '\0')));
    }

    void secretsAre160RandomBits() {
        std::set<std::string> seen;
        for (int i = 0; i < 100; ++i) {
            const std::string secret = relais::Totp::newSecret();
            CPPUNIT_ASSERT_EQUAL(std::size_t{20}, secret.size());
            CPPUNIT_ASSERT_EQUAL(std::size_t{32}, relais::Totp::base32(secret).size());
            CPPUNIT_ASSERT(seen.insert(secret).second);
        }
    }

    void uriIsWhatAuthenticatorAppsRead() {
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "otpauth://totp/Relais:alice@example.fr?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                "&issuer=Relais&algorithm=SHA1&digits=6&period=30"),
            relais::Totp::uri("Relais", "alice@example.fr", kRfcSecret));
        // Spaces and non-ASCII are percent-encoded (UTF-8 bytes, upper-case hex); '@' may stay,
        // as in the Key URI format's own examples.
        CPPUNIT_ASSERT_EQUAL(
            std::string("otpauth://totp/Cabinet%20Sant%C3%A9:jean%20dupont@example.fr?secret=MY"
                        "&issuer=Cabinet%20Sant%C3%A9&algorithm=SHA1&digits=6&period=30"),
            relais::Totp::uri("Cabinet Sant\xC3\xA9", "jean dupont@example.fr", "f"));
        // Characters that would break the label or the query are encoded.
        const std::string uri = relais::Totp::uri("A:B&C=D+E?F#G/H", "x", "f");
        CPPUNIT_ASSERT_EQUAL(
            std::string("otpauth://totp/A%3AB%26C%3DD%2BE%3FF%23G%2FH:x?secret=MY"
                        "&issuer=A%3AB%26C%3DD%2BE%3FF%23G%2FH&algorithm=SHA1&digits=6&period=30"),
            uri);
    }

    void matchAcceptsOneStepEitherSide() {
        const std::uint64_t now = 37037036;  // 1111111109 / 30
        for (std::uint64_t step : {now - 1, now, now + 1})
            CPPUNIT_ASSERT_EQUAL(
                step,
                relais::Totp::match(kRfcSecret, relais::Totp::code(kRfcSecret, step), now, 0));
        for (std::uint64_t step : {now - 3, now - 2, now + 2, now + 3}) {
            const std::string code = relais::Totp::code(kRfcSecret, step);
            // Only meaningful when the code differs from the accepted window's ones.
            bool collides = false;
            for (std::uint64_t s : {now - 1, now, now + 1})
                collides = collides || relais::Totp::code(kRfcSecret, s) == code;
            if (!collides)
                CPPUNIT_ASSERT_EQUAL(std::uint64_t{0},
                                     relais::Totp::match(kRfcSecret, code, now, 0));
        }
        // Near the epoch: no wrap-around below step 0.
        CPPUNIT_ASSERT_EQUAL(
            std::uint64_t{1},
            relais::Totp::match(kRfcSecret, relais::Totp::code(kRfcSecret, 1), 0, 0));
        CPPUNIT_ASSERT_EQUAL(
            std::uint64_t{1},
            relais::Totp::match(kRfcSecret, relais::Totp::code(kRfcSecret, 1), 1, 0));
        CPPUNIT_ASSERT_EQUAL(
            std::uint64_t{0},
            relais::Totp::match(kRfcSecret, relais::Totp::code(kRfcSecret, UINT64_MAX), 0, 0));
    }

    void matchRefusesReplaysAndWrongCodes() {
        const std::uint64_t now = 37037036;
        const std::string current = relais::Totp::code(kRfcSecret, now);
        const std::string previous = relais::Totp::code(kRfcSecret, now - 1);
        const std::string next = relais::Totp::code(kRfcSecret, now + 1);
        // A code used once is refused after, and so are the earlier ones.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, relais::Totp::match(kRfcSecret, current, now, now));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0},
                             relais::Totp::match(kRfcSecret, previous, now, now - 1));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, relais::Totp::match(kRfcSecret, previous, now, now));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0},
                             relais::Totp::match(kRfcSecret, current, now, now + 1));
        // A later one still passes.
        CPPUNIT_ASSERT_EQUAL(now, relais::Totp::match(kRfcSecret, current, now, now - 1));
        CPPUNIT_ASSERT_EQUAL(now + 1, relais::Totp::match(kRfcSecret, next, now, now));

        // Wrong codes: another secret's, malformed ones.
        const std::string other = relais::Totp::code("another secret of 20b", now);
        if (other != current && other != previous && other != next)
            CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, relais::Totp::match(kRfcSecret, other, now, 0));
        for (const std::string& bad : {std::string(""), current.substr(1), current + "0",
                                       " " + current, current.substr(0, 5) + "x"})
            CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, relais::Totp::match(kRfcSecret, bad, now, 0));
        // The 8-digit RFC code is not our 6-digit one.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, relais::Totp::match(kRfcSecret, "07081804", now, 0));
    }
};

class PasswordsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PasswordsTest);
    CPPUNIT_TEST(hashesVerifyAndDiffer);
    CPPUNIT_TEST(malformedHashesDoNotVerify);
    CPPUNIT_TEST(shortPasswordsAreRefused);
    CPPUNIT_TEST(lowEntropyPasswordsAreRefused);
    CPPUNIT_TEST(theEmailNameIsRefused);
    CPPUNIT_TEST(commonPasswordsAreRefused);
    CPPUNIT_TEST(strongPasswordsAreAccepted);
    CPPUNIT_TEST(passwordsOver256BytesAreRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void hashesVerifyAndDiffer() {
        const std::string password = "Cheval-Agrafe-Pile-42 \xC3\xA9t\xC3\xA9";
        const std::string a = relais::PasswordHasher::hash(password);
        const std::string b = relais::PasswordHasher::hash(password);
        const std::string prefix = "$argon2id$v=19$m=19456,t=2,p=1$";
        CPPUNIT_ASSERT_EQUAL(prefix, a.substr(0, prefix.size()));
        CPPUNIT_ASSERT(a.find('\0') == std::string::npos);
        CPPUNIT_ASSERT(a != b);  // a random salt each time
        CPPUNIT_ASSERT(relais::PasswordHasher::verify(password, a));
        CPPUNIT_ASSERT(relais::PasswordHasher::verify(password, b));
        CPPUNIT_ASSERT(
            !relais::PasswordHasher::verify("Cheval-Agrafe-Pile-43 \xC3\xA9t\xC3\xA9", a));
        CPPUNIT_ASSERT(!relais::PasswordHasher::verify("", a));
        CPPUNIT_ASSERT(!relais::PasswordHasher::verify(password + "x", a));
        // Bytes after a NUL count: the password is not a C string.
        const std::string withNul("abc\0def-Ghi-123", 15);
        const std::string c = relais::PasswordHasher::hash(withNul);
        CPPUNIT_ASSERT(relais::PasswordHasher::verify(withNul, c));
        CPPUNIT_ASSERT(!relais::PasswordHasher::verify("abc", c));
        relais::PasswordHasher::verifyNothing(password);  // returns, whatever it burns
    }

    void malformedHashesDoNotVerify() {
        const std::string password = "Cheval-Agrafe-Pile-42";
        const std::string good = relais::PasswordHasher::hash(password);
        std::string flipped = good;
        flipped[flipped.size() - 2] = flipped[flipped.size() - 2] == 'A' ? 'B' : 'A';
        const std::string argon2i = "$argon2i" + good.substr(std::string("$argon2id").size());
        for (const std::string& bad :
             {std::string(""), std::string("garbage"), std::string("$argon2id$"),
              std::string("$argon2id$v=19$m=19456,t=2,p=1$$"), good.substr(0, good.size() - 10),
              good.substr(0, good.rfind('$')), flipped, argon2i, good + "$extra",
              std::string("$2y$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"),
              std::string("$argon2id$v=19$m=x,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA")})
            CPPUNIT_ASSERT_MESSAGE(bad, !relais::PasswordHasher::verify(password, bad));
    }

    void shortPasswordsAreRefused() {
        for (const std::string p : {"", "Ab1!", "Ab1!xyz"})
            CPPUNIT_ASSERT(relais::passwordWeakness(p, "").find("au moins 8") != std::string::npos);
        // Characters, not bytes: six characters in eight bytes are six.
        CPPUNIT_ASSERT(relais::passwordWeakness("Ab1!\xC3\xA9\xC3\xA9", "").find("au moins 8") !=
                       std::string::npos);
    }

    void lowEntropyPasswordsAreRefused() {
        // length × log2(pool) >= 50.
        for (const std::string p : {"abcdefgh", "correcthor", "12345670123457", "ABCDEFGHIJ"}) {
            const std::string why = relais::passwordWeakness(p, "");
            CPPUNIT_ASSERT_MESSAGE(p, why.find("trop faible") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(std::string(""), relais::passwordWeakness("correcthors", ""));  // 51.7
        CPPUNIT_ASSERT_EQUAL(std::string(""), relais::passwordWeakness("Ab3$efgh", ""));     // 53
    }

    void theEmailNameIsRefused() {
        const std::string email = "jean.dupont@example.fr";
        for (const std::string p : {"Jean.Dupont-2024!", "xX-JEAN.DUPONT-Xx", "jean.dupont"}) {
            const std::string why = relais::passwordWeakness(p, email);
            CPPUNIT_ASSERT_MESSAGE(p, why.find("identifiant") != std::string::npos);
        }
        // The same password is fine for another account.
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             relais::passwordWeakness("Jean.Dupont-2024!", "marie@example.fr"));
    }

    void commonPasswordsAreRefused() {
        for (const std::string p : {"MotDePasse2024!", "Azertyuiop!12", "P4ss-Relais-Bleu",
                                    "Soleil-Bleu-2024", "xPASSWORDx-42", "Admin-Paris-2024"}) {
            const std::string why = relais::passwordWeakness(p, "");
            CPPUNIT_ASSERT_MESSAGE(p, why.find("trop courant") != std::string::npos);
        }
    }

    void strongPasswordsAreAccepted() {
        for (const std::string p : {"Cheval-Agrafe-Pile-42", "t4Jq#9vLw!2zR",
                                    "ordinateur-vert-lune", "\xC3\xA9t\xC3\xA9-Cerise-Nuage-71"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(p, std::string(""),
                                         relais::passwordWeakness(p, "jean.dupont@example.fr"));
    }

    void passwordsOver256BytesAreRefused() {
        std::string longest;
        while (longest.size() < 256)
            longest += "Xk9#mQ2$";
        CPPUNIT_ASSERT_EQUAL(std::size_t{256}, longest.size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), relais::passwordWeakness(longest, ""));
        CPPUNIT_ASSERT(relais::passwordWeakness(longest + "Z", "").find("256") !=
                       std::string::npos);
        CPPUNIT_ASSERT(relais::passwordWeakness(std::string(10000, 'x'), "").find("256") !=
                       std::string::npos);
    }
};

class ValidationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ValidationTest);
    CPPUNIT_TEST(slugsFollowTheRules);
    CPPUNIT_TEST(sirensCarryALuhnKey);
    CPPUNIT_TEST(emailsAreNormalised);
    CPPUNIT_TEST(hostnamesAreChecked);
    CPPUNIT_TEST(textFieldsAreChecked);
    CPPUNIT_TEST(emailFieldsAreChecked);
    CPPUNIT_TEST(booleanFieldsAreChecked);
    CPPUNIT_TEST(integerFieldsAreChecked);
    CPPUNIT_TEST(integerFieldsRefuseBooleans);
    CPPUNIT_TEST(integerFieldsRefuseHugeNumbersAsProblems);
    CPPUNIT_TEST_SUITE_END();

public:
    void slugsFollowTheRules() {
        for (const std::string& ok : std::vector<std::string>{"cabinet-durand", "abc", "a1b", "x-y",
                                                              "pharmacie-2", std::string(40, 'a')})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ok, std::string(""), relais::slugProblem(ok));
        const std::pair<std::string, const char*> bad[] = {
            {"www", "reserved"},
            {"api", "reserved"},
            {"admin", "reserved"},
            {"ab", "3 to 40"},
            {"", "3 to 40"},
            {std::string(41, 'a'), "3 to 40"},
            {"-abc", "start or end"},
            {"abc-", "start or end"},
            {"Cabinet", "only a-z"},
            {"cabinet_durand", "only a-z"},
            {"cabinet durand", "only a-z"},
            {"caf\xC3\xA9-paris", "only a-z"},
            {"a--b", "'--'"},
        };
        for (const auto& [slug, why] : bad) {
            const std::string problem = relais::slugProblem(slug);
            CPPUNIT_ASSERT_MESSAGE(slug + " -> " + problem, problem.find(why) != std::string::npos);
        }
    }

    void sirensCarryALuhnKey() {
        const std::string nbsp = "\xC2\xA0";  // French formatting groups digits with it
        for (const std::string& ok :
             std::vector<std::string>{"732829320", "552100554", "443061841", "732 829 320",
                                      "552" + nbsp + "100" + nbsp + "554"})
            CPPUNIT_ASSERT_MESSAGE(ok, relais::isValidSiren(ok));
        for (const std::string bad :
             {"732829321", "552100555", "443061840", "73282932", "7328293200", "73282932a", "",
              "         ", "-32829320", "732-829-320"})
            CPPUNIT_ASSERT_MESSAGE(bad, !relais::isValidSiren(bad));
        CPPUNIT_ASSERT_EQUAL(std::string("552100554"),
                             relais::normaliseSiren(" 552 100" + nbsp + "554 "));
    }

    void emailsAreNormalised() {
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.fr"),
                             relais::normaliseEmail("  Alice@Example.FR\t"));
        CPPUNIT_ASSERT_EQUAL(std::string("a.b+tag@sub.example.fr"),
                             relais::normaliseEmail("a.b+tag@sub.example.fr"));
        for (const std::string bad :
             {"", "   ", "alice", "alice@", "@example.fr", "alice@localhost", "a b@example.fr",
              "alice@example.fr\r\nBcc: x@y.fr"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string(""), relais::normaliseEmail(bad));
    }

    void hostnamesAreChecked() {
        const std::string label63(63, 'a');
        std::string longest = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
        CPPUNIT_ASSERT_EQUAL(std::size_t{253}, longest.size());
        for (const std::string& ok :
             std::vector<std::string>{"files.example.fr", "a.b", "x-1.example.fr", "123.example.fr",
                                      label63 + ".fr", longest})
            CPPUNIT_ASSERT_MESSAGE(ok, relais::isValidHostname(ok));
        for (const std::string& bad : std::vector<std::string>{
                 "", "localhost", "example.fr.", ".example.fr", "a..b", "-a.example.fr",
                 "a-.example.fr", "Files.example.fr", "a_b.example.fr", "a b.example.fr",
                 "example.fr:443", std::string(64, 'a') + ".fr", longest + "b", "caf\xC3\xA9.fr"})
            CPPUNIT_ASSERT_MESSAGE(bad, !relais::isValidHostname(bad));
    }

    void textFieldsAreChecked() {
        const auto body = json(
            R"({"name": "  Cabinet Durand ", "accents": "\u00e9\u00e9", "blank": "  \t ",)"
            R"( "nul": null, "number": 5, "ctl": "a\u0001b", "cr": "a\rb", "multi": "a\nb\tc"})");
        CPPUNIT_ASSERT_EQUAL(std::string("  Cabinet Durand "),
                             relais::field::text(*body, "name", 40));
        CPPUNIT_ASSERT_EQUAL(std::string("a\nb\tc"), relais::field::text(*body, "multi", 10));
        // The limit counts characters, not bytes.
        CPPUNIT_ASSERT_EQUAL(std::string("\xC3\xA9\xC3\xA9"),
                             relais::field::text(*body, "accents", 2));
        expectInvalidField("accents", [&] { relais::field::text(*body, "accents", 1); });
        expectInvalidField("name", [&] { relais::field::text(*body, "name", 5); });
        expectInvalidField("missing", [&] { relais::field::text(*body, "missing", 40); });
        expectInvalidField("nul", [&] { relais::field::text(*body, "nul", 40); });
        expectInvalidField("blank", [&] { relais::field::text(*body, "blank", 40); });
        expectInvalidField("number", [&] { relais::field::text(*body, "number", 40); });
        expectInvalidField("ctl", [&] { relais::field::text(*body, "ctl", 40); });
        expectInvalidField("cr", [&] { relais::field::text(*body, "cr", 40); });
        Poco::JSON::Object latin1;
        latin1.set("nom", std::string("H\xE9l\xE8ne"));
        expectInvalidField("nom", [&] { relais::field::text(latin1, "nom", 40); });

        CPPUNIT_ASSERT_EQUAL(std::string(""), relais::field::optionalText(*body, "missing", 40));
        CPPUNIT_ASSERT_EQUAL(std::string(""), relais::field::optionalText(*body, "nul", 40));
        CPPUNIT_ASSERT_EQUAL(std::string("  \t "), relais::field::optionalText(*body, "blank", 40));
        expectInvalidField("number", [&] { relais::field::optionalText(*body, "number", 40); });
        CPPUNIT_ASSERT(relais::field::has(*body, "name"));
        CPPUNIT_ASSERT(!relais::field::has(*body, "nul"));
        CPPUNIT_ASSERT(!relais::field::has(*body, "missing"));
    }

    void emailFieldsAreChecked() {
        const auto body = json(R"({"email": " Alice@Example.FR ", "bad": "alice@", "n": 3})");
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.fr"), relais::field::email(*body, "email"));
        expectInvalidField("bad", [&] { relais::field::email(*body, "bad"); });
        expectInvalidField("n", [&] { relais::field::email(*body, "n"); });
        expectInvalidField("missing", [&] { relais::field::email(*body, "missing"); });
    }

    void booleanFieldsAreChecked() {
        const auto body = json(R"({"yes": true, "no": false, "s": "true", "one": 1, "nul": null})");
        CPPUNIT_ASSERT(relais::field::boolean(*body, "yes"));
        CPPUNIT_ASSERT(!relais::field::boolean(*body, "no"));
        for (const char* name : {"s", "one", "nul", "missing"})
            expectInvalidField(name, [&] { relais::field::boolean(*body, name); });
    }

    void integerFieldsAreChecked() {
        const auto body = json(
            R"({"n": 5, "neg": -3, "low": 0, "real": 2.5, "whole": 3.0, "s": "5", "nul": null})");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, relais::field::integer(*body, "n", 1, 10));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{-3}, relais::field::integer(*body, "neg", -3, 10));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, relais::field::integer(*body, "n", 5, 5));
        expectInvalidField("n", [&] { relais::field::integer(*body, "n", 6, 10); });
        expectInvalidField("n", [&] { relais::field::integer(*body, "n", 1, 4); });
        expectInvalidField("low", [&] { relais::field::integer(*body, "low", 1, 10); });
        for (const char* name : {"real", "whole", "s", "nul", "missing"})
            expectInvalidField(name, [&] { relais::field::integer(*body, name, 0, 10); });
    }

    // JSON true is not the integer 1: {"licences": true} must not buy one licence.
    void integerFieldsRefuseBooleans() {
        const auto body = json(R"({"t": true, "f": false})");
        expectInvalidField("t", [&] { relais::field::integer(*body, "t", 0, 10); });
        expectInvalidField("f", [&] { relais::field::integer(*body, "f", 0, 10); });
    }

    // Beyond INT64_MAX the parser keeps an unsigned 64-bit value: still a 400, not a 500.
    void integerFieldsRefuseHugeNumbersAsProblems() {
        const auto body = json(R"({"huge": 18446744073709551615, "over": 9223372036854775808,)"
                               R"( "max": 9223372036854775807})");
        CPPUNIT_ASSERT_EQUAL(INT64_MAX, relais::field::integer(*body, "max", 0, INT64_MAX));
        expectInvalidField("huge", [&] { relais::field::integer(*body, "huge", 0, 10); });
        expectInvalidField("over", [&] { relais::field::integer(*body, "over", 0, INT64_MAX); });
    }
};

class IpRangeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(IpRangeTest);
    CPPUNIT_TEST(validRangesParse);
    CPPUNIT_TEST(malformedRangesAreRefused);
    CPPUNIT_TEST(containsComparesThePrefixBits);
    CPPUNIT_TEST(mappedAddressesCountAsIpv4);
    CPPUNIT_TEST(emptyListAllowsEverything);
    CPPUNIT_TEST(textIsCanonical);
    CPPUNIT_TEST_SUITE_END();

public:
    void validRangesParse() {
        const std::pair<const char*, const char*> cases[] = {
            {"192.0.2.0/24", "192.0.2.0/24"},
            {"10.0.0.0/8", "10.0.0.0/8"},
            {"0.0.0.0/0", "0.0.0.0/0"},
            {"192.0.2.7", "192.0.2.7/32"},
            {"192.0.2.7/32", "192.0.2.7/32"},
            {"10.8.0.0/13", "10.8.0.0/13"},
            {"2001:db8::/32", "2001:db8::/32"},
            {"::1", "::1/128"},
            {"::/0", "::/0"},
            {"2001:db8::8000/113", "2001:db8::8000/113"}};
        for (const auto& [input, text] : cases) {
            const auto range = relais::IpRange::parse(input);
            CPPUNIT_ASSERT_MESSAGE(input, range.has_value());
            CPPUNIT_ASSERT_EQUAL(std::string(text), range->text());
        }
    }

    void malformedRangesAreRefused() {
        for (const char* bad : {"192.0.2.7/24",
                                "10.0.0.1/8",
                                "10.0.0.0/6",
                                "2001:db8::1/32",
                                "2001:db8::/28",
                                "10.0.0.0/33",
                                "2001:db8::/129",
                                "10.0.0.0/-1",
                                "10.0.0.0/",
                                "/24",
                                "/",
                                "",
                                "garbage",
                                "10.0.0/8",
                                "256.0.0.0/8",
                                "10.0.0.0/8/8",
                                "10.0.0.0/1a",
                                "10.0.0.0/0x8",
                                "10.0.0.0/1000",
                                " 10.0.0.0/8",
                                "10.0.0.0/8 ",
                                "10.0.0.0 /8",
                                "10.0.0.0/ 8",
                                "2001:db8:::/48",
                                "fe80::1%eth0",
                                "example.fr/24"})
            CPPUNIT_ASSERT_MESSAGE(bad, !relais::IpRange::parse(bad).has_value());
    }

    void containsComparesThePrefixBits() {
        const auto v4 = *relais::IpRange::parse("192.0.2.0/24");
        for (const char* in : {"192.0.2.0", "192.0.2.1", "192.0.2.255"})
            CPPUNIT_ASSERT_MESSAGE(in, v4.contains(in));
        for (const char* out : {"192.0.3.0", "192.0.1.255", "10.0.0.1", "2001:db8::1", "garbage",
                                "", "192.0.2.1/32", "192.0.2.1 "})
            CPPUNIT_ASSERT_MESSAGE(out, !v4.contains(out));

        const auto odd = *relais::IpRange::parse("10.8.0.0/13");
        CPPUNIT_ASSERT(odd.contains("10.8.0.0"));
        CPPUNIT_ASSERT(odd.contains("10.15.255.255"));
        CPPUNIT_ASSERT(!odd.contains("10.16.0.0"));
        CPPUNIT_ASSERT(!odd.contains("10.7.255.255"));

        const auto one = *relais::IpRange::parse("192.0.2.7");
        CPPUNIT_ASSERT(one.contains("192.0.2.7"));
        CPPUNIT_ASSERT(!one.contains("192.0.2.6"));
        CPPUNIT_ASSERT(!one.contains("192.0.2.8"));

        const auto v6 = *relais::IpRange::parse("2001:db8::/32");
        CPPUNIT_ASSERT(v6.contains("2001:db8::1"));
        CPPUNIT_ASSERT(v6.contains("2001:DB8:ffff:ffff:ffff:ffff:ffff:ffff"));
        CPPUNIT_ASSERT(!v6.contains("2001:db9::"));
        CPPUNIT_ASSERT(!v6.contains("2001:db7:ffff::"));
        CPPUNIT_ASSERT(!v6.contains("192.0.2.1"));

        const auto fine = *relais::IpRange::parse("2001:db8::8000/113");
        CPPUNIT_ASSERT(fine.contains("2001:db8::ffff"));
        CPPUNIT_ASSERT(!fine.contains("2001:db8::7fff"));

        const auto any4 = *relais::IpRange::parse("0.0.0.0/0");
        CPPUNIT_ASSERT(any4.contains("255.255.255.255"));
        CPPUNIT_ASSERT(!any4.contains("::1"));
        const auto any6 = *relais::IpRange::parse("::/0");
        CPPUNIT_ASSERT(any6.contains("::1"));
        CPPUNIT_ASSERT(!any6.contains("192.0.2.1"));
    }

    void mappedAddressesCountAsIpv4() {
        const auto v4 = *relais::IpRange::parse("192.0.2.0/24");
        CPPUNIT_ASSERT(v4.contains("::ffff:192.0.2.5"));
        CPPUNIT_ASSERT(v4.contains("::FFFF:c000:0205"));
        CPPUNIT_ASSERT(!v4.contains("::ffff:192.0.3.5"));
        // Not IPv4-compatible or NAT64 forms: only ::ffff:0:0/96 is a mapped IPv4 address.
        CPPUNIT_ASSERT(!v4.contains("::192.0.2.5"));
        CPPUNIT_ASSERT(!v4.contains("64:ff9b::192.0.2.5"));
        // An IPv6 range does not take mapped IPv4 clients.
        CPPUNIT_ASSERT(!relais::IpRange::parse("::/0")->contains("::ffff:192.0.2.5"));
    }

    void emptyListAllowsEverything() {
        CPPUNIT_ASSERT(relais::addressAllowed({}, "192.0.2.1"));
        CPPUNIT_ASSERT(relais::addressAllowed({}, "2001:db8::1"));
        const std::vector<relais::IpRange> ranges = {*relais::IpRange::parse("192.0.2.0/24"),
                                                     *relais::IpRange::parse("2001:db8::/32")};
        CPPUNIT_ASSERT(relais::addressAllowed(ranges, "192.0.2.200"));
        CPPUNIT_ASSERT(relais::addressAllowed(ranges, "::ffff:192.0.2.200"));
        CPPUNIT_ASSERT(relais::addressAllowed(ranges, "2001:db8:1::1"));
        CPPUNIT_ASSERT(!relais::addressAllowed(ranges, "198.51.100.1"));
        CPPUNIT_ASSERT(!relais::addressAllowed(ranges, "2001:db9::1"));
        CPPUNIT_ASSERT(!relais::addressAllowed(ranges, "garbage"));
        CPPUNIT_ASSERT(!relais::addressAllowed(ranges, ""));
    }

    // IpRange.h promises "the canonical text": one network, one spelling (RFC 5952 for IPv6),
    // whatever the administrator typed.
    void textIsCanonical() {
        const std::pair<const char*, const char*> cases[] = {
            {"2001:DB8::/32", "2001:db8::/32"},
            {"2001:0db8:0000::/32", "2001:db8::/32"},
            {"2001:db8:0:0:0:0:0:1", "2001:db8::1/128"},
            {"10.0.0.0/08", "10.0.0.0/8"},
            // An IPv4-mapped network is the IPv4 network it maps, its prefix counting the 96
            // bits of the mapping.
            {"::ffff:192.0.2.0/120", "192.0.2.0/24"},
            {"::ffff:192.0.2.7", "192.0.2.7/32"}};
        for (const auto& [input, text] : cases) {
            const auto range = relais::IpRange::parse(input);
            CPPUNIT_ASSERT_MESSAGE(input, range.has_value());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(input, std::string(text), range->text());
        }
        CPPUNIT_ASSERT(relais::IpRange::parse("::ffff:192.0.2.0/120")->contains("192.0.2.9"));
        CPPUNIT_ASSERT(!relais::IpRange::parse("::ffff:192.0.2.0/24"));  // a prefix shorter than the mapping
        CPPUNIT_ASSERT(!relais::isValidSiren("000000000"));
    }
};

class PlanCatalogTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PlanCatalogTest);
    CPPUNIT_TEST(shippedCatalogueHasTheFivePlans);
    CPPUNIT_TEST(malformedCataloguesNameTheFile);
    CPPUNIT_TEST_SUITE_END();

public:
    void shippedCatalogueHasTheFivePlans() {
        const auto catalogue =
            relais::PlanCatalog::load(std::string(RELAIS_SOURCE_DIR) + "/tenants/plans.json");
        std::vector<std::string> ids;
        for (const relais::Plan& p : catalogue.plans()) {
            ids.push_back(p.id);
            CPPUNIT_ASSERT_MESSAGE(p.id, p.licences > 0);
            CPPUNIT_ASSERT_MESSAGE(p.id, p.storageBytes > 0);
            CPPUNIT_ASSERT_MESSAGE(p.id, !p.name.empty());
            CPPUNIT_ASSERT_MESSAGE(p.id, p.allows("wesend"));
            CPPUNIT_ASSERT_MESSAGE(p.id, p.monthlyCents >= 0 && p.annualCents >= 0);
        }
        CPPUNIT_ASSERT(
            ids == std::vector<std::string>({"essai", "essentiel", "pro", "entreprise", "sante"}));
        CPPUNIT_ASSERT_EQUAL(20, catalogue.vatPercent());
        CPPUNIT_ASSERT(catalogue.find("sante")->allows("sante"));
        CPPUNIT_ASSERT(!catalogue.find("pro")->allows("sante"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, catalogue.find("essai")->monthlyCents);
        CPPUNIT_ASSERT(catalogue.find("essai")->storageBytes <
                       catalogue.find("entreprise")->storageBytes);
        CPPUNIT_ASSERT(catalogue.find("nope") == nullptr);
        CPPUNIT_ASSERT(catalogue.find("") == nullptr);
    }

    void malformedCataloguesNameTheFile() {
        relais::test::TempDir dir;
        const std::string prices =
            R"("prices": {"monthly_cents": 1, "annual_cents": 1, "extra_licence_cents": 1,)"
            R"( "extra_gb_cents": 1})";
        const std::string plan =
            R"({"id": "p", "name": "P", "licences": 1, "storage_bytes": 1, )" + prices + "}";
        const std::pair<const char*, std::string> cases[] = {
            {"not-json.json", "{ \"plans\": [ "},
            {"empty.json", ""},
            {"array.json", "[]"},
            {"no-plans.json", R"({"vat_percent": 20})"},
            {"zero-plans.json", R"({"plans": []})"},
            {"not-objects.json", R"({"plans": [1]})"},
            {"no-prices.json",
             R"({"plans": [{"id": "p", "name": "P", "licences": 1, "storage_bytes": 1}]})"},
            {"no-id.json",
             R"({"plans": [{"name": "P", "licences": 1, "storage_bytes": 1, )" + prices + "}]}"},
            {"duplicate.json", R"({"plans": [)" + plan + ", " + plan + "]}"},
            {"no-licence.json",
             R"({"plans": [{"id": "p", "name": "P", "licences": 0, "storage_bytes": 1, )" + prices +
                 "}]}"},
            {"huge-licences.json",
             R"({"plans": [{"id": "p", "name": "P", "licences": 99999999999, "storage_bytes": 1, )" +
                 prices + "}]}"},
        };
        for (const auto& [name, content] : cases) {
            const std::string path = dir.file(name);
            relais::test::writeFile(path, content);
            const std::string what = catalogueError(path);
            CPPUNIT_ASSERT_MESSAGE(name + std::string(": ") + what,
                                   what.find(path) != std::string::npos);
        }
        // A well-formed one in the same folder loads: the cases above fail for their content.
        relais::test::writeFile(dir.file("good.json"), R"({"plans": [)" + plan + "]}");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             relais::PlanCatalog::load(dir.file("good.json")).plans().size());
        const std::string missing = dir.file("missing.json");
        CPPUNIT_ASSERT(catalogueError(missing).find(missing) != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TotpTest);
CPPUNIT_TEST_SUITE_REGISTRATION(PasswordsTest);
CPPUNIT_TEST_SUITE_REGISTRATION(ValidationTest);
CPPUNIT_TEST_SUITE_REGISTRATION(IpRangeTest);
CPPUNIT_TEST_SUITE_REGISTRATION(PlanCatalogTest);

#include <Poco/HMACEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/SHA1Engine.h>
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "TenancySupport.h"
#include "TestSupport.h"
#include "auth/Passwords.h"
#include "relais/Database.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "runtime/Runtime.h"
#include "tenancy/Audit.h"
#include "tenancy/Provisioning.h"
#include "tenancy/Directory.h"
#include "tenancy/TenancySubsystem.h"

using relais::test::call;
using relais::test::decodeQuotedPrintable;
using relais::test::HttpResult;
using relais::test::kPassword;
using relais::test::problemCode;
using relais::test::TenantRef;
using relais::test::UserRef;

namespace {

constexpr const char* kPlatform = "localhost";
// Another password the policy accepts.
constexpr const char* kOtherPassword = "Zebra-Lamp-Quartz-Violin-42";

Poco::JSON::Object::Ptr json(const std::string& body) { return relais::test::jsonObject(body); }

std::string text(const Poco::JSON::Object::Ptr& o, const std::string& name) {
    CPPUNIT_ASSERT_MESSAGE("no member " + name, o->has(name));
    return o->getValue<std::string>(name);
}

// A JSON object body from string members.
std::string body(const std::vector<std::pair<std::string, std::string>>& members) {
    Poco::JSON::Object o;
    for (const auto& [k, v] : members)
        o.set(k, v);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

// A problem answer: status, code, and the problem+json media type.
void assertProblem(const HttpResult& r, int status, const std::string& code,
                   const std::string& context) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context + ": " + r.body, status, r.status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context + ": " + r.body, code, problemCode(r));
    CPPUNIT_ASSERT_MESSAGE(context + ": " + r.header("content-type"),
                           r.header("content-type").rfind("application/problem+json", 0) == 0);
}

// A problem body without what belongs to one request, so that two answers can be compared.
std::string withoutRequestFields(const std::string& problemBody) {
    auto o = json(problemBody);
    o->remove("request_id");
    o->remove("instance");
    std::ostringstream out;
    o->stringify(out);
    return out.str();
}

HttpResult tryLogin(std::uint16_t port, const std::string& host, const std::string& email,
                    const std::string& password, const std::string& totp = {},
                    const std::map<std::string, std::string>& headers = {}) {
    std::vector<std::pair<std::string, std::string>> members = {{"email", email},
                                                                {"password", password}};
    if (!totp.empty())
        members.emplace_back("totp", totp);
    return call(port, host, "", "POST", "/api/v1/auth/login", body(members), "application/json",
                headers);
}

// Logs in again until the lockout has lapsed (each refused attempt is not a failure).
HttpResult loginOnceUnblocked(std::uint16_t port, const std::string& host, const std::string& email,
                              const std::string& password) {
    HttpResult r;
    for (int i = 0; i < 60; ++i) {
        r = tryLogin(port, host, email, password);
        if (r.status != 429)
            return r;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return r;
}

// Users straight through provisioning, with a password hashed once: argon2id is slow on purpose.
UserRef addUser(relais::Runtime& runtime, const std::string& tenantId, const std::string& role,
                const std::string& email, const std::string& password = kPassword) {
    static const std::string defaultHash = relais::PasswordHasher::hash(kPassword);
    UserRef ref;
    runtime.database().transaction([&](relais::db::Connection& tx) {
        relais::NewUser spec;
        spec.email = email;
        spec.name = email.substr(0, email.find('@'));
        spec.role = role;
        spec.passwordHash =
            password == kPassword ? defaultHash : relais::PasswordHasher::hash(password);
        ref.id = runtime.tenancy()
                     .provisioning()
                     .createUser(tx, tenantId, "", spec, "http://localhost", "Test",
                                 relais::Actor{"system", "test", "", "", ""})
                     .user.id;
    });
    ref.email = email;
    ref.password = password;
    return ref;
}

// --- RFC 6238, written here apart from the product's ------------------------------------------

std::string base32Decode(const std::string& encoded) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : encoded) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= '2' && c <= '7')
            v = c - '2' + 26;
        else if (c == '=')
            break;
        else
            CPPUNIT_FAIL(std::string("not base32: ") + encoded);
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
            bits -= 8;
        }
    }
    return out;
}

std::string totpCode(const std::string& key, std::uint64_t step) {
    unsigned char counter[8];
    for (int i = 7; i >= 0; --i, step >>= 8)
        counter[i] = static_cast<unsigned char>(step & 0xFF);
    Poco::HMACEngine<Poco::SHA1Engine> hmac(key);
    hmac.update(counter, sizeof counter);
    const Poco::DigestEngine::Digest& mac = hmac.digest();
    const std::size_t offset = mac.back() & 0x0F;
    const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                                 (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                                 (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                                 mac[offset + 3];
    char out[8];
    std::snprintf(out, sizeof out, "%06u", binary % 1000000);
    return out;
}

std::uint64_t currentStep() {
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return static_cast<std::uint64_t>(s.count()) / 30;
}

// --- Mail ------------------------------------------------------------------------------------


struct Mail {
    std::string raw;      ///< as the SMTP server received it
    std::string subject;  ///< decoded
    std::string text;     ///< the body, quoted-printable decoded
};

// The messages of the shared test maildir whose envelope goes to `recipient`.
std::vector<Mail> mailsTo(const std::string& recipient) {
    std::vector<Mail> out;
    for (const auto& raw :
         relais::test::maildirMessages(relais::test::requiredEnv("TEST_MAILDIR"))) {
        std::size_t split = raw.find("\r\n\r\n");
        std::size_t skip = 4;
        if (split == std::string::npos) {
            split = raw.find("\n\n");
            skip = 2;
        }
        if (split == std::string::npos)
            continue;
        // Unfold the header lines.
        const std::string head =
            std::regex_replace(raw.substr(0, split), std::regex("\r?\n[ \t]+"), " ");
        std::smatch to;
        if (!std::regex_search(head, to, std::regex("(^|\n)X-Envelope-To: *([^\r\n]*)")) ||
            Poco::toLower(to[2].str()).find(Poco::toLower(recipient)) == std::string::npos)
            continue;
        Mail m;
        m.raw = raw;
        std::smatch subject;
        if (std::regex_search(head, subject, std::regex("(^|\n)Subject: *([^\r\n]*)")))
            // RFC 2047 §6.2: white space between two encoded words is not part of the text.
            m.subject = Poco::Net::MessageHeader::decodeWord(
                std::regex_replace(subject[2].str(), std::regex("\\?=[ \t]+=\\?"), "?==?"));
        m.text = decodeQuotedPrintable(raw.substr(split + skip));
        out.push_back(m);
    }
    return out;
}

}  // namespace

// Logins, sessions, cookies and CSRF, API keys, TOTP, lockout and password reset, end to end on
// a real server, as a client sees them.
class AuthTest : public relais::test::DatabaseFixture {
    CPPUNIT_TEST_SUITE(AuthTest);
    CPPUNIT_TEST(loginOnPlatformAndTenantHostsGivesATokenACookieAndMe);
    CPPUNIT_TEST(aWrongPasswordAndAnUnknownAccountLookAlikeAndAreJournalled);
    CPPUNIT_TEST(repeatedFailuresLockTheAccountForAWhile);
    CPPUNIT_TEST(failuresFromOneAddressAcrossAccountsAreLimited);
    CPPUNIT_TEST(parallelGuessesCannotOutrunTheLockout);
    CPPUNIT_TEST(sessionsAreListedRevokedAndEndedByLogoutAndPasswordChange);
    CPPUNIT_TEST(idleAndOldSessionsAreRefused);
    CPPUNIT_TEST(aCookieSessionNeedsTheCsrfHeaderForUnsafeMethods);
    CPPUNIT_TEST(apiKeysAuthenticateAndCanBeRevokedOnlyByTheirOwner);
    CPPUNIT_TEST(totpIsASecondFactorWithReplayProtectionAndRecoveryCodes);
    CPPUNIT_TEST(aProfileRequiringTotpForcesEnrolmentFirst);
    CPPUNIT_TEST(disabledUsersCannotLogInAndLoseTheirTokens);
    CPPUNIT_TEST(aPasswordResetMailsALinkThatWorksOnce);
    CPPUNIT_TEST(thePasswordResetMailEndsItsLinesWithCrlf);
    CPPUNIT_TEST(badLoginBodiesAreRefusedWithProblems);
    CPPUNIT_TEST(theSiteAndMeTellTheWebFrontEndWhereItIs);
    CPPUNIT_TEST_SUITE_END();

    std::map<std::string, std::string> settings() { return relais::test::baseSettings(dir_, *db_); }

public:

    void loginOnPlatformAndTenantHostsGivesATokenACookieAndMe() {
        relais::test::TestServer server(settings());
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const TenantRef beta = relais::test::createTenant(rt, "beta");
        const UserRef op = addUser(rt, "", "operator", "ops@relais.example");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@example.org");
        const UserRef aliceBeta = addUser(rt, beta.id, "user", "alice@example.org", kOtherPassword);
        const UserRef carol = addUser(rt, acme.id, "user", "carol@example.org");

        // The platform host.
        const std::int64_t before = relais::nowMs();
        auto r = tryLogin(port, kPlatform, op.email, kPassword);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto out = json(r.body);
        const std::string token = text(out, "token");
        CPPUNIT_ASSERT_MESSAGE(token, token.size() >= 20);
        CPPUNIT_ASSERT_MESSAGE("csrf_token", text(out, "csrf_token").size() >= 16);
        CPPUNIT_ASSERT(text(out, "csrf_token") != token);
        const std::int64_t expires = relais::parseRfc3339(text(out, "expires_at"));
        CPPUNIT_ASSERT_MESSAGE(text(out, "expires_at"), expires > before);
        CPPUNIT_ASSERT_MESSAGE(text(out, "expires_at"),
                               expires <= relais::nowMs() + 43200000 + 1000);
        auto user = out->getObject("user");
        CPPUNIT_ASSERT(user);
        CPPUNIT_ASSERT_EQUAL(op.id, text(user, "id"));
        CPPUNIT_ASSERT_EQUAL(op.email, text(user, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("ops"), text(user, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("operator"), text(user, "role"));
        CPPUNIT_ASSERT_MESSAGE(r.body, user->has("tenant_id") && user->isNull("tenant_id"));

        // The session cookie: HttpOnly, SameSite, whole site, not Secure over plain HTTP.
        const std::string cookie = r.setCookie("relais_session");
        CPPUNIT_ASSERT_MESSAGE(cookie, cookie.rfind("relais_session=" + token + ";", 0) == 0);
        std::vector<std::string> attributes;
        {
            std::istringstream in(cookie);
            std::string part;
            while (std::getline(in, part, ';'))
                attributes.push_back(Poco::trim(part));
        }
        auto hasAttribute = [&](const std::string& prefix) {
            for (const auto& a : attributes)
                if (Poco::icompare(a.substr(0, prefix.size()), prefix) == 0)
                    return true;
            return false;
        };
        CPPUNIT_ASSERT_MESSAGE(cookie, hasAttribute("HttpOnly"));
        CPPUNIT_ASSERT_MESSAGE(cookie, hasAttribute("SameSite="));
        CPPUNIT_ASSERT_MESSAGE(
            cookie, hasAttribute("Path=/") && std::find(attributes.begin(), attributes.end(),
                                                        "Path=/") != attributes.end());
        CPPUNIT_ASSERT_MESSAGE(cookie, !hasAttribute("Secure"));
        // The CSRF token's cookie: the same token as the body's, readable by the page's script.
        const std::string csrfCookie = r.setCookie("relais_csrf");
        CPPUNIT_ASSERT_MESSAGE(csrfCookie, csrfCookie.rfind("relais_csrf=" + text(out, "csrf_token") + ";", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(csrfCookie, csrfCookie.find("HttpOnly") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(csrfCookie, csrfCookie.find("SameSite=Lax") != std::string::npos);

        auto me = call(port, kPlatform, token, "GET", "/api/v1/me");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(me.body, 200, me.status);
        auto meJson = json(me.body);
        CPPUNIT_ASSERT_EQUAL(op.id, text(meJson, "id"));
        CPPUNIT_ASSERT_EQUAL(op.email, text(meJson, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("operator"), text(meJson, "role"));
        CPPUNIT_ASSERT(meJson->isNull("tenant_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("session"), text(meJson, "authenticated_by"));

        // A tenant host.
        r = tryLogin(port, acme.host, alice.email, kPassword);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        out = json(r.body);
        const std::string aliceToken = text(out, "token");
        user = out->getObject("user");
        CPPUNIT_ASSERT_EQUAL(alice.id, text(user, "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("alice@example.org"), text(user, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("alice"), text(user, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("user"), text(user, "role"));
        CPPUNIT_ASSERT_EQUAL(acme.id, text(user, "tenant_id"));
        CPPUNIT_ASSERT_MESSAGE(
            r.setCookie("relais_session"),
            r.setCookie("relais_session").rfind("relais_session=" + aliceToken + ";", 0) == 0);
        me = call(port, acme.host, aliceToken, "GET", "/api/v1/me");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(me.body, 200, me.status);
        meJson = json(me.body);
        CPPUNIT_ASSERT_EQUAL(alice.id, text(meJson, "id"));
        CPPUNIT_ASSERT_EQUAL(acme.id, text(meJson, "tenant_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), text(meJson->getObject("tenant"), "slug"));

        // The address is case-insensitive and trimmed.
        r = tryLogin(port, acme.host, " ALICE@Example.ORG ", kPassword);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(alice.id, text(json(r.body)->getObject("user"), "id"));

        // The same address in another tenant is another account, with its own password.
        assertProblem(tryLogin(port, beta.host, alice.email, kPassword), 401, "invalid_credentials",
                      "acme's password on beta");
        r = tryLogin(port, beta.host, alice.email, kOtherPassword);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        user = json(r.body)->getObject("user");
        CPPUNIT_ASSERT_EQUAL(aliceBeta.id, text(user, "id"));
        CPPUNIT_ASSERT(aliceBeta.id != alice.id);
        CPPUNIT_ASSERT_EQUAL(beta.id, text(user, "tenant_id"));
        assertProblem(tryLogin(port, acme.host, alice.email, kOtherPassword), 401,
                      "invalid_credentials", "beta's password on acme");

        // A tenant's user exists neither on another tenant's host nor on the platform host.
        assertProblem(tryLogin(port, beta.host, carol.email, kPassword), 401, "invalid_credentials",
                      "acme's user on beta");
        assertProblem(tryLogin(port, kPlatform, carol.email, kPassword), 401, "invalid_credentials",
                      "acme's user on the platform host");
        // And a token of acme's means nothing on beta's host or the platform's.
        CPPUNIT_ASSERT_EQUAL(404, call(port, beta.host, aliceToken, "GET", "/api/v1/me").status);
        CPPUNIT_ASSERT_EQUAL(404, call(port, kPlatform, aliceToken, "GET", "/api/v1/me").status);
        CPPUNIT_ASSERT_EQUAL(404, call(port, acme.host, token, "GET", "/api/v1/me").status);
    }

    void aWrongPasswordAndAnUnknownAccountLookAlikeAndAreJournalled() {
        relais::test::TestServer server(settings());
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef admin = addUser(rt, acme.id, "tenant_admin", "admin@acme.example");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");

        auto wrong = tryLogin(port, acme.host, alice.email, "Not-The-Password-77", {},
                              {{"X-Request-Id", "req-wrong-password-1"}});
        auto unknown = tryLogin(port, acme.host, "nobody@acme.example", "Not-The-Password-77", {},
                                {{"X-Request-Id", "req-unknown-account-1"}});
        assertProblem(wrong, 401, "invalid_credentials", "wrong password");
        assertProblem(unknown, 401, "invalid_credentials", "unknown account");
        CPPUNIT_ASSERT_EQUAL(std::string("req-wrong-password-1"),
                             text(json(wrong.body), "request_id"));
        CPPUNIT_ASSERT_EQUAL(withoutRequestFields(wrong.body), withoutRequestFields(unknown.body));
        CPPUNIT_ASSERT_EQUAL(wrong.header("content-type"), unknown.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(wrong.header("www-authenticate"), unknown.header("www-authenticate"));
        CPPUNIT_ASSERT_EQUAL(wrong.setCookie("relais_session"), unknown.setCookie("relais_session"));
        CPPUNIT_ASSERT_EQUAL(std::string(), wrong.setCookie("relais_session"));

        auto ok = tryLogin(port, acme.host, admin.email, kPassword, {},
                           {{"X-Request-Id", "req-admin-login-1"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 200, ok.status);
        const std::string token = text(json(ok.body), "token");

        auto failed =
            call(port, acme.host, token, "GET", "/api/v1/admin/journal?action=auth.login_failed");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(failed.body, 200, failed.status);
        auto items = json(failed.body)->getArray("items");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(failed.body, std::size_t{2}, items->size());
        std::set<std::string> seen;
        for (std::size_t i = 0; i < items->size(); ++i) {
            auto e = items->getObject(static_cast<unsigned>(i));
            CPPUNIT_ASSERT_EQUAL(std::string("auth.login_failed"), text(e, "action"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(failed.body, std::string("127.0.0.1"), text(e, "ip"));
            const std::string email = text(e->getObject("actor"), "email");
            const std::string requestId = text(e->getObject("details"), "request_id");
            if (email == alice.email) {
                CPPUNIT_ASSERT_EQUAL(std::string("req-wrong-password-1"), requestId);
                CPPUNIT_ASSERT_EQUAL(alice.id, text(e->getObject("object"), "id"));
            } else {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(failed.body, std::string("nobody@acme.example"),
                                             email);
                CPPUNIT_ASSERT_EQUAL(std::string("req-unknown-account-1"), requestId);
            }
            seen.insert(email);
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(failed.body, std::size_t{2}, seen.size());

        auto logins =
            call(port, acme.host, token, "GET", "/api/v1/admin/journal?action=auth.login");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(logins.body, 200, logins.status);
        items = json(logins.body)->getArray("items");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(logins.body, std::size_t{1}, items->size());
        auto e = items->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("auth.login"), text(e, "action"));
        CPPUNIT_ASSERT_EQUAL(admin.id, text(e->getObject("actor"), "id"));
        CPPUNIT_ASSERT_EQUAL(admin.id, text(e->getObject("object"), "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), text(e, "ip"));
        CPPUNIT_ASSERT_EQUAL(std::string("req-admin-login-1"),
                             text(e->getObject("details"), "request_id"));
    }

    void repeatedFailuresLockTheAccountForAWhile() {
        auto s = settings();
        s["auth.lockout_threshold"] = "3";
        s["auth.lockout_max_ms"] = "2000";
        relais::test::TestServer server(s);
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");
        const UserRef bob = addUser(rt, acme.id, "user", "bob@acme.example");

        for (int i = 1; i <= 3; ++i)
            assertProblem(
                tryLogin(port, acme.host, alice.email, "Wrong-Password-" + std::to_string(i)), 401,
                "invalid_credentials", "failure " + std::to_string(i));
        // Even the right password is refused now, with a hint of how long to wait.
        auto locked = tryLogin(port, acme.host, alice.email, kPassword);
        assertProblem(locked, 429, "too_many_attempts", "the right password while locked");
        const std::string retry = locked.header("retry-after");
        CPPUNIT_ASSERT_MESSAGE("Retry-After: " + retry,
                               std::regex_match(retry, std::regex("[0-9]+")));
        CPPUNIT_ASSERT_MESSAGE("Retry-After: " + retry,
                               std::stoi(retry) >= 1 && std::stoi(retry) <= 2);
        CPPUNIT_ASSERT(locked.setCookie("relais_session").empty());
        CPPUNIT_ASSERT(!json(locked.body)->has("token"));
        // Another spelling of the same address is the same account.
        assertProblem(tryLogin(port, acme.host, "ALICE@Acme.Example", kPassword), 429,
                      "too_many_attempts", "the address in capitals while locked");
        // The lock is the account's, not the address's.
        auto other = tryLogin(port, acme.host, bob.email, kPassword);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(other.body, 200, other.status);

        auto after = loginOnceUnblocked(port, acme.host, alice.email, kPassword);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(after.body, 200, after.status);
        const std::string token = text(json(after.body), "token");
        CPPUNIT_ASSERT_EQUAL(200, call(port, acme.host, token, "GET", "/api/v1/me").status);
    }

    void failuresFromOneAddressAcrossAccountsAreLimited() {
        auto s = settings();
        s["auth.lockout_ip_threshold"] = "3";
        s["auth.lockout_max_ms"] = "2000";
        relais::test::TestServer server(s);
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        std::vector<UserRef> users;
        for (const char* name : {"bob", "carol", "dave", "erin"})
            users.push_back(addUser(rt, acme.id, "user", std::string(name) + "@acme.example"));

        // One failure per account: no account reaches its own threshold (5).
        for (int i = 0; i < 3; ++i)
            assertProblem(tryLogin(port, acme.host, users[static_cast<std::size_t>(i)].email,
                                   "Wrong-Password-1"),
                          401, "invalid_credentials",
                          "failure for " + users[static_cast<std::size_t>(i)].email);
        auto limited = tryLogin(port, acme.host, users[3].email, kPassword);
        assertProblem(limited, 429, "too_many_attempts", "a fresh account from the same address");
        CPPUNIT_ASSERT_MESSAGE("Retry-After", std::regex_match(limited.header("retry-after"),
                                                               std::regex("[1-9][0-9]*")));

        auto after = loginOnceUnblocked(port, acme.host, users[3].email, kPassword);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(after.body, 200, after.status);
    }

    // Guesses sent at once must not all be checked before the first failure counts: the
    // threshold bounds the guesses per account, however they are sent.
    void parallelGuessesCannotOutrunTheLockout() {
        auto s = settings();
        s["auth.lockout_threshold"] = "3";
        s["auth.lockout_max_ms"] = "2000";
        relais::test::TestServer server(s);
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");

        constexpr std::size_t kGuesses = 8;
        std::vector<int> statuses(kGuesses, 0);
        std::vector<std::string> codes(kGuesses);
        std::atomic<std::size_t> ready{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < kGuesses; ++i)
            threads.emplace_back([&, i] {
                ++ready;
                while (!go)
                    std::this_thread::yield();
                try {
                    auto r =
                        tryLogin(port, acme.host, alice.email, "Wrong-Guess-" + std::to_string(i));
                    statuses[i] = r.status;
                    codes[i] = problemCode(r);
                } catch (const std::exception& e) {
                    codes[i] = e.what();
                }
            });
        while (ready < kGuesses)
            std::this_thread::yield();
        go = true;
        for (auto& t : threads)
            t.join();

        std::size_t checked = 0, refused = 0;
        std::string summary;
        for (std::size_t i = 0; i < kGuesses; ++i) {
            summary += std::to_string(statuses[i]) + " " + codes[i] + "; ";
            if (statuses[i] == 401 && codes[i] == "invalid_credentials")
                ++checked;
            if (statuses[i] == 429 && codes[i] == "too_many_attempts")
                ++refused;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(summary, kGuesses, checked + refused);
        CPPUNIT_ASSERT_MESSAGE("passwords checked for " + std::to_string(checked) +
                                   " guesses sent at once, " +
                                   "with auth.lockout_threshold=3: " + summary,
                               checked <= 3);
    }

    // A session unused for auth.session_idle_ms, or older than auth.session_max_ms, no longer
    // opens anything. The minimum of both settings is a minute, so the test ages the sessions
    // in the database (and bumps the tenancy epoch, as any change does, so that the node's
    // cache reads them again).
    void idleAndOldSessionsAreRefused() {
        relais::test::TestServer server(settings());
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");
        const auto idle = relais::test::login(port, acme.host, alice.email);
        const auto old = relais::test::login(port, acme.host, alice.email);
        const auto fresh = relais::test::login(port, acme.host, alice.email);
        for (const auto* s : {&idle, &old, &fresh})
            CPPUNIT_ASSERT_EQUAL(200, call(port, acme.host, s->token, "GET", "/api/v1/me").status);
        const long long now = relais::nowMs();
        auto& db = rt.database();
        db.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?",
                   {now - 3600000LL - 1000, relais::sha256Hex(idle.token)});  // auth.session_idle_ms
        db.execute("UPDATE sessions SET expires_at = ? WHERE id = ?", {now - 1000, relais::sha256Hex(old.token)});
        db.execute("UPDATE tenancy_epoch SET value = value + 1 WHERE id = 1");
        rt.tenancy().services().directory.invalidate();
        assertProblem(call(port, acme.host, idle.token, "GET", "/api/v1/me"), 401, "invalid_token", "an idle session");
        assertProblem(call(port, acme.host, old.token, "GET", "/api/v1/me"), 401, "invalid_token",
                      "a session past its absolute expiry");
        CPPUNIT_ASSERT_EQUAL(200, call(port, acme.host, fresh.token, "GET", "/api/v1/me").status);
    }

    void sessionsAreListedRevokedAndEndedByLogoutAndPasswordChange() {
        relais::test::TestServer server(settings());
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");

        const auto s1 = relais::test::login(port, acme.host, alice.email);
        const auto s2 = relais::test::login(port, acme.host, alice.email);
        const auto s3 = relais::test::login(port, acme.host, alice.email);

        // Each session sees all three, itself marked current.
        auto currentOf = [&](const std::string& token, std::size_t expected) {
            auto r = call(port, acme.host, token, "GET", "/api/v1/me/sessions");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            auto items = json(r.body)->getArray("items");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, expected, items->size());
            std::string current;
            for (std::size_t i = 0; i < items->size(); ++i) {
                auto item = items->getObject(static_cast<unsigned>(i));
                CPPUNIT_ASSERT_MESSAGE(r.body, !text(item, "id").empty());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("127.0.0.1"), text(item, "ip"));
                if (item->getValue<bool>("current")) {
                    CPPUNIT_ASSERT_MESSAGE("two current sessions: " + r.body, current.empty());
                    current = text(item, "id");
                }
            }
            CPPUNIT_ASSERT_MESSAGE("no current session: " + r.body, !current.empty());
            // The public id is not the token.
            CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find(token) == std::string::npos);
            return current;
        };
        const std::string id1 = currentOf(s1.token, 3);
        const std::string id2 = currentOf(s2.token, 3);
        CPPUNIT_ASSERT(id1 != id2);

        // Revoking another session.
        CPPUNIT_ASSERT_EQUAL(
            204, call(port, acme.host, s1.token, "DELETE", "/api/v1/me/sessions/" + id2).status);
        assertProblem(call(port, acme.host, s2.token, "GET", "/api/v1/me"), 401, "invalid_token",
                      "a revoked session");
        CPPUNIT_ASSERT_EQUAL(id1, currentOf(s1.token, 2));
        assertProblem(call(port, acme.host, s1.token, "DELETE", "/api/v1/me/sessions/" + id2), 404,
                      "not_found", "a session revoked already");

        // Logout.
        auto out = call(port, acme.host, s3.token, "POST", "/api/v1/auth/logout");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out.body, 204, out.status);
        assertProblem(call(port, acme.host, s3.token, "GET", "/api/v1/me"), 401, "invalid_token",
                      "after logout");
        currentOf(s1.token, 1);

        // Changing the password ends every other session and keeps this one.
        const auto s4 = relais::test::login(port, acme.host, alice.email);
        const std::string strong = "Another-Strong-Passphrase-2026";
        auto r = call(port, acme.host, s1.token, "POST", "/api/v1/me/password",
                      body({{"current_password", "Not-My-Password-1"}, {"new_password", strong}}));
        assertProblem(r, 400, "invalid_current_password", "a wrong current password");
        r = call(port, acme.host, s1.token, "POST", "/api/v1/me/password",
                 body({{"current_password", kPassword}, {"new_password", "abcdefgh"}}));
        assertProblem(r, 400, "weak_password", "a weak new password");
        auto errors = json(r.body)->getArray("errors");
        CPPUNIT_ASSERT_MESSAGE(r.body, errors && errors->size() == 1);
        CPPUNIT_ASSERT_EQUAL(std::string("new_password"), text(errors->getObject(0), "field"));
        // Neither refusal changed anything.
        CPPUNIT_ASSERT_EQUAL(200, call(port, acme.host, s4.token, "GET", "/api/v1/me").status);

        r = call(port, acme.host, s1.token, "POST", "/api/v1/me/password",
                 body({{"current_password", kPassword}, {"new_password", strong}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 204, r.status);
        CPPUNIT_ASSERT_EQUAL(200, call(port, acme.host, s1.token, "GET", "/api/v1/me").status);
        assertProblem(call(port, acme.host, s4.token, "GET", "/api/v1/me"), 401, "invalid_token",
                      "another session after a password change");
        currentOf(s1.token, 1);
        assertProblem(tryLogin(port, acme.host, alice.email, kPassword), 401, "invalid_credentials",
                      "the old password");
        CPPUNIT_ASSERT_EQUAL(200, tryLogin(port, acme.host, alice.email, strong).status);
        // Idle and absolute expiry are not tested here: both have a minimum of one minute
        // (auth.session_idle_ms, auth.session_max_ms), too long for this suite.
    }

    // /api/v1/site answers anyone what the host is; /me gives the account page its language and
    // second factor, and the send page the organisation's link lifetimes.
    void theSiteAndMeTellTheWebFrontEndWhereItIs() {
        relais::test::TestServer server(settings());
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        auto site = [&](const std::string& host) { return json(call(port, host, "", "GET", "/api/v1/site").body); };
        auto tenant = site(acme.host);
        CPPUNIT_ASSERT_EQUAL(std::string("tenant"), text(tenant, "kind"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), text(tenant, "slug"));
        CPPUNIT_ASSERT_EQUAL(std::string("active"), text(tenant, "state"));
        CPPUNIT_ASSERT(!text(tenant, "name").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("platform"), text(site(kPlatform), "kind"));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), text(site("nobody.localhost"), "kind"));
        CPPUNIT_ASSERT(!site("nobody.localhost")->has("name"));

        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");
        const auto session = relais::test::login(port, acme.host, alice.email);
        auto me = json(call(port, acme.host, session.token, "GET", "/api/v1/me").body);
        CPPUNIT_ASSERT_EQUAL(std::string("fr"), text(me, "language"));
        CPPUNIT_ASSERT(!me->getValue<bool>("totp_enabled"));
        CPPUNIT_ASSERT(!me->getValue<bool>("totp_enrollment_required"));
        auto t = me->getObject("tenant");
        CPPUNIT_ASSERT_EQUAL(7, t->getValue<int>("default_expiry_days"));
        CPPUNIT_ASSERT_EQUAL(30, t->getValue<int>("max_expiry_days"));
        CPPUNIT_ASSERT_EQUAL(std::string("fr"), text(t, "language"));
    }

    void aCookieSessionNeedsTheCsrfHeaderForUnsafeMethods() {
        relais::test::TestServer server(settings());
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");
        const auto session = relais::test::login(port, acme.host, alice.email);
        const std::string cookie = session.cookie.substr(0, session.cookie.find(';'));
        CPPUNIT_ASSERT_EQUAL("relais_session=" + session.token, cookie);

        auto me = call(port, acme.host, "", "GET", "/api/v1/me", {}, "application/json",
                       {{"Cookie", cookie}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(me.body, 200, me.status);
        CPPUNIT_ASSERT_EQUAL(alice.id, text(json(me.body), "id"));

        const std::string key = body({{"name", "from the browser"}});
        assertProblem(call(port, acme.host, "", "POST", "/api/v1/api-keys", key, "application/json",
                           {{"Cookie", cookie}}),
                      403, "csrf_failed", "no X-CSRF-Token");
        assertProblem(call(port, acme.host, "", "POST", "/api/v1/api-keys", key, "application/json",
                           {{"Cookie", cookie}, {"X-CSRF-Token", session.csrf + "x"}}),
                      403, "csrf_failed", "a wrong X-CSRF-Token");
        assertProblem(call(port, acme.host, "", "POST", "/api/v1/api-keys", key, "application/json",
                           {{"Cookie", cookie}, {"X-CSRF-Token", session.token}}),
                      403, "csrf_failed", "the session token as X-CSRF-Token");
        auto created =
            call(port, acme.host, "", "POST", "/api/v1/api-keys", key, "application/json",
                 {{"Cookie", cookie}, {"X-CSRF-Token", session.csrf}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        // None of the refused attempts created a key.
        auto list = call(port, acme.host, session.token, "GET", "/api/v1/api-keys");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, std::size_t{1},
                                     json(list.body)->getArray("items")->size());

        // A Bearer token needs no CSRF header.
        auto bearer = call(port, acme.host, session.token, "POST", "/api/v1/api-keys",
                           body({{"name", "script"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(bearer.body, 201, bearer.status);

        // A cookie whose session is gone is no session.
        CPPUNIT_ASSERT_EQUAL(
            204, call(port, acme.host, session.token, "POST", "/api/v1/auth/logout").status);
        assertProblem(call(port, acme.host, "", "GET", "/api/v1/me", {}, "application/json",
                           {{"Cookie", cookie}}),
                      401, "unauthenticated", "a cookie after logout");
    }

    void apiKeysAuthenticateAndCanBeRevokedOnlyByTheirOwner() {
        relais::test::TestServer server(settings());
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");
        const UserRef bob = addUser(rt, acme.id, "user", "bob@acme.example");
        const auto a = relais::test::login(port, acme.host, alice.email);
        const auto b = relais::test::login(port, acme.host, bob.email);

        auto created =
            call(port, acme.host, a.token, "POST", "/api/v1/api-keys", body({{"name", "CI"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        auto k = json(created.body);
        const std::string id = text(k, "id");
        const std::string key = text(k, "key");
        CPPUNIT_ASSERT(!id.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("CI"), text(k, "name"));
        CPPUNIT_ASSERT_MESSAGE(key, key.rfind("rlk_", 0) == 0 && key.size() >= 30);

        auto me = call(port, acme.host, key, "GET", "/api/v1/me");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(me.body, 200, me.status);
        CPPUNIT_ASSERT_EQUAL(alice.id, text(json(me.body), "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("api_key"), text(json(me.body), "authenticated_by"));

        auto list = call(port, acme.host, a.token, "GET", "/api/v1/api-keys");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, 200, list.status);
        auto items = json(list.body)->getArray("items");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, std::size_t{1}, items->size());
        CPPUNIT_ASSERT_EQUAL(id, text(items->getObject(0), "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("CI"), text(items->getObject(0), "name"));
        CPPUNIT_ASSERT_MESSAGE(list.body, !items->getObject(0)->has("key"));
        CPPUNIT_ASSERT_MESSAGE(list.body, list.body.find(key.substr(4)) == std::string::npos);

        // Bob sees none of it and cannot revoke it.
        auto bobs = call(port, acme.host, b.token, "GET", "/api/v1/api-keys");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(bobs.body, std::size_t{0},
                                     json(bobs.body)->getArray("items")->size());
        assertProblem(call(port, acme.host, b.token, "DELETE", "/api/v1/api-keys/" + id), 404,
                      "not_found", "another user's key");
        CPPUNIT_ASSERT_EQUAL(200, call(port, acme.host, key, "GET", "/api/v1/me").status);

        auto deleted = call(port, acme.host, a.token, "DELETE", "/api/v1/api-keys/" + id);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(deleted.body, 204, deleted.status);
        assertProblem(call(port, acme.host, key, "GET", "/api/v1/me"), 401, "invalid_token",
                      "a revoked key");
        CPPUNIT_ASSERT_EQUAL(std::size_t{0},
                             json(call(port, acme.host, a.token, "GET", "/api/v1/api-keys").body)
                                 ->getArray("items")
                                 ->size());
        assertProblem(call(port, acme.host, a.token, "DELETE", "/api/v1/api-keys/" + id), 404,
                      "not_found", "a key revoked already");

        auto unnamed = call(port, acme.host, a.token, "POST", "/api/v1/api-keys", "{}");
        assertProblem(unnamed, 400, "invalid_field", "a key without a name");
        CPPUNIT_ASSERT_EQUAL(std::string("name"),
                             text(json(unnamed.body)->getArray("errors")->getObject(0), "field"));
    }

    void totpIsASecondFactorWithReplayProtectionAndRecoveryCodes() {
        // The generator of this test against RFC 6238's test vectors (SHA-1, truncated to 6).
        const std::string rfcKey = "12345678901234567890";
        CPPUNIT_ASSERT_EQUAL(std::string("287082"), totpCode(rfcKey, 59 / 30));
        CPPUNIT_ASSERT_EQUAL(std::string("081804"), totpCode(rfcKey, 1111111109 / 30));
        CPPUNIT_ASSERT_EQUAL(std::string("005924"), totpCode(rfcKey, 1234567890 / 30));

        relais::test::TestServer server(settings());
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");
        const auto session = relais::test::login(port, acme.host, alice.email);

        auto begun = call(port, acme.host, session.token, "POST", "/api/v1/me/totp");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(begun.body, 200, begun.status);
        const std::string secret = text(json(begun.body), "secret");
        const std::string uri = text(json(begun.body), "otpauth_uri");
        CPPUNIT_ASSERT_MESSAGE(secret, std::regex_match(secret, std::regex("[A-Z2-7]{32}")));
        CPPUNIT_ASSERT_MESSAGE(uri, uri.rfind("otpauth://totp/", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(uri, uri.find("secret=" + secret) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(uri, uri.find("issuer=") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(uri, uri.find("alice%40acme.example") != std::string::npos ||
                                        uri.find("alice@acme.example") != std::string::npos);
        const std::string key = base32Decode(secret);
        CPPUNIT_ASSERT_EQUAL(std::size_t{20}, key.size());

        // Everything below happens within one or two 30-second steps of `n`.
        const std::uint64_t n = currentStep();
        std::string wrong = "000000";
        for (int i = 0; i < 1000000; ++i) {
            char c[8];
            std::snprintf(c, sizeof c, "%06d", (i * 7919 + 123456) % 1000000);
            wrong = c;
            bool used = false;
            for (std::uint64_t s = n - 2; s <= n + 3; ++s)
                used = used || totpCode(key, s) == wrong;
            if (!used)
                break;
        }

        auto bad = call(port, acme.host, session.token, "POST", "/api/v1/me/totp/confirm",
                        body({{"code", wrong}}));
        assertProblem(bad, 400, "invalid_totp", "confirming with a wrong code");
        // Not enabled yet: the password alone still logs in.
        CPPUNIT_ASSERT_EQUAL(200, tryLogin(port, acme.host, alice.email, kPassword).status);

        auto confirmed = call(port, acme.host, session.token, "POST", "/api/v1/me/totp/confirm",
                              body({{"code", totpCode(key, n)}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(confirmed.body, 200, confirmed.status);
        auto codes = json(confirmed.body)->getArray("recovery_codes");
        CPPUNIT_ASSERT_MESSAGE(confirmed.body, codes);
        CPPUNIT_ASSERT_EQUAL(std::size_t{10}, codes->size());
        std::set<std::string> distinct;
        for (std::size_t i = 0; i < codes->size(); ++i)
            distinct.insert(codes->getElement<std::string>(static_cast<unsigned>(i)));
        CPPUNIT_ASSERT_EQUAL(std::size_t{10}, distinct.size());

        assertProblem(tryLogin(port, acme.host, alice.email, kPassword), 401, "totp_required",
                      "no second factor");
        assertProblem(tryLogin(port, acme.host, alice.email, kPassword, wrong), 401, "invalid_totp",
                      "a wrong code");
        // The code that confirmed the set-up was used once: RFC 6238 §5.2 refuses it again.
        assertProblem(tryLogin(port, acme.host, alice.email, kPassword, totpCode(key, n)), 401,
                      "totp_replayed", "the code used to confirm");
        const std::string next = totpCode(key, n + 1);
        auto in = tryLogin(port, acme.host, alice.email, kPassword, next);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(in.body, 200, in.status);
        CPPUNIT_ASSERT_EQUAL(
            200, call(port, acme.host, text(json(in.body), "token"), "GET", "/api/v1/me").status);
        assertProblem(tryLogin(port, acme.host, alice.email, kPassword, next), 401, "totp_replayed",
                      "the same code again");
        // A second factor does not replace the password.
        assertProblem(
            tryLogin(port, acme.host, alice.email, "Not-The-Password-77", totpCode(key, n + 2)),
            401, "invalid_credentials", "a wrong password with a code");

        const std::string recovery = codes->getElement<std::string>(0);
        auto withRecovery = tryLogin(port, acme.host, alice.email, kPassword, recovery);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(withRecovery.body, 200, withRecovery.status);
        assertProblem(tryLogin(port, acme.host, alice.email, kPassword, recovery), 401,
                      "invalid_totp", "a recovery code used twice");
        CPPUNIT_ASSERT_EQUAL(200, tryLogin(port, acme.host, alice.email, kPassword,
                                           codes->getElement<std::string>(1))
                                      .status);
    }

    void aProfileRequiringTotpForcesEnrolmentFirst() {
        relais::test::TestServer server(settings());
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef admin = addUser(rt, acme.id, "tenant_admin", "admin@acme.example");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");
        const auto adminSession = relais::test::login(port, acme.host, admin.email);
        // Credentials alice holds before her profile asks for a second factor.
        const auto before = relais::test::login(port, acme.host, alice.email);
        auto earlyKey = call(port, acme.host, before.token, "POST", "/api/v1/api-keys", body({{"name", "tôt"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(earlyKey.body, 201, earlyKey.status);
        const std::string keyBefore = text(json(earlyKey.body), "key");

        auto profile = call(port, acme.host, adminSession.token, "POST", "/api/v1/admin/profiles",
                            R"({"name": "Sensible", "features": ["send"], "require_totp": true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(profile.body, 201, profile.status);
        const std::string profileId = text(json(profile.body), "id");
        auto patched = call(port, acme.host, adminSession.token, "PATCH",
                            "/api/v1/admin/users/" + alice.id, body({{"profile_id", profileId}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(patched.body, 200, patched.status);

        // Neither the older session nor the older API key gets around it.
        assertProblem(call(port, acme.host, before.token, "GET", "/api/v1/api-keys"), 403,
                      "totp_enrollment_required", "a session opened before the profile changed");
        assertProblem(call(port, acme.host, keyBefore, "GET", "/api/v1/api-keys"), 403,
                      "totp_enrollment_required", "an API key made before the profile changed");
        auto r = tryLogin(port, acme.host, alice.email, kPassword);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_MESSAGE(r.body, json(r.body)->getValue<bool>("totp_enrollment_required"));
        const std::string token = text(json(r.body), "token");
        assertProblem(call(port, acme.host, token, "GET", "/api/v1/api-keys"), 403,
                      "totp_enrollment_required", "another route before enrolment");
        assertProblem(
            call(port, acme.host, token, "POST", "/api/v1/api-keys", body({{"name", "x"}})), 403,
            "totp_enrollment_required", "creating a key before enrolment");
        auto pendingMe = call(port, acme.host, token, "GET", "/api/v1/me");
        CPPUNIT_ASSERT_EQUAL(200, pendingMe.status);
        CPPUNIT_ASSERT_MESSAGE(pendingMe.body, json(pendingMe.body)->getValue<bool>("totp_enrollment_required"));

        auto begun = call(port, acme.host, token, "POST", "/api/v1/me/totp");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(begun.body, 200, begun.status);
        const std::string key = base32Decode(text(json(begun.body), "secret"));
        // Still refused between the start and the confirmation.
        assertProblem(call(port, acme.host, token, "GET", "/api/v1/api-keys"), 403,
                      "totp_enrollment_required", "before the confirmation");
        const std::uint64_t n = currentStep();
        auto confirmed = call(port, acme.host, token, "POST", "/api/v1/me/totp/confirm",
                              body({{"code", totpCode(key, n)}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(confirmed.body, 200, confirmed.status);
        auto keys = call(port, acme.host, token, "GET", "/api/v1/api-keys");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(keys.body, 200, keys.status);
        CPPUNIT_ASSERT(!json(call(port, acme.host, token, "GET", "/api/v1/me").body)->getValue<bool>("totp_enrollment_required"));

        assertProblem(tryLogin(port, acme.host, alice.email, kPassword), 401, "totp_required",
                      "after enrolment");
        r = tryLogin(port, acme.host, alice.email, kPassword, totpCode(key, n + 1));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_MESSAGE(r.body, !json(r.body)->getValue<bool>("totp_enrollment_required"));
        CPPUNIT_ASSERT_EQUAL(200, call(port, acme.host, keyBefore, "GET", "/api/v1/api-keys").status);
        const std::string afterEnrolment = text(json(r.body), "token");

        // Her phone is lost: an admin removes the factor; her sessions end, and her profile
        // makes her enrol again at the next login.
        assertProblem(call(port, acme.host, adminSession.token, "POST",
                           "/api/v1/admin/users/" + admin.id + "/totp/reset"),
                      409, "own_account", "an admin resetting their own factor");
        CPPUNIT_ASSERT_EQUAL(204, call(port, acme.host, adminSession.token, "POST",
                                       "/api/v1/admin/users/" + alice.id + "/totp/reset")
                                      .status);
        CPPUNIT_ASSERT_EQUAL(401, call(port, acme.host, afterEnrolment, "GET", "/api/v1/me").status);
        r = tryLogin(port, acme.host, alice.email, kPassword);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT(json(r.body)->getValue<bool>("totp_enrollment_required"));
    }

    void disabledUsersCannotLogInAndLoseTheirTokens() {
        relais::test::TestServer server(settings());
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef admin = addUser(rt, acme.id, "tenant_admin", "admin@acme.example");
        const UserRef alice = addUser(rt, acme.id, "user", "alice@acme.example");
        const auto adminSession = relais::test::login(port, acme.host, admin.email);
        const auto a = relais::test::login(port, acme.host, alice.email);
        auto created =
            call(port, acme.host, a.token, "POST", "/api/v1/api-keys", body({{"name", "CI"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const std::string key = text(json(created.body), "key");
        CPPUNIT_ASSERT_EQUAL(200, call(port, acme.host, key, "GET", "/api/v1/me").status);

        auto disabled = call(port, acme.host, adminSession.token, "PATCH",
                             "/api/v1/admin/users/" + alice.id, body({{"state", "disabled"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(disabled.body, 200, disabled.status);
        CPPUNIT_ASSERT_EQUAL(std::string("disabled"), text(json(disabled.body), "state"));

        assertProblem(call(port, acme.host, a.token, "GET", "/api/v1/me"), 401, "invalid_token",
                      "a disabled user's session");
        assertProblem(call(port, acme.host, key, "GET", "/api/v1/me"), 401, "invalid_token",
                      "a disabled user's API key");
        auto refused = tryLogin(port, acme.host, alice.email, kPassword);
        assertProblem(refused, 401, "invalid_credentials", "a disabled user's login");
        auto wrong = tryLogin(port, acme.host, alice.email, "Not-The-Password-77");
        CPPUNIT_ASSERT_EQUAL(withoutRequestFields(wrong.body), withoutRequestFields(refused.body));

        auto enabled = call(port, acme.host, adminSession.token, "PATCH",
                            "/api/v1/admin/users/" + alice.id, body({{"state", "active"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(enabled.body, 200, enabled.status);
        CPPUNIT_ASSERT_EQUAL(200, tryLogin(port, acme.host, alice.email, kPassword).status);
        // The session ended for good.
        assertProblem(call(port, acme.host, a.token, "GET", "/api/v1/me"), 401, "invalid_token",
                      "a session of before the suspension");
    }

    void aPasswordResetMailsALinkThatWorksOnce() {
        auto s = settings();
        s["smtp.host"] = relais::test::requiredEnv("TEST_SMTP_HOST");
        s["smtp.port"] = relais::test::requiredEnv("TEST_SMTP_PORT");
        s["mail.poll_ms"] = "100";
        relais::test::TestServer server(s);
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        // The maildir is shared by every suite: addresses of this run only.
        const std::string suffix = relais::toHex(relais::randomBytes(5));
        const UserRef alice = addUser(rt, acme.id, "user", "alice-" + suffix + "@acme.example");
        const std::string nobody = "nobody-" + suffix + "@acme.example";
        const auto before = relais::test::login(port, acme.host, alice.email);

        auto known = call(port, acme.host, "", "POST", "/api/v1/auth/password-reset",
                          body({{"email", alice.email}}));
        auto unknown = call(port, acme.host, "", "POST", "/api/v1/auth/password-reset",
                            body({{"email", nobody}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(known.body, 202, known.status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(unknown.body, 202, unknown.status);
        CPPUNIT_ASSERT_EQUAL(known.body, unknown.body);

        std::vector<Mail> mails;
        relais::test::waitUntil(
            [&] {
                mails = mailsTo(alice.email);
                return !mails.empty();
            },
            20000, "the password-reset mail to " + alice.email);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, mails.size());
        const Mail& mail = mails[0];
        // French first, then English.
        CPPUNIT_ASSERT_MESSAGE(mail.subject,
                               mail.subject.find("mot de passe") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(mail.subject,
                               mail.subject.find("Password reset") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            mail.subject, mail.subject.find("mot de passe") < mail.subject.find("Password reset"));
        const auto fr = mail.text.find("Bonjour");
        const auto en = mail.text.find("Hello");
        CPPUNIT_ASSERT_MESSAGE(mail.text,
                               fr != std::string::npos && en != std::string::npos && fr < en);
        std::smatch link;
        CPPUNIT_ASSERT_MESSAGE(
            mail.text,
            std::regex_search(
                mail.text, link,
                std::regex(
                    "https?://acme\\.localhost(:[0-9]+)?/[^\\s]*[?&]token=([A-Za-z0-9_-]+)")));
        const std::string token = link[2].str();
        CPPUNIT_ASSERT(mailsTo(nobody).empty());

        assertProblem(call(port, acme.host, "", "POST", "/api/v1/auth/password-reset/complete",
                           body({{"token", token + "x"}, {"password", "Brand-New-Passphrase-31"}})),
                      410, "link_expired", "a made-up token");
        auto weak = call(port, acme.host, "", "POST", "/api/v1/auth/password-reset/complete",
                         body({{"token", token}, {"password", "abcdefgh"}}));
        assertProblem(weak, 400, "weak_password", "a weak password");
        auto done = call(port, acme.host, "", "POST", "/api/v1/auth/password-reset/complete",
                         body({{"token", token}, {"password", "Brand-New-Passphrase-31"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, 204, done.status);
        assertProblem(call(port, acme.host, "", "POST", "/api/v1/auth/password-reset/complete",
                           body({{"token", token}, {"password", "Yet-Another-Passphrase-32"}})),
                      410, "link_expired", "the same link twice");

        assertProblem(call(port, acme.host, before.token, "GET", "/api/v1/me"), 401,
                      "invalid_token", "a session of before the reset");
        assertProblem(tryLogin(port, acme.host, alice.email, kPassword), 401, "invalid_credentials",
                      "the old password");
        auto in = tryLogin(port, acme.host, alice.email, "Brand-New-Passphrase-31");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(in.body, 200, in.status);
    }

    // RFC 5321 §2.3.8 and RFC 5322 §2.3: CR and LF only travel together, as CRLF. Bare LFs are
    // refused by some servers (Exchange: BareLinefeedsAreIllegal) and rewritten by others.
    void thePasswordResetMailEndsItsLinesWithCrlf() {
        auto s = settings();
        s["smtp.host"] = relais::test::requiredEnv("TEST_SMTP_HOST");
        s["smtp.port"] = relais::test::requiredEnv("TEST_SMTP_PORT");
        s["mail.poll_ms"] = "100";
        relais::test::TestServer server(s);
        auto& rt = server.runtime();
        const auto port = server.port();
        const TenantRef acme = relais::test::createTenant(rt, "acme");
        const UserRef bob = addUser(
            rt, acme.id, "user", "bob-" + relais::toHex(relais::randomBytes(5)) + "@acme.example");
        CPPUNIT_ASSERT_EQUAL(202, call(port, acme.host, "", "POST", "/api/v1/auth/password-reset",
                                       body({{"email", bob.email}}))
                                      .status);
        std::vector<Mail> mails;
        relais::test::waitUntil(
            [&] {
                mails = mailsTo(bob.email);
                return !mails.empty();
            },
            20000, "the password-reset mail to " + bob.email);
        const std::string& raw = mails[0].raw;
        std::size_t bare = 0, first = std::string::npos;
        for (std::size_t i = 0; i < raw.size(); ++i)
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                ++bare;
                if (first == std::string::npos)
                    first = i;
            }
        std::string context;
        if (first != std::string::npos) {
            const std::size_t from = raw.rfind('\n', first - 1) == std::string::npos
                                         ? 0
                                         : raw.rfind('\n', first - 1) + 1;
            for (char c : raw.substr(from, first - from + 1))
                context += c == '\n'   ? std::string("\\n")
                           : c == '\r' ? std::string("\\r")
                                       : std::string(1, c);
        }
        CPPUNIT_ASSERT_MESSAGE(std::to_string(bare) +
                                   " bare LF in the message, the first ending the line \"" +
                                   context + "\"",
                               bare == 0);
    }

    void badLoginBodiesAreRefusedWithProblems() {
        relais::test::TestServer server(settings());
        const auto port = server.port();
        relais::test::createTenant(server.runtime(), "acme");
        const std::string path = "/api/v1/auth/login";
        const std::string host = "acme.localhost";

        assertProblem(
            call(port, host, "", "POST", path, R"({"email": "a@acme.example", "password": )"), 400,
            "invalid_json", "truncated JSON");
        assertProblem(call(port, host, "", "POST", path, R"(["a@acme.example"])"), 400,
                      "invalid_json", "a JSON array");
        auto plain = call(port, host, "", "POST", path,
                          body({{"email", "a@acme.example"}, {"password", "x"}}), "text/plain");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(plain.body, 415, plain.status);
        CPPUNIT_ASSERT_MESSAGE(
            plain.header("content-type"),
            plain.header("content-type").rfind("application/problem+json", 0) == 0);

        auto missing = call(port, host, "", "POST", path, body({{"password", kPassword}}));
        assertProblem(missing, 400, "invalid_field", "no email");
        auto errors = json(missing.body)->getArray("errors");
        CPPUNIT_ASSERT_MESSAGE(missing.body, errors && errors->size() >= 1);
        CPPUNIT_ASSERT_EQUAL(std::string("email"), text(errors->getObject(0), "field"));
        auto notText = call(port, host, "", "POST", path, R"({"email": 42, "password": "x"})");
        assertProblem(notText, 400, "invalid_field", "a number as email");
        CPPUNIT_ASSERT_EQUAL(std::string("email"),
                             text(json(notText.body)->getArray("errors")->getObject(0), "field"));

        // 20 KB where 16 KiB are accepted.
        const std::string big = body(
            {{"email", "a@acme.example"}, {"password", std::string(std::size_t{20} * 1024, 'p')}});
        const std::string raw = relais::test::rawExchange(
            port, "POST " + path + " HTTP/1.1\r\nHost: " + host +
                      "\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(big.size()) + "\r\n\r\n" + big);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(raw.substr(0, 300), 413, relais::test::statusOf(raw));
        CPPUNIT_ASSERT_MESSAGE(raw, relais::test::bodyOf(raw).find("\"code\":\"body_too_large\"") !=
                                        std::string::npos);
        // The server is still there.
        assertProblem(call(port, host, "", "POST", path,
                           body({{"email", "a@acme.example"}, {"password", "x"}})),
                      401, "invalid_credentials", "after the big body");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthTest);

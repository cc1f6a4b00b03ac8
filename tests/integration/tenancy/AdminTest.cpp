// Tenant administration over HTTP, as a tenant_admin's client sees it: users, CSV import,
// profiles and IP allow-lists, modules, journal, settings and usage, and the walls between
// tenants. A real server on port 0, on SQLite or MariaDB (--db).
//
// Argon2id is slow under the sanitizers: each test logs in once or twice at most, and users
// that need no password are created through the API without one (invited, which is cheap).

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/URI.h>
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "TenancySupport.h"
#include "TestSupport.h"
#include "runtime/Runtime.h"

using relais::test::decodeQuotedPrintable;
using relais::test::HttpResult;
using relais::test::TenantRef;
using relais::test::UserRef;

namespace {

using JsonObject = Poco::JSON::Object::Ptr;
using JsonArray = Poco::JSON::Array::Ptr;

Poco::Dynamic::Var parse(const HttpResult& r) {
    try {
        return Poco::JSON::Parser().parse(r.body);
    } catch (const Poco::Exception& e) {
        CPPUNIT_FAIL("not JSON (" + e.displayText() + "): " + r.body);
    }
    return {};
}

JsonObject object(const HttpResult& r) {
    auto v = parse(r);
    CPPUNIT_ASSERT_MESSAGE("not a JSON object: " + r.body, v.type() == typeid(JsonObject));
    return v.extract<JsonObject>();
}

JsonArray array(const HttpResult& r) {
    auto v = parse(r);
    CPPUNIT_ASSERT_MESSAGE("not a JSON array: " + r.body, v.type() == typeid(JsonArray));
    return v.extract<JsonArray>();
}

// A member as text; "<null>" or "<absent>" so that a comparison failure says which.
std::string str(const JsonObject& o, const std::string& name) {
    if (!o->has(name))
        return "<absent>";
    if (o->isNull(name))
        return "<null>";
    return o->get(name).toString();
}

std::vector<JsonObject> objects(const JsonArray& a) {
    std::vector<JsonObject> out;
    for (unsigned i = 0; a && i < a->size(); ++i)
        out.push_back(a->getObject(i));
    return out;
}

std::vector<JsonObject> itemsOf(const HttpResult& r) {
    auto o = object(r);
    CPPUNIT_ASSERT_MESSAGE("no items: " + r.body, o->getArray("items"));
    return objects(o->getArray("items"));
}

std::string jsonText(const Poco::JSON::Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::string q(const std::string& value) {
    std::string out;
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]\"<> %", out);
    return out;
}

// The fields named in a problem's errors[].
std::vector<std::string> errorFields(const HttpResult& r) {
    std::vector<std::string> out;
    try {
        auto o = Poco::JSON::Parser().parse(r.body).extract<JsonObject>();
        for (const auto& e : objects(o->getArray("errors")))
            out.push_back(str(e, "field"));
    } catch (const std::exception&) {
    }
    return out;
}

void assertProblem(const HttpResult& r, int status, const std::string& code,
                   const std::string& field, const CppUnit::SourceLine& line) {
    CppUnit::assertEquals(status, r.status, line, "status; body: " + r.body);
    CppUnit::Asserter::failIf(r.header("content-type").rfind("application/problem+json", 0) != 0,
                              "not a problem body: " + r.header("content-type") + " " + r.body,
                              line);
    CppUnit::assertEquals(code, relais::test::problemCode(r), line, "code; body: " + r.body);
    if (!field.empty()) {
        const auto fields = errorFields(r);
        CppUnit::Asserter::failIf(std::find(fields.begin(), fields.end(), field) == fields.end(),
                                  "errors[].field has no '" + field + "': " + r.body, line);
    }
}

void assertStatus(int expected, const HttpResult& r, const CppUnit::SourceLine& line) {
    CppUnit::assertEquals(expected, r.status, line, "status; body: " + r.body);
}

#define ASSERT_PROBLEM(r, status, code, field) \
    assertProblem((r), (status), (code), (field), CPPUNIT_SOURCELINE())
// Evaluates `r` once: it is often the request itself.
#define ASSERT_STATUS(expected, r) assertStatus((expected), (r), CPPUNIT_SOURCELINE())

// RFC 4180, as a spreadsheet reads the journal export: rows of unquoted cells.
std::vector<std::vector<std::string>> readCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c != '"') {
                cell += c;
            } else if (i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else {
                quoted = false;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(cell);
            cell.clear();
        } else if (c == '\n') {
            row.push_back(cell);
            cell.clear();
            rows.push_back(row);
            row.clear();
        } else if (c != '\r') {
            cell += c;
        }
    }
    if (!cell.empty() || !row.empty()) {
        row.push_back(cell);
        rows.push_back(row);
    }
    return rows;
}

std::string randomHex(std::size_t n) {
    static std::mt19937_64 gen{std::random_device{}()};
    const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += digits[gen() % 16];
    return out;
}

const std::string kBom = "\xEF\xBB\xBF";

}  // namespace

class AdminTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AdminTest);
    CPPUNIT_TEST(usersAreCreatedReadChangedAndDeleted);
    CPPUNIT_TEST(anInvitedUserReceivesAMailInFrenchThenEnglish);
    CPPUNIT_TEST(theUserListIsPaginatedByCursor);
    CPPUNIT_TEST(aPlainUserIsForbiddenAndAnonymousIsUnauthenticated);
    CPPUNIT_TEST(thePlanLimitsLicences);
    CPPUNIT_TEST(theLastAdministratorStays);
    CPPUNIT_TEST(badUserInputNamesItsField);
    CPPUNIT_TEST(aNameOf200AccentedCharactersIsAccepted);
    CPPUNIT_TEST(aFrenchExcelCsvIsImportedLineByLine);
    CPPUNIT_TEST(anImportWithoutARoleColumnKeepsRoles);
    CPPUNIT_TEST(anImportRefusesBadBodies);
    CPPUNIT_TEST(anImportStopsAtTheLicenceLimitLineByLine);
    CPPUNIT_TEST(profilesCheckFeaturesAndRanges);
    CPPUNIT_TEST(theIpAllowListUsesTheTrustedProxysAddress);
    CPPUNIT_TEST(forwardedForIsIgnoredWithoutATrustedProxy);
    CPPUNIT_TEST(modulesFollowThePlan);
    CPPUNIT_TEST(aCatalogueModuleOutsideThePlanIsRefused);
    CPPUNIT_TEST(theJournalListsFiltersAndVerifies);
    CPPUNIT_TEST(theJournalCsvExportIsDefused);
    CPPUNIT_TEST(settingsAndUsage);
    CPPUNIT_TEST(anotherTenantsObjectsAreNotFound);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<relais::test::TempDir> dir_;
    std::unique_ptr<relais::test::TestDatabase> db_;
    std::unique_ptr<relais::test::TestServer> server_;
    TenantRef acme_;
    UserRef admin_;
    std::string token_;

    // A server with `extra` settings, the tenant "acme" on `plan`, its admin, logged in.
    void start(const std::string& plan = "pro",
               const std::map<std::string, std::string>& extra = {}) {
        auto settings = relais::test::baseSettings(*dir_, *db_);
        for (const auto& [k, v] : extra)
            settings[k] = v;
        server_ = std::make_unique<relais::test::TestServer>(settings);
        acme_ = relais::test::createTenant(runtime(), "acme", plan);
        admin_ =
            relais::test::createUser(runtime(), acme_.id, "tenant_admin", "admin@acme.example");
        token_ = relais::test::login(port(), acme_.host, admin_.email).token;
    }
    relais::Runtime& runtime() { return server_->runtime(); }
    std::uint16_t port() const { return server_->port(); }

    HttpResult as(const std::string& token, const std::string& method, const std::string& path,
                  const std::string& body = {}, const std::string& contentType = "application/json",
                  const std::map<std::string, std::string>& headers = {}) {
        return relais::test::call(port(), acme_.host, token, method, path, body, contentType,
                                  headers);
    }
    // As acme's admin on acme's host.
    HttpResult admin(const std::string& method, const std::string& path,
                     const std::string& body = {},
                     const std::string& contentType = "application/json",
                     const std::map<std::string, std::string>& headers = {}) {
        return as(token_, method, path, body, contentType, headers);
    }
    // POST /api/v1/admin/users without a password; returns the new user.
    JsonObject invite(const std::string& email, const std::string& name,
                      const std::string& role = "user") {
        Poco::JSON::Object body;
        body.set("email", email);
        body.set("name", name);
        body.set("role", role);
        auto r = admin("POST", "/api/v1/admin/users", jsonText(body));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("invite " + email + ": " + r.body, 201, r.status);
        return object(r);
    }
    JsonObject userById(const std::string& id) {
        auto r = admin("GET", "/api/v1/admin/users/" + id);
        ASSERT_STATUS(200, r);
        return object(r);
    }
    std::string createProfile(const std::string& body) {
        auto r = admin("POST", "/api/v1/admin/profiles", body);
        ASSERT_STATUS(201, r);
        return str(object(r), "id");
    }
    // Every user, following the cursors.
    std::vector<JsonObject> allUsers() {
        auto r = admin("GET", "/api/v1/admin/users?limit=500");
        ASSERT_STATUS(200, r);
        return itemsOf(r);
    }
    JsonObject userByEmail(const std::string& email) {
        for (auto& u : allUsers())
            if (str(u, "email") == email)
                return u;
        return nullptr;
    }
    // Journal entries matching the query string `query` (without format), all pages.
    std::vector<JsonObject> journal(const std::string& query = {}) {
        std::vector<JsonObject> out;
        std::string cursor;
        for (int page = 0; page < 100; ++page) {
            std::string path =
                "/api/v1/admin/journal?limit=500" + (query.empty() ? "" : "&" + query);
            if (!cursor.empty())
                path += "&cursor=" + q(cursor);
            auto r = admin("GET", path);
            ASSERT_STATUS(200, r);
            for (auto& e : itemsOf(r))
                out.push_back(e);
            auto body = object(r);
            if (body->isNull("next_cursor"))
                return out;
            cursor = str(body, "next_cursor");
        }
        CPPUNIT_FAIL("the journal's cursors never end");
        return out;
    }
    HttpResult importCsv(const std::string& csv, const std::string& contentType = "text/csv") {
        return admin("POST", "/api/v1/admin/users/import", csv, contentType);
    }

public:
    void setUp() override {
        // Invitations go nowhere (smtp.port 25 is closed) unless a test points the mailer at the
        // test SMTP server; saying so every test is noise.
        Poco::Logger::get("relais.mail").setLevel("error");
        dir_ = std::make_unique<relais::test::TempDir>();
        db_ = std::make_unique<relais::test::TestDatabase>();
    }
    void tearDown() override {
        server_.reset();
        db_.reset();
        dir_.reset();
    }

    // --- 1. Users ----------------------------------------------------------------------------

    void usersAreCreatedReadChangedAndDeleted() {
        start();
        auto carol = invite("Carol@Acme.Example", "Carol");
        const std::string id = str(carol, "id");
        CPPUNIT_ASSERT_EQUAL(std::string("carol@acme.example"), str(carol, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("invited"), str(carol, "state"));
        CPPUNIT_ASSERT_EQUAL(std::string("user"), str(carol, "role"));
        CPPUNIT_ASSERT_EQUAL(acme_.id, str(carol, "tenant_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("<null>"), str(carol, "profile_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), str(carol, "password"));

        // Without a role the user is a plain user; the answer is 201 with the user.
        auto plain =
            admin("POST", "/api/v1/admin/users", R"({"email":"dave@acme.example","name":"Dave"})");
        ASSERT_STATUS(201, plain);
        CPPUNIT_ASSERT_EQUAL(std::string("user"), str(object(plain), "role"));

        auto got = userById(id);
        CPPUNIT_ASSERT_EQUAL(std::string("carol@acme.example"), str(got, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("Carol"), str(got, "name"));

        const std::string profile = createProfile(R"({"name":"Compta","features":["send"]})");
        auto patched = admin(
            "PATCH", "/api/v1/admin/users/" + id,
            R"({"name":"Carol Dupont","role":"tenant_admin","profile_id":")" + profile + "\"}");
        ASSERT_STATUS(200, patched);
        CPPUNIT_ASSERT_EQUAL(std::string("Carol Dupont"), str(object(patched), "name"));
        got = userById(id);
        CPPUNIT_ASSERT_EQUAL(std::string("Carol Dupont"), str(got, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_admin"), str(got, "role"));
        CPPUNIT_ASSERT_EQUAL(profile, str(got, "profile_id"));

        auto disabled = admin("PATCH", "/api/v1/admin/users/" + id, R"({"state":"disabled"})");
        ASSERT_STATUS(200, disabled);
        CPPUNIT_ASSERT_EQUAL(std::string("disabled"), str(userById(id), "state"));
        // Enabled again, a user who never chose a password is invited, not active.
        auto enabled = admin("PATCH", "/api/v1/admin/users/" + id, R"({"state":"active"})");
        ASSERT_STATUS(200, enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("invited"), str(userById(id), "state"));
        ASSERT_PROBLEM(admin("PATCH", "/api/v1/admin/users/" + id, R"({"state":"asleep"})"), 400,
                       "invalid_field", "state");
        auto unprofiled =
            admin("PATCH", "/api/v1/admin/users/" + id, R"({"role":"user","profile_id":null})");
        ASSERT_STATUS(200, unprofiled);
        got = userById(id);
        CPPUNIT_ASSERT_EQUAL(std::string("user"), str(got, "role"));
        CPPUNIT_ASSERT_EQUAL(std::string("<null>"), str(got, "profile_id"));

        auto removed = admin("DELETE", "/api/v1/admin/users/" + id);
        ASSERT_STATUS(204, removed);
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/users/" + id), 404, "not_found", "");
        ASSERT_PROBLEM(admin("DELETE", "/api/v1/admin/users/" + id), 404, "not_found", "");
        ASSERT_PROBLEM(admin("PATCH", "/api/v1/admin/users/" + id, R"({"name":"Ghost"})"), 404,
                       "not_found", "");
        CPPUNIT_ASSERT(!userByEmail("carol@acme.example"));
        CPPUNIT_ASSERT(userByEmail("dave@acme.example"));
    }

    void anInvitedUserReceivesAMailInFrenchThenEnglish() {
        const std::string maildir = relais::test::requiredEnv("TEST_MAILDIR");
        Poco::Logger::get("relais.mail").setLevel("warning");
        start("pro", {{"smtp.host", relais::test::requiredEnv("TEST_SMTP_HOST")},
                      {"smtp.port", relais::test::requiredEnv("TEST_SMTP_PORT")},
                      {"mail.poll_ms", "100"}});
        // The maildir is shared between runs: an address of this run only.
        const std::string email = "invite-" + randomHex(12) + "@acme.example";
        invite(email, "Inès Invitée");
        std::string mail;
        relais::test::waitUntil(
            [&] {
                for (const auto& m : relais::test::maildirMessages(maildir))
                    if (m.find("X-Envelope-To: " + email) != std::string::npos) {
                        mail = decodeQuotedPrintable(m);
                        return true;
                    }
                return false;
            },
            15000, "the invitation mail to " + email);
        const auto french =
            mail.find("Un compte Relais a été créé pour vous au sein de Organisation acme");
        const auto english = mail.find("A Relais account was created for you at Organisation acme");
        CPPUNIT_ASSERT_MESSAGE(mail, french != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(mail, english != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("French comes first: " + mail, french < english);
        CPPUNIT_ASSERT_MESSAGE(mail, mail.find("Bonjour Inès Invitée") != std::string::npos);
        // The link leads to the tenant's own host.
        CPPUNIT_ASSERT_MESSAGE(mail, mail.find("acme.localhost") != std::string::npos);
    }

    void theUserListIsPaginatedByCursor() {
        start();
        for (const char* name : {"erin", "bob", "frank", "alice", "dora"})
            invite(std::string(name) + "@acme.example", name);
        std::vector<std::string> seen;
        std::string cursor;
        int pages = 0;
        for (;;) {
            auto r = admin("GET", "/api/v1/admin/users?limit=2" +
                                      (cursor.empty() ? "" : "&cursor=" + q(cursor)));
            ASSERT_STATUS(200, r);
            auto page = itemsOf(r);
            CPPUNIT_ASSERT_MESSAGE(r.body, page.size() <= 2);
            for (auto& u : page)
                seen.push_back(str(u, "email"));
            ++pages;
            auto body = object(r);
            CPPUNIT_ASSERT_MESSAGE(r.body, body->has("next_cursor"));
            if (body->isNull("next_cursor"))
                break;
            cursor = str(body, "next_cursor");
            CPPUNIT_ASSERT_MESSAGE("the cursors never end", pages < 10);
        }
        CPPUNIT_ASSERT_EQUAL(3, pages);
        const std::vector<std::string> expected = {"admin@acme.example", "alice@acme.example",
                                                   "bob@acme.example",   "dora@acme.example",
                                                   "erin@acme.example",  "frank@acme.example"};
        CPPUNIT_ASSERT(expected == seen);  // each once, in order, none missing

        // The default page holds them all and says there is no more.
        auto all = admin("GET", "/api/v1/admin/users");
        ASSERT_STATUS(200, all);
        CPPUNIT_ASSERT_EQUAL(std::size_t{6}, itemsOf(all).size());
        CPPUNIT_ASSERT(object(all)->isNull("next_cursor"));

        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/users?cursor=not-a-cursor"), 400,
                       "invalid_field", "cursor");
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/users?cursor=%21%21%21"), 400, "invalid_field",
                       "cursor");
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/users?limit=0"), 400, "invalid_field", "limit");
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/users?limit=501"), 400, "invalid_field",
                       "limit");
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/users?limit=2x"), 400, "invalid_field", "limit");
    }

    void aPlainUserIsForbiddenAndAnonymousIsUnauthenticated() {
        start();
        auto created = admin(
            "POST", "/api/v1/admin/users",
            std::string(R"({"email":"bob@acme.example","name":"Bob","role":"user","password":")") +
                relais::test::kPassword + "\"}");
        ASSERT_STATUS(201, created);
        CPPUNIT_ASSERT_EQUAL(std::string("active"), str(object(created), "state"));
        CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), str(object(created), "password"));
        const std::string bobId = str(object(created), "id");
        // The password given is the one that works.
        const std::string bob = relais::test::login(port(), acme_.host, "bob@acme.example").token;

        const std::vector<std::pair<std::string, std::string>> routes = {
            {"GET", "/api/v1/admin/users"},    {"GET", "/api/v1/admin/users/" + bobId},
            {"GET", "/api/v1/admin/profiles"}, {"GET", "/api/v1/admin/modules"},
            {"GET", "/api/v1/admin/journal"},  {"GET", "/api/v1/admin/journal/verify"},
            {"GET", "/api/v1/admin/settings"}, {"GET", "/api/v1/admin/usage"},
        };
        for (const auto& [method, path] : routes) {
            ASSERT_PROBLEM(as(bob, method, path), 403, "forbidden", "");
            ASSERT_PROBLEM(as("", method, path), 401, "unauthenticated", "");
        }
        ASSERT_PROBLEM(
            as(bob, "POST", "/api/v1/admin/users", R"({"email":"x@acme.example","name":"X"})"), 403,
            "forbidden", "");
        ASSERT_PROBLEM(
            as(bob, "PATCH", "/api/v1/admin/users/" + bobId, R"({"role":"tenant_admin"})"), 403,
            "forbidden", "");
        ASSERT_PROBLEM(as(bob, "DELETE", "/api/v1/admin/users/" + admin_.id), 403, "forbidden", "");
        ASSERT_PROBLEM(as(bob, "PUT", "/api/v1/admin/modules/wesend", R"({"enabled":false})"), 403,
                       "forbidden", "");
        ASSERT_PROBLEM(
            as(bob, "POST", "/api/v1/admin/users/import", "email\nx@acme.example\n", "text/csv"),
            403, "forbidden", "");
        ASSERT_PROBLEM(
            as("", "POST", "/api/v1/admin/users", R"({"email":"x@acme.example","name":"X"})"), 401,
            "unauthenticated", "");
        ASSERT_PROBLEM(as("not-a-token", "GET", "/api/v1/admin/users"), 401, "invalid_token", "");
        // Nothing of it happened.
        CPPUNIT_ASSERT_EQUAL(std::string("user"), str(userById(bobId), "role"));
        CPPUNIT_ASSERT(!userByEmail("x@acme.example"));
        CPPUNIT_ASSERT_EQUAL(std::string("active"), str(userById(admin_.id), "state"));
    }

    // --- 2. Licences -------------------------------------------------------------------------

    void thePlanLimitsLicences() {
        start("essentiel");  // 5 licences; the admin holds one
        std::vector<std::string> ids;
        for (int i = 1; i <= 4; ++i)
            ids.push_back(str(invite("u" + std::to_string(i) + "@acme.example", "U"), "id"));
        auto usage = object(admin("GET", "/api/v1/admin/usage"));
        CPPUNIT_ASSERT_EQUAL(std::string("5"), str(usage, "users"));
        CPPUNIT_ASSERT_EQUAL(std::string("5"), str(usage, "licences"));

        ASSERT_PROBLEM(
            admin("POST", "/api/v1/admin/users", R"({"email":"u5@acme.example","name":"U5"})"), 409,
            "licence_limit", "");
        CPPUNIT_ASSERT(!userByEmail("u5@acme.example"));

        ASSERT_STATUS(200,
                      admin("PATCH", "/api/v1/admin/users/" + ids[0], R"({"state":"disabled"})"));
        CPPUNIT_ASSERT_EQUAL(std::string("4"),
                             str(object(admin("GET", "/api/v1/admin/usage")), "users"));
        const std::string u5 = str(invite("u5@acme.example", "U5"), "id");

        ASSERT_PROBLEM(admin("PATCH", "/api/v1/admin/users/" + ids[0], R"({"state":"active"})"),
                       409, "licence_limit", "");
        CPPUNIT_ASSERT_EQUAL(std::string("disabled"), str(userById(ids[0]), "state"));

        // Once a licence is free again, the same change goes through.
        ASSERT_STATUS(204, admin("DELETE", "/api/v1/admin/users/" + u5));
        ASSERT_STATUS(200,
                      admin("PATCH", "/api/v1/admin/users/" + ids[0], R"({"state":"active"})"));
        CPPUNIT_ASSERT_EQUAL(std::string("invited"), str(userById(ids[0]), "state"));
    }

    // --- 3. Guards ---------------------------------------------------------------------------

    void theLastAdministratorStays() {
        start();
        // Even beside another active admin, nobody removes their own rights.
        auto second =
            relais::test::createUser(runtime(), acme_.id, "tenant_admin", "second@acme.example");
        const std::string b = relais::test::login(port(), acme_.host, second.email).token;
        const std::string a = "/api/v1/admin/users/" + admin_.id;
        ASSERT_PROBLEM(admin("PATCH", a, R"({"state":"disabled"})"), 409, "last_admin", "");
        ASSERT_PROBLEM(admin("PATCH", a, R"({"role":"user"})"), 409, "last_admin", "");
        ASSERT_PROBLEM(admin("PATCH", a, R"({"name":"Still me","role":"user","state":"active"})"),
                       409, "last_admin", "");
        ASSERT_PROBLEM(admin("DELETE", a), 409, "last_admin", "");

        // The second admin demotes the first: allowed while two are active, and effective at once.
        ASSERT_STATUS(200, as(b, "PATCH", a, R"({"role":"user"})"));
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/users"), 403, "forbidden", "");

        // Now the second is the last active admin. An invited admin does not count as one.
        auto deputy =
            as(b, "POST", "/api/v1/admin/users",
               R"({"email":"deputy@acme.example","name":"Deputy","role":"tenant_admin"})");
        ASSERT_STATUS(201, deputy);
        CPPUNIT_ASSERT_EQUAL(std::string("invited"), str(object(deputy), "state"));
        const std::string self = "/api/v1/admin/users/" + second.id;
        ASSERT_PROBLEM(as(b, "PATCH", self, R"({"state":"disabled"})"), 409, "last_admin", "");
        ASSERT_PROBLEM(as(b, "PATCH", self, R"({"role":"user"})"), 409, "last_admin", "");
        ASSERT_PROBLEM(as(b, "DELETE", self), 409, "last_admin", "");

        // Another path to the same change: a CSV line that makes the last admin a plain user.
        auto r = as(b, "POST", "/api/v1/admin/users/import",
                    "email,name,role\nsecond@acme.example,Second,utilisateur\n", "text/csv");
        ASSERT_STATUS(200, r);
        auto report = object(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("0"), str(report, "updated"));
        auto errors = objects(report->getArray("errors"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::size_t{1}, errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2"), str(errors[0], "line"));
        CPPUNIT_ASSERT_EQUAL(std::string("last_admin"), str(errors[0], "code"));

        auto last = object(as(b, "GET", self));
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_admin"), str(last, "role"));
        CPPUNIT_ASSERT_EQUAL(std::string("active"), str(last, "state"));
        ASSERT_STATUS(200, as(b, "GET", "/api/v1/admin/users"));
        CPPUNIT_ASSERT_EQUAL(std::string("user"), str(object(as(b, "GET", a)), "role"));
    }

    // --- 4. Bad input ------------------------------------------------------------------------

    void badUserInputNamesItsField() {
        start();
        auto globex = relais::test::createTenant(runtime(), "globex");
        invite("dup@acme.example", "Dup");
        const std::string users = "/api/v1/admin/users";
        auto dup = admin("POST", users, R"({"email":" DUP@Acme.Example ","name":"Dup again"})");
        ASSERT_PROBLEM(dup, 409, "email_taken", "email");
        ASSERT_PROBLEM(admin("POST", users, R"({"email":"not-an-address","name":"X"})"), 400,
                       "invalid_field", "email");
        ASSERT_PROBLEM(admin("POST", users, R"({"email":"a@b@acme.example","name":"X"})"), 400,
                       "invalid_field", "email");
        ASSERT_PROBLEM(admin("POST", users, R"({"name":"No address"})"), 400, "invalid_field",
                       "email");

        Poco::JSON::Object longName;
        longName.set("email", "long@acme.example");
        longName.set("name", std::string(201, 'a'));
        ASSERT_PROBLEM(admin("POST", users, jsonText(longName)), 400, "invalid_field", "name");
        longName.set("name", std::string(200, 'a'));
        ASSERT_STATUS(201, admin("POST", users, jsonText(longName)));
        ASSERT_PROBLEM(admin("POST", users, R"({"email":"noname@acme.example","name":"  "})"), 400,
                       "invalid_field", "name");

        ASSERT_PROBLEM(
            admin("POST", users, R"({"email":"root@acme.example","name":"R","role":"superuser"})"),
            400, "invalid_field", "role");
        ASSERT_PROBLEM(
            admin("POST", users, R"({"email":"op@acme.example","name":"O","role":"operator"})"),
            400, "invalid_field", "role");

        ASSERT_PROBLEM(
            admin("POST", users,
                  R"({"email":"spy@acme.example","name":"Spy","tenant_id":")" + globex.id + "\"}"),
            400, "tenant_mismatch", "tenant_id");
        auto own =
            admin("POST", users,
                  R"({"email":"own@acme.example","name":"Own","tenant_id":")" + acme_.id + "\"}");
        ASSERT_STATUS(201, own);
        CPPUNIT_ASSERT_EQUAL(acme_.id, str(object(own), "tenant_id"));

        ASSERT_PROBLEM(admin("POST", users,
                             R"({"email":"pf@acme.example","name":"P","profile_id":"pf_nope"})"),
                       400, "invalid_field", "profile_id");
        ASSERT_PROBLEM(
            admin("PATCH", users + "/" + str(object(own), "id"), R"({"profile_id":"pf_nope"})"),
            400, "invalid_field", "profile_id");
        ASSERT_PROBLEM(admin("PATCH", users + "/" + str(object(own), "id"), R"({"role":"root"})"),
                       400, "invalid_field", "role");
        ASSERT_PROBLEM(admin("PATCH", users + "/" + str(object(own), "id"),
                             R"({"tenant_id":")" + globex.id + "\"}"),
                       400, "tenant_mismatch", "tenant_id");
        ASSERT_PROBLEM(admin("POST", users, "{not json"), 400, "invalid_json", "");

        // Only the three good ones exist, beside the admin.
        std::set<std::string> emails;
        for (auto& u : allUsers())
            emails.insert(str(u, "email"));
        const std::set<std::string> expected = {"admin@acme.example", "dup@acme.example",
                                                "long@acme.example", "own@acme.example"};
        CPPUNIT_ASSERT(expected == emails);
    }

    // The limit of 200 is in characters, as the 400 answer says ("at most 200 characters"), so a
    // French name with accents may use all of them, whether it is created or changed.
    void aNameOf200AccentedCharactersIsAccepted() {
        start();
        std::string accents;
        for (int i = 0; i < 200; ++i)
            accents += "é";  // 200 characters, 400 bytes
        Poco::JSON::Object body;
        body.set("name", accents);
        const std::string id = str(invite("renamed@acme.example", "Short"), "id");
        ASSERT_STATUS(200, admin("PATCH", "/api/v1/admin/users/" + id, jsonText(body)));
        CPPUNIT_ASSERT_EQUAL(accents, str(userById(id), "name"));
        body.set("email", "accents@acme.example");
        auto created = admin("POST", "/api/v1/admin/users", jsonText(body));
        ASSERT_STATUS(201, created);
        CPPUNIT_ASSERT_EQUAL(accents, str(userById(str(object(created), "id")), "name"));
    }

    // --- 5. CSV import -----------------------------------------------------------------------

    void aFrenchExcelCsvIsImportedLineByLine() {
        start();
        const std::string direction =
            createProfile(R"({"name":"Direction","features":["send","storage"]})");
        // What French Excel writes: a BOM, ';', CRLF, French headers, quotes where needed.
        const std::string file =
            kBom +
            "courriel;nom;rôle;profil\r\n"
            "alice@acme.example;\"Martin; Alice\";utilisateur;Direction\r\n"
            "bob@acme.example;\"Bob \"\"le bricoleur\"\" Durand\";administrateur;\r\n"
            "pas-une-adresse;Personne;utilisateur;\r\n"
            "dan@acme.example;Dan;chef;\r\n"
            "eve@acme.example;Eve;utilisateur;Inconnu\r\n"
            "\"Fanny@Acme.Example\";Fanny Roux;;Direction\r\n";
        auto r = importCsv(file);
        ASSERT_STATUS(200, r);
        auto report = object(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("3"), str(report, "created"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("0"), str(report, "updated"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("0"), str(report, "skipped"));
        auto errors = objects(report->getArray("errors"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::size_t{3}, errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("4"), str(errors[0], "line"));
        CPPUNIT_ASSERT_EQUAL(std::string("5"), str(errors[1], "line"));
        CPPUNIT_ASSERT_EQUAL(std::string("6"), str(errors[2], "line"));
        for (auto& e : errors)
            CPPUNIT_ASSERT_MESSAGE(r.body, !str(e, "message").empty());
        CPPUNIT_ASSERT_MESSAGE(
            r.body, str(errors[0], "message").find("pas-une-adresse") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.body, str(errors[1], "message").find("chef") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.body,
                               str(errors[2], "message").find("Inconnu") != std::string::npos);
        // Stable codes and the cell at fault, for the page to say it in French or English.
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_email"), str(errors[0], "code"));
        CPPUNIT_ASSERT_EQUAL(std::string("pas-une-adresse"), str(errors[0], "value"));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown_role"), str(errors[1], "code"));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown_profile"), str(errors[2], "code"));

        auto alice = userByEmail("alice@acme.example");
        CPPUNIT_ASSERT(alice);
        CPPUNIT_ASSERT_EQUAL(std::string("Martin; Alice"), str(alice, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("user"), str(alice, "role"));
        CPPUNIT_ASSERT_EQUAL(direction, str(alice, "profile_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("invited"), str(alice, "state"));
        auto bob = userByEmail("bob@acme.example");
        CPPUNIT_ASSERT(bob);
        CPPUNIT_ASSERT_EQUAL(std::string("Bob \"le bricoleur\" Durand"), str(bob, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_admin"), str(bob, "role"));
        CPPUNIT_ASSERT_EQUAL(std::string("<null>"), str(bob, "profile_id"));
        auto fanny = userByEmail("fanny@acme.example");
        CPPUNIT_ASSERT(fanny);
        CPPUNIT_ASSERT_EQUAL(std::string("user"), str(fanny, "role"));
        CPPUNIT_ASSERT_EQUAL(direction, str(fanny, "profile_id"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, allUsers().size());

        // The same file again changes nothing.
        r = importCsv(file);
        ASSERT_STATUS(200, r);
        report = object(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("0"), str(report, "created"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("0"), str(report, "updated"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("3"), str(report, "skipped"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::size_t{3}, report->getArray("errors")->size());

        // A changed name is an update.
        std::string renamed = file;
        renamed.replace(renamed.find("\"Martin; Alice\""), 15, "Alice Martin");
        r = importCsv(renamed);
        ASSERT_STATUS(200, r);
        report = object(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("0"), str(report, "created"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("1"), str(report, "updated"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("2"), str(report, "skipped"));
        CPPUNIT_ASSERT_EQUAL(std::string("Alice Martin"),
                             str(userByEmail("alice@acme.example"), "name"));

        // A comma-separated file with English headers, LF line ends, no BOM.
        r = importCsv(
            "email,name,role,profile\n"
            "gina@acme.example,Gina,user,\n"
            "hugo@acme.example,\"Hugo, fils\",admin,Direction\n");
        ASSERT_STATUS(200, r);
        report = object(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("2"), str(report, "created"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::size_t{0}, report->getArray("errors")->size());
        auto hugo = userByEmail("hugo@acme.example");
        CPPUNIT_ASSERT(hugo);
        CPPUNIT_ASSERT_EQUAL(std::string("Hugo, fils"), str(hugo, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_admin"), str(hugo, "role"));
        CPPUNIT_ASSERT_EQUAL(direction, str(hugo, "profile_id"));

        // Each import is journalled with its counts.
        auto imports = journal("action=users.imported");
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, imports.size());
        CPPUNIT_ASSERT_EQUAL(std::string("3"), str(imports[0]->getObject("details"), "created"));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), str(imports[0]->getObject("details"), "errors"));
    }

    void anImportWithoutARoleColumnKeepsRoles() {
        start();
        const std::string deputy =
            str(invite("deputy@acme.example", "Deputy", "tenant_admin"), "id");
        // A file that only renames people says nothing about their roles.
        auto r = importCsv("email;name\r\ndeputy@acme.example;Béatrice Adjointe\r\n");
        ASSERT_STATUS(200, r);
        auto report = object(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("1"), str(report, "updated"));
        auto u = userById(deputy);
        CPPUNIT_ASSERT_EQUAL(std::string("Béatrice Adjointe"), str(u, "name"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a role-less import demoted an administrator",
                                     std::string("tenant_admin"), str(u, "role"));
    }

    void anImportRefusesBadBodies() {
        start("pro", {{"tenancy.import_max_bytes", "2048"}});
        // Latin-1, as Excel's plain "CSV" export writes it.
        ASSERT_PROBLEM(importCsv("email;nom\r\nhelene@acme.example;H\xE9l\xE8ne\r\n"), 400,
                       "invalid_encoding", "");
        std::string big = "email,name\n";
        for (int i = 0; big.size() <= 2048; ++i)
            big += "big" + std::to_string(i) + "@acme.example,Big\n";
        ASSERT_PROBLEM(importCsv(big), 413, "body_too_large", "");
        ASSERT_PROBLEM(importCsv("email\nj@acme.example\n", "application/json"), 415,
                       "unsupported_media_type", "");
        ASSERT_PROBLEM(importCsv("email\nj@acme.example\n", "text/plain"), 415,
                       "unsupported_media_type", "");
        ASSERT_PROBLEM(importCsv("nom;rôle\r\nJean;utilisateur\r\n"), 400, "invalid_csv", "");
        // None of them created anyone.
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, allUsers().size());
        // The media type may carry a charset.
        auto ok = importCsv("email\nj@acme.example\n", "text/csv; charset=utf-8");
        ASSERT_STATUS(200, ok);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), str(object(ok), "created"));
    }

    void anImportStopsAtTheLicenceLimitLineByLine() {
        start("essentiel");  // 5 licences
        invite("u1@acme.example", "U1");
        invite("u2@acme.example", "U2");
        auto r = importCsv(
            "email,name\n"
            "n1@acme.example,N1\n"
            "n2@acme.example,N2\n"
            "n3@acme.example,N3\n"
            "n4@acme.example,N4\n"
            "u1@acme.example,U1 renamed\n");
        ASSERT_STATUS(200, r);
        auto report = object(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("2"), str(report, "created"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("1"), str(report, "updated"));
        auto errors = objects(report->getArray("errors"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::size_t{2}, errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("4"), str(errors[0], "line"));
        CPPUNIT_ASSERT_EQUAL(std::string("5"), str(errors[1], "line"));
        CPPUNIT_ASSERT_MESSAGE(r.body,
                               str(errors[0], "message").find("licence") != std::string::npos);
        CPPUNIT_ASSERT(userByEmail("n1@acme.example"));
        CPPUNIT_ASSERT(userByEmail("n2@acme.example"));
        CPPUNIT_ASSERT(!userByEmail("n3@acme.example"));
        CPPUNIT_ASSERT(!userByEmail("n4@acme.example"));
        CPPUNIT_ASSERT_EQUAL(std::string("U1 renamed"),
                             str(userByEmail("u1@acme.example"), "name"));
    }

    // --- 6. Profiles -------------------------------------------------------------------------

    void profilesCheckFeaturesAndRanges() {
        start();
        auto r = admin("POST", "/api/v1/admin/profiles",
                       R"({"name":"Siège","features":["send","storage","share_external"],)"
                       R"("allowed_ips":["192.0.2.0/24","2001:DB8::/32","198.51.100.7"]})");
        ASSERT_STATUS(201, r);
        auto p = object(r);
        const std::string id = str(p, "id");
        CPPUNIT_ASSERT_EQUAL(std::string("Siège"), str(p, "name"));
        auto features = p->getArray("features");
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, features->size());
        CPPUNIT_ASSERT_EQUAL(std::string("share_external"), features->getElement<std::string>(2));
        auto ips = p->getArray("allowed_ips");
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, ips->size());
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.0/24"), ips->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::/32"), ips->getElement<std::string>(1));
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.7/32"), ips->getElement<std::string>(2));
        auto list = itemsOf(admin("GET", "/api/v1/admin/profiles"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, list.size());
        CPPUNIT_ASSERT_EQUAL(id, str(list[0], "id"));

        for (const char* bad : {"10.0.0.0/33", "300.1.1.1", "10.0.0.1/24", "abc", "2001:db8::/129",
                                "10.0.0.0/", "10.0.0.0/-1"}) {
            const std::string body =
                R"({"name":"Bad","allowed_ips":["203.0.113.0/24",")" + std::string(bad) + "\"]}";
            auto bad1 = admin("POST", "/api/v1/admin/profiles", body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(bad) + ": " + bad1.body, 400, bad1.status);
            ASSERT_PROBLEM(bad1, 400, "invalid_field", "allowed_ips[1]");
        }
        ASSERT_PROBLEM(admin("POST", "/api/v1/admin/profiles",
                             R"({"name":"Bad","features":["send","teleport"]})"),
                       400, "invalid_field", "features[1]");
        ASSERT_PROBLEM(admin("POST", "/api/v1/admin/profiles", R"({"name":"Siège"})"), 409,
                       "name_taken", "name");
        ASSERT_PROBLEM(admin("POST", "/api/v1/admin/profiles", R"({"features":["send"]})"), 400,
                       "invalid_field", "name");
        // A bad change leaves the profile as it was.
        ASSERT_PROBLEM(
            admin("PATCH", "/api/v1/admin/profiles/" + id, R"({"allowed_ips":["10.0.0.1/8"]})"),
            400, "invalid_field", "allowed_ips[0]");
        const std::string other = createProfile(R"({"name":"Agence"})");
        ASSERT_PROBLEM(admin("PATCH", "/api/v1/admin/profiles/" + other, R"({"name":"Siège"})"),
                       409, "name_taken", "name");
        auto still = object(admin("GET", "/api/v1/admin/profiles/" + id));
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, still->getArray("allowed_ips")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("Agence"),
                             str(object(admin("GET", "/api/v1/admin/profiles/" + other)), "name"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2},
                             itemsOf(admin("GET", "/api/v1/admin/profiles")).size());

        // A profile in use cannot go: its users would lose their restrictions.
        auto holder = invite("holder@acme.example", "Holder");
        ASSERT_STATUS(200, admin("PATCH", "/api/v1/admin/users/" + str(holder, "id"),
                                 R"({"profile_id":")" + id + "\"}"));
        ASSERT_PROBLEM(admin("DELETE", "/api/v1/admin/profiles/" + id), 409, "profile_in_use", "");
        ASSERT_STATUS(200, admin("GET", "/api/v1/admin/profiles/" + id));
        ASSERT_STATUS(200, admin("PATCH", "/api/v1/admin/users/" + str(holder, "id"),
                                 R"({"profile_id":null})"));
        ASSERT_STATUS(204, admin("DELETE", "/api/v1/admin/profiles/" + id));
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/profiles/" + id), 404, "not_found", "");
    }

    // --- 7. IP allow-list --------------------------------------------------------------------

    void theIpAllowListUsesTheTrustedProxysAddress() {
        start("pro", {{"http.trusted_proxies", "127.0.0.1/32"}});
        const std::string office =
            createProfile(R"({"name":"Bureau","allowed_ips":["192.0.2.0/24","2001:db8:1::/48"]})");
        auto user = relais::test::createUser(runtime(), acme_.id, "user", "ip@acme.example");
        // Logged in before the profile restricts them: the restriction applies to the session
        // at once.
        const std::string token = relais::test::login(port(), acme_.host, user.email).token;
        ASSERT_STATUS(200, admin("PATCH", "/api/v1/admin/users/" + user.id,
                                 R"({"profile_id":")" + office + "\"}"));
        auto from = [&](const std::string& forwardedFor) {
            return as(token, "GET", "/api/v1/me", {}, "application/json",
                      {{"X-Forwarded-For", forwardedFor}});
        };
        ASSERT_STATUS(200, from("192.0.2.10"));
        ASSERT_PROBLEM(from("198.51.100.7"), 403, "ip_not_allowed", "");
        // The address the proxy saw is the rightmost one: a client cannot prepend an allowed one.
        ASSERT_PROBLEM(from("192.0.2.10, 198.51.100.7"), 403, "ip_not_allowed", "");
        ASSERT_STATUS(200, from("198.51.100.7, 192.0.2.10"));
        ASSERT_STATUS(200, from("2001:db8:1::10"));
        ASSERT_PROBLEM(from("2001:db8:2::1"), 403, "ip_not_allowed", "");
        // Straight from the proxy itself, the client is 127.0.0.1, outside the ranges.
        ASSERT_PROBLEM(as(token, "GET", "/api/v1/me"), 403, "ip_not_allowed", "");
        // Outside the ranges no session is even opened; inside, it is.
        const std::string credentials =
            R"({"email":"ip@acme.example","password":")" + std::string(relais::test::kPassword) + "\"}";
        ASSERT_PROBLEM(as("", "POST", "/api/v1/auth/login", credentials, "application/json",
                          {{"X-Forwarded-For", "198.51.100.8"}}),
                       403, "ip_not_allowed", "");
        ASSERT_STATUS(200, as("", "POST", "/api/v1/auth/login", credentials, "application/json",
                              {{"X-Forwarded-For", "192.0.2.11"}}));

        auto refused = journal("action=auth.ip_refused");
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, refused.size());
        const std::vector<std::string> ips = {"198.51.100.7", "198.51.100.7", "2001:db8:2::1",
                                              "127.0.0.1", "198.51.100.8"};
        for (std::size_t i = 0; i < refused.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(ips[i], str(refused[i], "ip"));
            CPPUNIT_ASSERT_EQUAL(user.id, str(refused[i]->getObject("actor"), "id"));
            CPPUNIT_ASSERT_EQUAL(std::string("user"), str(refused[i]->getObject("object"), "type"));
            CPPUNIT_ASSERT_EQUAL(user.id, str(refused[i]->getObject("object"), "id"));
        }
        // The admin, without a profile, is not restricted.
        ASSERT_STATUS(200, admin("GET", "/api/v1/me", {}, "application/json",
                                 {{"X-Forwarded-For", "203.0.113.9"}}));
    }

    void forwardedForIsIgnoredWithoutATrustedProxy() {
        start();
        const std::string office =
            createProfile(R"({"name":"Bureau","allowed_ips":["192.0.2.0/24"]})");
        auto user = relais::test::createUser(runtime(), acme_.id, "user", "ip@acme.example");
        const std::string token = relais::test::login(port(), acme_.host, user.email).token;
        ASSERT_STATUS(200, admin("PATCH", "/api/v1/admin/users/" + user.id,
                                 R"({"profile_id":")" + office + "\"}"));
        // The header comes from the client itself: the address is the peer's, 127.0.0.1.
        ASSERT_PROBLEM(as(token, "GET", "/api/v1/me", {}, "application/json",
                          {{"X-Forwarded-For", "192.0.2.10"}}),
                       403, "ip_not_allowed", "");
        auto refused = journal("action=auth.ip_refused");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, refused.size());
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), str(refused[0], "ip"));
        // A change of the ranges applies to the open session at once.
        ASSERT_STATUS(200, admin("PATCH", "/api/v1/admin/profiles/" + office,
                                 R"({"allowed_ips":["127.0.0.1"]})"));
        ASSERT_STATUS(200, as(token, "GET", "/api/v1/me", {}, "application/json",
                              {{"X-Forwarded-For", "198.51.100.7"}}));
    }

    // --- 8. Modules --------------------------------------------------------------------------

    JsonObject moduleNamed(const std::string& name) {
        auto r = admin("GET", "/api/v1/admin/modules");
        ASSERT_STATUS(200, r);
        for (auto& m : objects(array(r)))
            if (str(m, "name") == name)
                return m;
        return nullptr;
    }

    void modulesFollowThePlan() {
        start("essentiel");
        auto wesend = moduleNamed("wesend");
        CPPUNIT_ASSERT_MESSAGE("wesend is not listed", wesend);
        CPPUNIT_ASSERT_EQUAL(std::string("true"), str(wesend, "allowed"));
        CPPUNIT_ASSERT_EQUAL(std::string("true"), str(wesend, "enabled"));
        CPPUNIT_ASSERT_MESSAGE("no version member", wesend->has("version"));

        auto off = admin("PUT", "/api/v1/admin/modules/wesend", R"({"enabled":false})");
        ASSERT_STATUS(200, off);
        CPPUNIT_ASSERT_EQUAL(std::string("false"), str(object(off), "enabled"));
        CPPUNIT_ASSERT_EQUAL(std::string("false"), str(moduleNamed("wesend"), "enabled"));
        auto entries = journal("action=module.disabled");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, entries.size());
        CPPUNIT_ASSERT_EQUAL(std::string("module"), str(entries[0]->getObject("object"), "type"));
        CPPUNIT_ASSERT_EQUAL(std::string("wesend"), str(entries[0]->getObject("object"), "id"));
        CPPUNIT_ASSERT_EQUAL(admin_.id, str(entries[0]->getObject("actor"), "id"));
        // Saying it twice changes nothing and journals nothing.
        ASSERT_STATUS(200, admin("PUT", "/api/v1/admin/modules/wesend", R"({"enabled":false})"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, journal("action=module.disabled").size());

        ASSERT_PROBLEM(admin("PUT", "/api/v1/admin/modules/teleportation", R"({"enabled":true})"),
                       404, "not_found", "");
        ASSERT_PROBLEM(admin("PUT", "/api/v1/admin/modules/wesend", "{}"), 400, "invalid_field",
                       "enabled");
        ASSERT_PROBLEM(admin("PUT", "/api/v1/admin/modules/wesend", R"({"enabled":"yes"})"), 400,
                       "invalid_field", "enabled");
        ASSERT_STATUS(200, admin("PUT", "/api/v1/admin/modules/wesend", R"({"enabled":true})"));
        CPPUNIT_ASSERT_EQUAL(std::string("true"), str(moduleNamed("wesend"), "enabled"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, journal("action=module.enabled").size());
    }

    void aCatalogueModuleOutsideThePlanIsRefused() {
        start("essentiel");  // the catalogue has branding, in plans pro and above
        ASSERT_PROBLEM(admin("PUT", "/api/v1/admin/modules/branding", R"({"enabled":true})"), 403,
                       "module_not_in_plan", "");
        auto branding = moduleNamed("branding");
        CPPUNIT_ASSERT_MESSAGE(
            "branding, a module of the catalogue, is not listed on plan essentiel", branding);
        CPPUNIT_ASSERT_EQUAL(std::string("false"), str(branding, "allowed"));
        CPPUNIT_ASSERT_EQUAL(std::string("false"), str(branding, "enabled"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, journal("action=module.enabled").size());
    }

    // --- 9. Journal --------------------------------------------------------------------------

    void theJournalListsFiltersAndVerifies() {
        start();
        auto created =
            admin("POST", "/api/v1/admin/users", R"({"email":"jo@acme.example","name":"Jo"})");
        ASSERT_STATUS(201, created);
        const std::string requestId = created.header("x-request-id");
        CPPUNIT_ASSERT(!requestId.empty());
        const std::string jo = str(object(created), "id");
        ASSERT_STATUS(200, admin("PATCH", "/api/v1/admin/users/" + jo, R"({"name":"Joséphine"})"));
        createProfile(R"({"name":"Compta"})");
        ASSERT_STATUS(200, importCsv("email,name\nkim@acme.example,Kim\n"));

        auto all = journal();
        CPPUNIT_ASSERT_MESSAGE("too few entries", all.size() >= 6);
        JsonObject entry;
        for (auto& e : all)
            if (str(e, "action") == "user.created" && str(e->getObject("object"), "id") == jo)
                entry = e;
        CPPUNIT_ASSERT_MESSAGE("no user.created entry for " + jo, entry);
        auto actor = entry->getObject("actor");
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_admin"), str(actor, "type"));
        CPPUNIT_ASSERT_EQUAL(admin_.id, str(actor, "id"));
        CPPUNIT_ASSERT_EQUAL(admin_.email, str(actor, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("user"), str(entry->getObject("object"), "type"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), str(entry, "ip"));
        CPPUNIT_ASSERT_EQUAL(requestId, str(entry->getObject("details"), "request_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("jo@acme.example"),
                             str(entry->getObject("details"), "email"));
        CPPUNIT_ASSERT_MESSAGE(str(entry, "at"),
                               str(entry, "at").size() >= 20 && str(entry, "at").back() == 'Z');
        CPPUNIT_ASSERT(!str(entry, "id").empty());

        // action=: exact, or a prefix ending in '.'.
        auto exact = journal("action=user.created");
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, exact.size());  // the admin, jo, kim
        for (auto& e : exact)
            CPPUNIT_ASSERT_EQUAL(std::string("user.created"), str(e, "action"));
        auto prefix = journal("action=" + q("user."));
        std::multiset<std::string> actions;
        for (auto& e : prefix)
            actions.insert(str(e, "action"));
        const std::multiset<std::string> expected = {"user.created", "user.created", "user.created",
                                                     "user.updated"};
        CPPUNIT_ASSERT(expected == actions);  // not users.imported
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, journal("action=user").size());

        // actor=: by e-mail or by id, the same entries.
        auto byEmail = journal("actor=" + q(admin_.email));
        auto byId = journal("actor=" + q(admin_.id));
        CPPUNIT_ASSERT(!byEmail.empty());
        CPPUNIT_ASSERT_EQUAL(byEmail.size(), byId.size());
        CPPUNIT_ASSERT_MESSAGE("the system's entries are not the admin's",
                               byEmail.size() < all.size());
        for (std::size_t i = 0; i < byEmail.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(str(byEmail[i], "id"), str(byId[i], "id"));
            CPPUNIT_ASSERT_EQUAL(admin_.id, str(byEmail[i]->getObject("actor"), "id"));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, journal("actor=" + q("nobody@acme.example")).size());

        // from= and to=: RFC 3339, from inclusive, to exclusive.
        CPPUNIT_ASSERT_EQUAL(all.size(), journal("from=" + q("2000-01-01T00:00:00Z")).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, journal("from=" + q("2999-01-01T00:00:00Z")).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, journal("to=" + q("2000-01-01T00:00:00Z")).size());
        CPPUNIT_ASSERT_EQUAL(all.size(), journal("to=" + q("2999-01-01T00:00:00Z")).size());
        JsonObject updated;
        for (auto& e : all)
            if (str(e, "action") == "user.updated")
                updated = e;
        const std::string at = str(updated, "at");
        auto after = journal("from=" + q(at));
        auto before = journal("to=" + q(at));
        CPPUNIT_ASSERT_EQUAL(all.size(), after.size() + before.size());
        for (auto& e : after)
            CPPUNIT_ASSERT(str(e, "at") >= at);
        for (auto& e : before)
            CPPUNIT_ASSERT(str(e, "at") < at);
        CPPUNIT_ASSERT(std::any_of(after.begin(), after.end(), [&](const JsonObject& e) {
            return str(e, "id") == str(updated, "id");
        }));
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/journal?from=yesterday"), 400, "invalid_field",
                       "from");
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/journal?to=2026-13-45T99:00:00Z"), 400,
                       "invalid_field", "to");
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/journal?from=" + q("2026-02-01T00:00:00Z") +
                                        "&to=" + q("2026-01-01T00:00:00Z")),
                       400, "invalid_field", "to");
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/journal?format=xml"), 400, "invalid_field",
                       "format");

        // Pages of two: every entry once, in order, then null.
        std::vector<std::string> ids;
        std::string cursor;
        for (int pages = 0;; ++pages) {
            CPPUNIT_ASSERT_MESSAGE("the cursors never end", pages < 100);
            auto r = admin("GET", "/api/v1/admin/journal?limit=2" +
                                      (cursor.empty() ? "" : "&cursor=" + q(cursor)));
            ASSERT_STATUS(200, r);
            auto page = itemsOf(r);
            CPPUNIT_ASSERT(page.size() <= 2);
            for (auto& e : page)
                ids.push_back(str(e, "id"));
            if (object(r)->isNull("next_cursor"))
                break;
            cursor = str(object(r), "next_cursor");
        }
        CPPUNIT_ASSERT_EQUAL(all.size(), ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i)
            CPPUNIT_ASSERT_EQUAL(str(all[i], "id"), ids[i]);
        ASSERT_PROBLEM(admin("GET", "/api/v1/admin/journal?cursor=bogus"), 400, "invalid_field",
                       "cursor");

        auto verify = admin("GET", "/api/v1/admin/journal/verify");
        ASSERT_STATUS(200, verify);
        auto v = object(verify);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(verify.body, std::string("true"), str(v, "ok"));
        CPPUNIT_ASSERT_MESSAGE(verify.body,
                               v->getValue<int>("entries_checked") >= static_cast<int>(all.size()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(verify.body, std::string("<null>"),
                                     str(v, "first_bad_entry_id"));
    }

    void theJournalCsvExportIsDefused() {
        start();
        auto u = invite("formula@acme.example", "Formula");
        ASSERT_STATUS(200, admin("PATCH", "/api/v1/admin/users/" + str(u, "id"),
                                 R"j({"name":"=HYPERLINK(\"x\")"})j"));
        // A failed login journals the address typed: a cell that would begin with '='.
        auto failed =
            relais::test::call(port(), acme_.host, "", "POST", "/api/v1/auth/login",
                               R"({"email":"=cmd@evil.example","password":"wrong-password-1"})");
        ASSERT_PROBLEM(failed, 401, "invalid_credentials", "");

        const auto entries = journal();
        auto r = admin("GET", "/api/v1/admin/journal?format=csv");
        ASSERT_STATUS(200, r);
        CPPUNIT_ASSERT_MESSAGE(r.header("content-type"),
                               r.header("content-type").rfind("text/csv", 0) == 0);
        std::string text = r.body;
        if (text.rfind(kBom, 0) == 0)
            text = text.substr(kBom.size());
        auto rows = readCsv(text);
        CPPUNIT_ASSERT(!rows.empty());
        const std::vector<std::string> header = {
            "id",     "at",          "actor_type", "actor_id", "actor_email",
            "action", "object_type", "object_id",  "ip",       "details"};
        CPPUNIT_ASSERT(header == rows[0]);
        CPPUNIT_ASSERT_EQUAL(entries.size() + 1, rows.size());  // one line per entry
        bool sawFormula = false, sawName = false;
        for (std::size_t i = 1; i < rows.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, header.size(), rows[i].size());
            CPPUNIT_ASSERT_EQUAL(str(entries[i - 1], "id"), rows[i][0]);
            CPPUNIT_ASSERT_EQUAL(str(entries[i - 1], "action"), rows[i][5]);
            for (const auto& cell : rows[i])
                CPPUNIT_ASSERT_MESSAGE(
                    "a spreadsheet would run the cell " + cell,
                    cell.empty() || std::string("=+-@").find(cell[0]) == std::string::npos);
            if (rows[i][5] == "auth.login_failed") {
                CPPUNIT_ASSERT_EQUAL(std::string("'=cmd@evil.example"), rows[i][4]);
                sawFormula = true;
            }
            if (rows[i][5] == "user.updated") {
                CPPUNIT_ASSERT_MESSAGE(
                    rows[i][9], rows[i][9].find(R"(=HYPERLINK(\"x\"))") != std::string::npos);
                sawName = true;
            }
        }
        CPPUNIT_ASSERT(sawFormula);
        CPPUNIT_ASSERT(sawName);
        // Filters apply to the export too.
        auto filtered = admin("GET", "/api/v1/admin/journal?format=csv&action=user.updated");
        ASSERT_STATUS(200, filtered);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, readCsv(filtered.body).size());
    }

    // --- 10. Settings and usage --------------------------------------------------------------

    void settingsAndUsage() {
        start();
        auto r = admin("GET", "/api/v1/admin/settings");
        ASSERT_STATUS(200, r);
        auto s = object(r);
        CPPUNIT_ASSERT_EQUAL(acme_.id, str(s, "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(s, "slug"));
        CPPUNIT_ASSERT_EQUAL(std::string("pro"), str(s, "plan"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme.localhost"),
                             s->getArray("hostnames")->getElement<std::string>(0));

        auto patched = admin("PATCH", "/api/v1/admin/settings",
                             R"({"default_expiry_days":10,"max_expiry_days":60,)"
                             R"("contact":{"name":"Jeanne Martin","email":"jeanne@acme.example",)"
                             R"("phone":"+33 1 23 45 67 89"}})");
        ASSERT_STATUS(200, patched);
        s = object(admin("GET", "/api/v1/admin/settings"));
        CPPUNIT_ASSERT_EQUAL(std::string("10"), str(s, "default_expiry_days"));
        CPPUNIT_ASSERT_EQUAL(std::string("60"), str(s, "max_expiry_days"));
        CPPUNIT_ASSERT_EQUAL(std::string("Jeanne Martin"), str(s->getObject("contact"), "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("jeanne@acme.example"),
                             str(s->getObject("contact"), "email"));
        auto changes = journal("action=tenant.updated");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, changes.size());
        CPPUNIT_ASSERT_EQUAL(admin_.id, str(changes[0]->getObject("actor"), "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("10"),
                             str(changes[0]->getObject("details"), "default_expiry_days"));

        ASSERT_PROBLEM(admin("PATCH", "/api/v1/admin/settings", R"({"plan":"entreprise"})"), 400,
                       "invalid_field", "plan");
        ASSERT_PROBLEM(admin("PATCH", "/api/v1/admin/settings", R"({"slug":"acme2"})"), 400,
                       "invalid_field", "slug");
        ASSERT_PROBLEM(
            admin("PATCH", "/api/v1/admin/settings", R"({"hostnames":["files.acme.example"]})"),
            400, "invalid_field", "hostnames");
        ASSERT_PROBLEM(admin("PATCH", "/api/v1/admin/settings",
                             R"({"default_expiry_days":90,"max_expiry_days":30})"),
                       400, "invalid_field", "default_expiry_days");
        ASSERT_PROBLEM(admin("PATCH", "/api/v1/admin/settings", R"({"default_expiry_days":61})"),
                       400, "invalid_field", "default_expiry_days");
        ASSERT_PROBLEM(admin("PATCH", "/api/v1/admin/settings", R"({"max_expiry_days":0})"), 400,
                       "invalid_field", "max_expiry_days");
        ASSERT_PROBLEM(admin("PATCH", "/api/v1/admin/settings", R"({"contact":{"email":"nope"}})"),
                       400, "invalid_field", "email");
        s = object(admin("GET", "/api/v1/admin/settings"));
        CPPUNIT_ASSERT_EQUAL(std::string("pro"), str(s, "plan"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), str(s, "slug"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, s->getArray("hostnames")->size());
        CPPUNIT_ASSERT_EQUAL(std::string("10"), str(s, "default_expiry_days"));
        CPPUNIT_ASSERT_EQUAL(std::string("60"), str(s, "max_expiry_days"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, journal("action=tenant.updated").size());

        auto usage = admin("GET", "/api/v1/admin/usage");
        ASSERT_STATUS(200, usage);
        auto u = object(usage);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), str(u, "users"));
        CPPUNIT_ASSERT_EQUAL(std::string("25"), str(u, "licences"));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), str(u, "storage_bytes_used"));
        CPPUNIT_ASSERT_EQUAL(std::string("1000000000000"), str(u, "storage_bytes_quota"));
        CPPUNIT_ASSERT(u->has("transfers_30d"));
        CPPUNIT_ASSERT(u->has("bytes_sent_30d"));
        const std::string extra = str(invite("extra@acme.example", "Extra"), "id");
        CPPUNIT_ASSERT_EQUAL(std::string("2"),
                             str(object(admin("GET", "/api/v1/admin/usage")), "users"));
        ASSERT_STATUS(200,
                      admin("PATCH", "/api/v1/admin/users/" + extra, R"({"state":"disabled"})"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"),
                             str(object(admin("GET", "/api/v1/admin/usage")), "users"));
    }

    // --- 11. Walls between tenants -----------------------------------------------------------

    void anotherTenantsObjectsAreNotFound() {
        start();
        auto theirUser = invite("secret@acme.example", "Secret");
        const std::string theirUserId = str(theirUser, "id");
        const std::string theirProfile = createProfile(R"({"name":"Confidentiel"})");
        auto globex = relais::test::createTenant(runtime(), "globex");
        auto globexAdmin =
            relais::test::createUser(runtime(), globex.id, "tenant_admin", "admin@globex.example");
        const std::string b = relais::test::login(port(), globex.host, globexAdmin.email).token;
        auto onB = [&](const std::string& method, const std::string& path,
                       const std::string& body = {}) {
            return relais::test::call(port(), globex.host, b, method, path, body);
        };
        const std::string user = "/api/v1/admin/users/" + theirUserId;
        const std::string profile = "/api/v1/admin/profiles/" + theirProfile;
        ASSERT_PROBLEM(onB("GET", user), 404, "not_found", "");
        ASSERT_PROBLEM(onB("PATCH", user, R"({"name":"Pwned","state":"disabled"})"), 404,
                       "not_found", "");
        ASSERT_PROBLEM(onB("DELETE", user), 404, "not_found", "");
        ASSERT_PROBLEM(onB("POST", user + "/invitation"), 404, "not_found", "");
        ASSERT_PROBLEM(onB("GET", profile), 404, "not_found", "");
        ASSERT_PROBLEM(onB("PATCH", profile, R"({"allowed_ips":["192.0.2.0/24"]})"), 404,
                       "not_found", "");
        ASSERT_PROBLEM(onB("DELETE", profile), 404, "not_found", "");
        ASSERT_PROBLEM(
            onB("POST", "/api/v1/admin/users",
                R"({"email":"x@globex.example","name":"X","profile_id":")" + theirProfile + "\"}"),
            400, "invalid_field", "profile_id");
        // B's lists hold nothing of A's.
        auto bUsers = itemsOf(onB("GET", "/api/v1/admin/users"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, bUsers.size());
        CPPUNIT_ASSERT_EQUAL(globexAdmin.email, str(bUsers[0], "email"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, itemsOf(onB("GET", "/api/v1/admin/profiles")).size());
        // A's token on B's host sees nothing either.
        ASSERT_PROBLEM(
            relais::test::call(port(), globex.host, token_, "GET", "/api/v1/admin/users"), 404,
            "not_found", "");

        auto still = userById(theirUserId);
        CPPUNIT_ASSERT_EQUAL(std::string("Secret"), str(still, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("invited"), str(still, "state"));
        auto p = object(admin("GET", profile));
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, p->getArray("allowed_ips")->size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminTest);

// WeSend transfers in detail: validation, the recipients' mails and links, the download limit
// under concurrency and with Range, passwords and lockouts, revocation and expiry, the
// download notification, the ZIP, download headers, retention, statistics and the event stream.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "WesendSupport.h"
#include "relais/FileStore.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "runtime/Runtime.h"

using relais::test::call;
using relais::test::HttpResult;
using relais::test::problemCode;
using namespace relais::test::wesend;

// Malformed fields are the kernel's `invalid_field` problems, status 400 (Problem::invalidField);
// upload ids that name no upload of the caller are `invalid_field` with 422 (UploadStore::claim).

namespace {

Poco::JSON::Object::Ptr json(const std::string& text) { return relais::test::jsonObject(text); }

// One tenant, one sender: the usual start.
struct TransferWorld : World {
    using World::World;
    HttpResult pub(const std::string& method, const std::string& path, std::map<std::string, std::string> headers = {}) {
        return call(port, acme.host, "", method, path, method == "POST" ? "{}" : "", "application/json",
                    std::move(headers));
    }
    std::string up(const std::string& content, const std::string& name, const std::string& type = "text/plain") {
        return upload(port, acme.host, token, content, name, type);
    }
    // Creates a transfer; returns its JSON.
    Poco::JSON::Object::Ptr send(const std::vector<std::string>& uploads, const std::string& extra,
                                 const std::vector<std::string>& recipients = {"paul@client.example"}) {
        std::string body = R"({"recipients": [)";
        for (std::size_t i = 0; i < recipients.size(); ++i) body += (i ? ", \"" : "\"") + recipients[i] + "\"";
        body += R"(], "uploads": [)";
        for (std::size_t i = 0; i < uploads.size(); ++i) body += (i ? ", \"" : "\"") + uploads[i] + "\"";
        body += "]" + (extra.empty() ? std::string() : ", " + extra) + "}";
        auto r = api("POST", "/api/v1/transfers", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        return json(r.body);
    }
    static std::string tokenOf(const Poco::JSON::Object::Ptr& t) {
        const std::string link = t->getValue<std::string>("link");
        return link.substr(link.rfind('/') + 1);
    }
    static std::string fileId(const Poco::JSON::Object::Ptr& t, unsigned i) {
        return t->getArray("files")->getObject(i)->getValue<std::string>("id");
    }
    std::int64_t downloadsOf(const std::string& transferId, unsigned i) {
        auto r = api("GET", "/api/v1/transfers/" + transferId);
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        return json(r.body)->getArray("files")->getObject(i)->getValue<std::int64_t>("downloads");
    }
    std::vector<Poco::JSON::Object::Ptr> events(const std::string& transferId) {
        auto r = api("GET", "/api/v1/transfers/" + transferId);
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        std::vector<Poco::JSON::Object::Ptr> out;
        auto a = json(r.body)->getArray("events");
        for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->getObject(static_cast<unsigned>(i)));
        return out;
    }
    bool hasEvent(const std::string& transferId, const std::string& action, const std::string& recipient = {}) {
        for (const auto& e : events(transferId))
            if (e->getValue<std::string>("action") == action &&
                (recipient.empty() || e->optValue<std::string>("recipient", "") == recipient))
                return true;
        return false;
    }

};

// Opens GET /api/v1/events/stream of `w`'s user on the node listening on `port`.
std::unique_ptr<Poco::Net::StreamSocket> openEventStream(const World& w, std::uint16_t port,
                                                         const std::string& lastEventId = {}) {
    auto sock = std::make_unique<Poco::Net::StreamSocket>(Poco::Net::SocketAddress("127.0.0.1", port));
    sock->setReceiveTimeout(Poco::Timespan(0, 200000));
    std::string req = "GET /api/v1/events/stream HTTP/1.1\r\nHost: " + w.acme.host +
                      "\r\nAuthorization: Bearer " + w.token + "\r\nAccept: text/event-stream\r\n";
    if (!lastEventId.empty()) req += "Last-Event-ID: " + lastEventId + "\r\n";
    req += "\r\n";
    sock->sendBytes(req.data(), static_cast<int>(req.size()));
    return sock;
}

// Reads a stream until `needle` shows or `ms` pass.
bool readUntil(Poco::Net::StreamSocket& sock, std::string& got, const std::string& needle, int ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    char buf[4096];
    while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        try {
            const int n = sock.receiveBytes(buf, sizeof buf);
            if (n <= 0) break;
            got.append(buf, static_cast<std::size_t>(n));
        } catch (const Poco::TimeoutException&) {
        }
    }
    return got.find(needle) != std::string::npos;
}

std::string base(const std::string& token) { return "/api/v1/public/transfers/" + token; }

}  // namespace

class TransferTest : public relais::test::DatabaseFixture {
    CPPUNIT_TEST_SUITE(TransferTest);
    CPPUNIT_TEST(validation);
    CPPUNIT_TEST(mailsCarryEachRecipientsLink);
    CPPUNIT_TEST(downloadLimit);
    CPPUNIT_TEST(passwords);
    CPPUNIT_TEST(revokeUnknownExpired);
    CPPUNIT_TEST(receivedByAColleague);
    CPPUNIT_TEST(notifyOnDownloadOnce);
    CPPUNIT_TEST(zipNamesAndIntegrity);
    CPPUNIT_TEST(downloadHeaders);
    CPPUNIT_TEST(retention);
    CPPUNIT_TEST(statistics);
    CPPUNIT_TEST(eventStream);
    CPPUNIT_TEST(listsArePaginated);
    CPPUNIT_TEST(eventStreamAcrossNodes);
    CPPUNIT_TEST_SUITE_END();

    std::map<std::string, std::string> settings() { return withMail(relais::test::productSettings(dir_, *db_)); }

public:

    void validation() {
        TransferWorld w(settings());
        auto& rt = w.server.runtime();
        const std::string a = w.up("hello", "a.txt");
        auto post = [&](const std::string& body) { return w.api("POST", "/api/v1/transfers", body); };
        const std::string ok = R"("uploads": [")" + a + "\"]";
        ASSERT_PROBLEM(post(R"({"recipients": ["not an address"], )" + ok + "}"), 400, "invalid_field");
        ASSERT_PROBLEM(post(R"({"recipients": [42], )" + ok + "}"), 400, "invalid_field");
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], "uploads": ["up_unknown"]})"), 422,
                       "invalid_field");
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], "uploads": []})"), 400, "invalid_field");
        // Another user's upload, and another tenant's.
        auto other = relais::test::createUser(rt, w.acme.id, "user", uniqueName("jean") + "@acme.example");
        const auto otherToken = relais::test::login(w.port, w.acme.host, other.email).token;
        const std::string theirs = upload(w.port, w.acme.host, otherToken, "theirs", "t.txt");
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], "uploads": [")" + theirs + "\"]}"), 422,
                       "invalid_field");
        auto beta = relais::test::createTenant(rt, uniqueName("beta"), "pro");
        auto betaUser = relais::test::createUser(rt, beta.id, "user", uniqueName("bob") + "@beta.example");
        const auto betaToken = relais::test::login(w.port, beta.host, betaUser.email).token;
        const std::string foreign = upload(w.port, beta.host, betaToken, "foreign", "f.txt");
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], "uploads": [")" + foreign + "\"]}"), 422,
                       "invalid_field");
        // The expiry is capped by the tenant (30 days by default), the password has 8 characters.
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], "expires_in_days": 31, )" + ok + "}"), 400,
                       "invalid_field");
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], "expires_in_days": 0, )" + ok + "}"), 400,
                       "invalid_field");
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], "password": "short", )" + ok + "}"), 400,
                       "invalid_field");
        // A boolean is not a number of days; a number past a signed 64-bit one is a field error, not a 500.
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], "expires_in_days": true, )" + ok + "}"), 400,
                       "invalid_field");
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], "max_downloads": 18000000000000000000, )" + ok +
                            "}"),
                       400, "invalid_field");
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], "notify_on_download": 1, )" + ok + "}"), 400,
                       "invalid_field");
        // None of this claimed the upload: it can still be sent.
        auto r = post(R"({"recipients": ["paul@client.example"], "expires_in_days": 30, "password": "longenough", )" +
                      ok + "}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        // And not twice.
        ASSERT_PROBLEM(post(R"({"recipients": ["paul@client.example"], )" + ok + "}"), 422, "invalid_field");

        // A profile without "send": 403.
        auto admin = relais::test::createUser(rt, w.acme.id, "tenant_admin", uniqueName("admin") + "@acme.example");
        const auto adminToken = relais::test::login(w.port, w.acme.host, admin.email).token;
        auto profile = call(w.port, w.acme.host, adminToken, "POST", "/api/v1/admin/profiles",
                            R"({"name": "Stockage seul", "features": ["storage"]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(profile.body, 201, profile.status);
        auto storer = relais::test::createUser(rt, w.acme.id, "user", uniqueName("sto") + "@acme.example");
        auto patched = call(w.port, w.acme.host, adminToken, "PATCH", "/api/v1/admin/users/" + storer.id,
                            R"({"profile_id": ")" + json(profile.body)->getValue<std::string>("id") + "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(patched.body, 200, patched.status);
        const auto storerToken = relais::test::login(w.port, w.acme.host, storer.email).token;
        const std::string mine = upload(w.port, w.acme.host, storerToken, "stored", "s.txt");
        ASSERT_PROBLEM(call(w.port, w.acme.host, storerToken, "POST", "/api/v1/transfers",
                            R"({"recipients": ["paul@client.example"], "uploads": [")" + mine + "\"]}"),
                       403, "feature_not_allowed");
    }

    void mailsCarryEachRecipientsLink() {
        TransferWorld w(settings());
        const std::string paul = uniqueName("paul") + "@client.example";
        const std::string lea = uniqueName("lea") + "@client.example";
        const std::string a = w.up("Bonjour\n", "notes.txt");
        const std::string b = w.up("second file", "plan.pdf", "application/pdf");
        auto t = w.send({a, b}, R"("subject": "Dossier Dupont", "message": "Voici les pièces")", {paul, lea});
        const std::string id = t->getValue<std::string>("id");
        const std::string expected = relais::formatParisDate(relais::parseRfc3339(t->getValue<std::string>("expires_at")));
        CPPUNIT_ASSERT(std::regex_match(expected, std::regex(R"(\d\d/\d\d/\d{4})")));
        std::set<std::string> tokens;
        for (const auto& to : {paul, lea}) {
            const std::string mail = waitForMail(to, "/d/");
            for (const char* needle : {"vous a envoy", "sent you", w.user.email.c_str(), "Voici les pi", "notes.txt",
                                       "plan.pdf", expected.c_str()})
                CPPUNIT_ASSERT_MESSAGE(std::string(needle) + " in " + mail, mail.find(needle) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(mail, mail.find("vous a envoy") < mail.find("-- English --"));
            CPPUNIT_ASSERT_MESSAGE(mail, mail.find("-- English --") < mail.find("sent you"));
            const std::string token = tokenAfter(mail, "/d/");
            CPPUNIT_ASSERT_MESSAGE(mail, token.size() >= 20);
            tokens.insert(token);
            // The link of the mail works, and serves a file.
            auto pub = w.pub("GET", base(token));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(pub.body, 200, pub.status);
            auto files = json(pub.body)->getArray("files");
            CPPUNIT_ASSERT_EQUAL(2u, static_cast<unsigned>(files->size()));
            auto f = w.pub("GET", base(token) + "/files/" + files->getObject(0)->getValue<std::string>("id"));
            CPPUNIT_ASSERT_EQUAL(200, f.status);
            CPPUNIT_ASSERT_EQUAL(std::string("Bonjour\n"), f.body);
            // The delivery shows in the tracking.
            relais::test::waitUntil([&] { return w.hasEvent(id, "mail_delivered", to); }, 15000,
                                    "mail_delivered for " + to);
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("each recipient has a link of their own", std::size_t(2), tokens.size());
        CPPUNIT_ASSERT(!tokens.count(TransferWorld::tokenOf(t)));
        // The file was downloaded by the recipient of each link.
        std::set<std::string> who;
        for (const auto& e : w.events(id))
            if (e->getValue<std::string>("action") == "file_downloaded") who.insert(e->optValue<std::string>("recipient", ""));
        CPPUNIT_ASSERT(who.count(paul) && who.count(lea));
    }

    // GET /api/v1/transfers, newest first, page by page through next_cursor; and the same for
    // upload requests, which share the pagination.
    void listsArePaginated() {
        TransferWorld w(settings());
        std::vector<std::string> ids;
        for (int i = 0; i < 3; ++i)
            ids.push_back(w.send({w.up("n" + std::to_string(i), "n.txt")}, "")->getValue<std::string>("id"));
        std::vector<std::string> seen;
        std::string path = "/api/v1/transfers?limit=2";
        for (int page = 0; page < 3 && !path.empty(); ++page) {
            auto r = w.api("GET", path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            auto body = json(r.body);
            auto items = body->getArray("items");
            CPPUNIT_ASSERT(items->size() <= 2);
            for (std::size_t i = 0; i < items->size(); ++i)
                seen.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
            path = body->isNull("next_cursor") ? std::string()
                                               : "/api/v1/transfers?limit=2&cursor=" + body->getValue<std::string>("next_cursor");
        }
        CPPUNIT_ASSERT(path.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, seen.size());
        std::set<std::string> distinct(seen.begin(), seen.end());
        CPPUNIT_ASSERT(std::set<std::string>(ids.begin(), ids.end()) == distinct);
        CPPUNIT_ASSERT_EQUAL(ids.back(), seen.front());  // newest first
        ASSERT_PROBLEM(w.api("GET", "/api/v1/transfers?cursor=not-a-cursor"), 400, "invalid_field");
        ASSERT_PROBLEM(w.api("GET", "/api/v1/transfers?limit=501"), 400, "invalid_field");

        for (int i = 0; i < 2; ++i) CPPUNIT_ASSERT_EQUAL(201, w.api("POST", "/api/v1/upload-requests", "{}").status);
        auto first = w.api("GET", "/api/v1/upload-requests?limit=1");
        CPPUNIT_ASSERT_EQUAL(200, first.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, json(first.body)->getArray("items")->size());
        auto second = w.api("GET", "/api/v1/upload-requests?limit=1&cursor=" +
                                       json(first.body)->getValue<std::string>("next_cursor"));
        CPPUNIT_ASSERT_EQUAL(200, second.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, json(second.body)->getArray("items")->size());
        CPPUNIT_ASSERT(json(second.body)->isNull("next_cursor"));
    }

    void downloadLimit() {
        TransferWorld w(settings());
        const std::string content = relais::randomBytes(256 * 1024);
        // 10 concurrent GETs of the only file of a transfer with max_downloads = 1: one wins.
        const std::string p2 = uniqueName("p2") + "@client.example";
        auto t = w.send({w.up(content, "one.bin", "application/octet-stream")}, R"("max_downloads": 1)",
                        {"p1@client.example", p2});
        const std::string token = TransferWorld::tokenOf(t);
        const std::string path = base(token) + "/files/" + TransferWorld::fileId(t, 0);
        std::vector<HttpResult> results(10);
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < results.size(); ++i)
            threads.emplace_back([&, i] { results[i] = w.pub("GET", path); });
        for (auto& th : threads) th.join();
        int ok = 0, expired = 0;
        std::string statuses;
        for (const auto& r : results) {
            statuses += std::to_string(r.status) + " ";
            if (r.status == 200 && r.body == content) ++ok;
            if (r.status == 410 && problemCode(r) == "link_expired") ++expired;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(statuses, 1, ok);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(statuses, 9, expired);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), w.downloadsOf(t->getValue<std::string>("id"), 0));
        // The same link resumes its counted download with a Range: 206, not counted again.
        auto resumed = w.pub("GET", path, {{"Range", "bytes=1000-"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(resumed.body.substr(0, 200), 206, resumed.status);
        CPPUNIT_ASSERT(resumed.body == content.substr(1000));
        CPPUNIT_ASSERT_EQUAL(std::string("bytes 1000-262143/262144"), resumed.header("content-range"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), w.downloadsOf(t->getValue<std::string>("id"), 0));
        // A fresh recipient link cannot start in the middle of an exhausted file.
        const std::string fresh = tokenAfter(waitForMail(p2, "/d/"), "/d/");
        CPPUNIT_ASSERT_MESSAGE("p2's link", !fresh.empty());
        ASSERT_PROBLEM(w.pub("GET", base(fresh) + "/files/" + TransferWorld::fileId(t, 0), {{"Range", "bytes=1000-"}}), 410,
                       "link_expired");
        ASSERT_PROBLEM(w.pub("GET", base(fresh) + "/files/" + TransferWorld::fileId(t, 0)), 410, "link_expired");
        ASSERT_PROBLEM(w.pub("GET", base(token)), 410, "link_expired");
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), w.downloadsOf(t->getValue<std::string>("id"), 0));

        // The ZIP counts as one download of each file.
        auto z = w.send({w.up("first", "a.txt"), w.up("second", "b.txt")}, R"("max_downloads": 1)");
        const std::string zt = TransferWorld::tokenOf(z);
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(zt) + "/zip").status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), w.downloadsOf(z->getValue<std::string>("id"), 0));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), w.downloadsOf(z->getValue<std::string>("id"), 1));
        ASSERT_PROBLEM(w.pub("GET", base(zt) + "/files/" + TransferWorld::fileId(z, 1)), 410, "link_expired");
        ASSERT_PROBLEM(w.pub("GET", base(zt) + "/zip"), 410, "link_expired");
        // A file resumed after the ZIP by the same link is served.
        CPPUNIT_ASSERT_EQUAL(206, w.pub("GET", base(zt) + "/files/" + TransferWorld::fileId(z, 1), {{"Range", "bytes=2-"}}).status);

        // A HEAD is not counted.
        auto h = w.send({w.up("headless", "h.txt")}, R"("max_downloads": 1)");
        const std::string hp = base(TransferWorld::tokenOf(h)) + "/files/" + TransferWorld::fileId(h, 0);
        for (int i = 0; i < 3; ++i) CPPUNIT_ASSERT_EQUAL(200, w.pub("HEAD", hp).status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), w.downloadsOf(h->getValue<std::string>("id"), 0));
        auto got = w.pub("GET", hp);
        CPPUNIT_ASSERT_EQUAL(200, got.status);
        CPPUNIT_ASSERT_EQUAL(std::string("headless"), got.body);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), w.downloadsOf(h->getValue<std::string>("id"), 0));
        ASSERT_PROBLEM(w.pub("GET", hp), 410, "link_expired");
        auto exhausted = w.pub("GET", base(TransferWorld::tokenOf(h)));
        ASSERT_PROBLEM(exhausted, 410, "link_expired");
        CPPUNIT_ASSERT_EQUAL(std::string("exhausted"), json(exhausted.body)->getValue<std::string>("reason"));
    }

    void passwords() {
        auto s = settings();
        s["wesend.password_max_attempts"] = "3";
        TransferWorld w(s);
        const std::string pw = "Secret-Pass-42";
        auto locked = w.send({w.up("secret", "s.txt")}, R"("password": ")" + pw + "\"");
        const std::string lt = TransferWorld::tokenOf(locked);
        ASSERT_PROBLEM(w.pub("GET", base(lt)), 401, "password_required");
        ASSERT_PROBLEM(w.pub("GET", base(lt) + "/files/" + TransferWorld::fileId(locked, 0)), 401, "password_required");
        ASSERT_PROBLEM(w.pub("GET", base(lt) + "/zip"), 401, "password_required");
        auto unlock = [&](const std::string& token, const std::string& password) {
            return call(w.port, w.acme.host, "", "POST", base(token) + "/unlock", R"({"password": ")" + password + "\"}");
        };
        ASSERT_PROBLEM(unlock(lt, "wrong-one-1"), 401, "invalid_password");
        ASSERT_PROBLEM(unlock(lt, "wrong-one-2"), 401, "invalid_password");
        auto third = unlock(lt, "wrong-one-3");
        ASSERT_PROBLEM(third, 429, "link_locked");
        CPPUNIT_ASSERT_MESSAGE("Retry-After", std::atoi(third.header("retry-after").c_str()) > 0);
        auto right = unlock(lt, pw);
        ASSERT_PROBLEM(right, 429, "link_locked");
        CPPUNIT_ASSERT(!right.header("retry-after").empty());

        // A fresh transfer: the right password gives an access token for this link only.
        auto open = w.send({w.up("secret 2", "s2.txt")}, R"("password": ")" + pw + "\"");
        const std::string ot = TransferWorld::tokenOf(open);
        auto u = unlock(ot, pw);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(u.body, 200, u.status);
        const std::string access = json(u.body)->getValue<std::string>("access_token");
        const std::map<std::string, std::string> bearer = {{"Authorization", "Bearer " + access}};
        auto pub = w.pub("GET", base(ot), bearer);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pub.body, 200, pub.status);
        auto f = w.pub("GET", base(ot) + "/files/" + TransferWorld::fileId(open, 0), bearer);
        CPPUNIT_ASSERT_EQUAL(200, f.status);
        CPPUNIT_ASSERT_EQUAL(std::string("secret 2"), f.body);
        // Another link's access token opens nothing here.
        auto other = w.send({w.up("secret 3", "s3.txt")}, R"("password": ")" + pw + "\"");
        ASSERT_PROBLEM(w.pub("GET", base(TransferWorld::tokenOf(other)), bearer), 401, "password_required");
        ASSERT_PROBLEM(w.pub("GET", base(TransferWorld::tokenOf(other)) + "/files/" + TransferWorld::fileId(other, 0), bearer), 401,
                       "password_required");
        ASSERT_PROBLEM(w.pub("GET", base(lt), bearer), 401, "password_required");

        // The unlock also sets the token in a cookie for this link's paths only (a browser then
        // downloads with a plain link); it opens this link and no other.
        const std::string cookie = u.setCookie("relais_link_access");
        CPPUNIT_ASSERT_MESSAGE(cookie, cookie.rfind("relais_link_access=" + access + ";", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(cookie, cookie.find("; Path=" + base(ot) + ";") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(cookie, cookie.find("HttpOnly") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(cookie, cookie.find("SameSite=Strict") != std::string::npos);
        const std::map<std::string, std::string> jar = {{"Cookie", "relais_link_access=" + access}};
        CPPUNIT_ASSERT_EQUAL(std::string("secret 2"), w.pub("GET", base(ot) + "/files/" + TransferWorld::fileId(open, 0), jar).body);
        ASSERT_PROBLEM(w.pub("GET", base(TransferWorld::tokenOf(other)), jar), 401, "password_required");
    }

    // "Reçus": a transfer addressed to a user of the same organisation is listed for them and
    // downloaded through their own link (counted and tracked as theirs), without its password;
    // nobody else sees it. Deposits into their requests are listed too.
    void receivedByAColleague() {
        TransferWorld w(withMail(settings()));
        auto colleague = relais::test::createUser(w.server.runtime(), w.acme.id, "user", uniqueName("jeanne") + "@acme.example");
        const auto colleagueToken = relais::test::login(w.port, w.acme.host, colleague.email).token;
        auto asColleague = [&](const std::string& path) { return call(w.port, w.acme.host, colleagueToken, "GET", path); };
        auto t = w.send({w.up("pour Jeanne", "j.txt"), w.up("et ceci", "k.txt")},
                        R"("subject": "Pièces", "password": "Secret-Pass-42", "max_downloads": 1)", {colleague.email});
        const std::string id = t->getValue<std::string>("id");

        auto list = asColleague("/api/v1/received/transfers");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, 200, list.status);
        auto items = json(list.body)->getArray("items");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), items->size());
        auto item = items->getObject(0);
        CPPUNIT_ASSERT_EQUAL(id, item->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(std::string("Pièces"), item->getValue<std::string>("subject"));
        CPPUNIT_ASSERT_EQUAL(w.user.email, item->getObject("sender")->getValue<std::string>("email"));
        CPPUNIT_ASSERT_EQUAL(std::string("active"), item->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), item->getArray("files")->size());
        CPPUNIT_ASSERT(!item->has("recipients"));  // the recipient's view, not the sender's
        // The sender did not receive it.
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), json(w.api("GET", "/api/v1/received/transfers").body)->getArray("items")->size());

        const std::string file = "/api/v1/received/transfers/" + id + "/files/" + TransferWorld::fileId(t, 0);
        auto got = asColleague(file);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(got.body, 200, got.status);
        CPPUNIT_ASSERT_EQUAL(std::string("pour Jeanne"), got.body);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1), w.downloadsOf(id, 0));
        ASSERT_PROBLEM(asColleague(file), 410, "link_expired");  // the limit holds here too
        auto detail = json(w.api("GET", "/api/v1/transfers/" + id).body);
        bool tracked = false;
        auto events = detail->getArray("events");
        for (std::size_t i = 0; i < events->size(); ++i)
            tracked = tracked || (events->getObject(i)->getValue<std::string>("action") == "file_downloaded" &&
                                  events->getObject(i)->getValue<std::string>("recipient") == colleague.email);
        CPPUNIT_ASSERT_MESSAGE(detail->get("events").toString(), tracked);
        // The sender, who is not a recipient, cannot use these routes; nor can an unknown id.
        CPPUNIT_ASSERT_EQUAL(404, w.api("GET", file).status);
        CPPUNIT_ASSERT_EQUAL(404, w.api("GET", "/api/v1/received/transfers/" + id + "/zip").status);
        CPPUNIT_ASSERT_EQUAL(404, asColleague("/api/v1/received/transfers/" + relais::randomToken(16) + "/zip").status);

        // Deposits into the colleague's request appear in their "received" deposits.
        auto request = call(w.port, w.acme.host, colleagueToken, "POST", "/api/v1/upload-requests", "{}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(request.body, 201, request.status);
        const std::string link = json(request.body)->getValue<std::string>("link");
        const std::string guestBase = "/api/v1/public/upload-requests/" + link.substr(link.rfind('/') + 1);
        const std::string up = upload(w.port, w.acme.host, "", "déposé", "d.txt", "text/plain", guestBase + "/uploads");
        auto dep = call(w.port, w.acme.host, "", "POST", guestBase + "/deposits",
                        R"({"uploads": [")" + up + R"("], "sender_email": "client@cabinet.example"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(dep.body, 201, dep.status);
        auto deposits = json(asColleague("/api/v1/received/deposits").body)->getArray("items");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), deposits->size());
        CPPUNIT_ASSERT_EQUAL(std::string("client@cabinet.example"), deposits->getObject(0)->getValue<std::string>("sender_email"));
        const std::string url = deposits->getObject(0)->getArray("files")->getObject(0)->getValue<std::string>("download_url");
        CPPUNIT_ASSERT_EQUAL(std::string("déposé"), asColleague(url).body);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), json(w.api("GET", "/api/v1/received/deposits").body)->getArray("items")->size());
    }

    void revokeUnknownExpired() {
        TransferWorld w(settings());
        auto t = w.send({w.up("revoked soon", "r.txt")}, "");
        const std::string token = TransferWorld::tokenOf(t);
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(token)).status);
        CPPUNIT_ASSERT_EQUAL(204, w.api("DELETE", "/api/v1/transfers/" + t->getValue<std::string>("id")).status);
        auto revoked = w.pub("GET", base(token));
        ASSERT_PROBLEM(revoked, 410, "link_expired");
        CPPUNIT_ASSERT_EQUAL(std::string("revoked"), json(revoked.body)->getValue<std::string>("reason"));
        ASSERT_PROBLEM(w.pub("GET", base(token) + "/files/" + TransferWorld::fileId(t, 0)), 410, "link_expired");
        ASSERT_PROBLEM(w.pub("GET", base(token) + "/zip"), 410, "link_expired");
        CPPUNIT_ASSERT(w.hasEvent(t->getValue<std::string>("id"), "revoked"));
        // Revoking again is harmless; another user cannot.
        CPPUNIT_ASSERT_EQUAL(204, w.api("DELETE", "/api/v1/transfers/" + t->getValue<std::string>("id")).status);
        auto other = relais::test::createUser(w.server.runtime(), w.acme.id, "user", uniqueName("o") + "@acme.example");
        const auto otherToken = relais::test::login(w.port, w.acme.host, other.email).token;
        CPPUNIT_ASSERT_EQUAL(404, call(w.port, w.acme.host, otherToken, "GET", "/api/v1/transfers/" + t->getValue<std::string>("id")).status);
        CPPUNIT_ASSERT_EQUAL(404, call(w.port, w.acme.host, otherToken, "DELETE", "/api/v1/transfers/" + t->getValue<std::string>("id")).status);

        ASSERT_PROBLEM(w.pub("GET", base(relais::randomToken(32))), 404, "not_found");
        CPPUNIT_ASSERT_EQUAL(404, w.pub("GET", base(relais::randomToken(32)) + "/zip").status);

        auto e = w.send({w.up("expired soon", "e.txt")}, "");
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(TransferWorld::tokenOf(e))).status);
        w.server.runtime().database().execute("UPDATE wesend_transfers SET expires_at = 1 WHERE id = ?",
                                              {e->getValue<std::string>("id")});
        auto expired = w.pub("GET", base(TransferWorld::tokenOf(e)));
        ASSERT_PROBLEM(expired, 410, "link_expired");
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), json(expired.body)->getValue<std::string>("reason"));
        ASSERT_PROBLEM(w.pub("GET", base(TransferWorld::tokenOf(e)) + "/files/" + TransferWorld::fileId(e, 0)), 410, "link_expired");
        auto detail = w.api("GET", "/api/v1/transfers/" + e->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(std::string("expired"), json(detail.body)->getValue<std::string>("state"));
    }

    void notifyOnDownloadOnce() {
        TransferWorld w(settings());
        const std::string paul = uniqueName("paul") + "@client.example";
        auto t = w.send({w.up("one", "1.txt"), w.up("two", "2.txt")}, R"("subject": "Notif", "notify_on_download": true)",
                        {paul});
        const std::string token = tokenAfter(waitForMail(paul, "/d/"), "/d/");
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(token) + "/files/" + TransferWorld::fileId(t, 0)).status);
        // One file of two: no mail yet. The sender's own link does not count as a recipient.
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(TransferWorld::tokenOf(t)) + "/files/" + TransferWorld::fileId(t, 1)).status);
        // The tail of the second file alone (a Range from byte 1, with no download of it begun):
        // it reaches the end, but it is not the whole file.
        CPPUNIT_ASSERT_EQUAL(206, w.pub("GET", base(token) + "/files/" + TransferWorld::fileId(t, 1),
                                        {{"Range", "bytes=1-"}})
                                      .status);
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), mailsTo(w.user.email).size());
        CPPUNIT_ASSERT(w.hasEvent(t->getValue<std::string>("id"), "file_partially_downloaded", paul));
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(token) + "/files/" + TransferWorld::fileId(t, 1)).status);
        const std::string mail = waitForMail(w.user.email, paul);
        CPPUNIT_ASSERT_MESSAGE(mail, mail.find("a téléchargé") != std::string::npos);
        // A second complete download: no second mail.
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(token) + "/zip").status);
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(token) + "/files/" + TransferWorld::fileId(t, 0)).status);
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(token) + "/files/" + TransferWorld::fileId(t, 1)).status);
        std::this_thread::sleep_for(std::chrono::milliseconds(2000));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), mailsTo(w.user.email).size());
    }

    void zipNamesAndIntegrity() {
        TransferWorld w(settings());
        const std::string big = relais::randomBytes(2 * 1024 * 1024 + 17);
        auto t = w.send({w.up("first a", "a.txt"), w.up("second a", "a.txt"), w.up("third A", "A.TXT"),
                         w.up(big, "../sub/données:<1>.bin", "application/octet-stream"), w.up("", "empty.txt")},
                        R"("subject": "Lot")");
        auto zip = w.pub("GET", base(TransferWorld::tokenOf(t)) + "/zip");
        CPPUNIT_ASSERT_EQUAL(200, zip.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/zip"), zip.header("content-type"));
        const std::string path = dir_.file("lot.zip");
        relais::test::writeFile(path, zip.body);
        std::string out;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, relais::test::runCommand("unzip -t " + path + " 2>&1", &out));
        out.clear();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, relais::test::runCommand("7z t " + path + " 2>&1", &out));
        out.clear();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            out, 0,
            relais::test::runCommand("python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); "
                                     "assert z.testzip() is None\" " + path + " 2>&1",
                                     &out));
        // Names and contents, as Python reads them.
        const std::string bigPath = dir_.file("big.bin");
        relais::test::writeFile(bigPath, big);
        const std::string script = dir_.file("check.py");
        relais::test::writeFile(script, R"(import zipfile, sys
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
print(names)
assert names[0] == 'a.txt', names
assert names[1] == 'a (2).txt', names
assert names[2].lower() != 'a.txt' and names[2].lower() != 'a (2).txt', names
assert z.read(names[0]) == b'first a'
assert z.read(names[1]) == b'second a'
assert z.read(names[2]) == b'third A'
for n in names:
    assert '/' not in n and '\\' not in n and ':' not in n and '<' not in n and '..' not in n, n
assert z.read(names[3]) == open(sys.argv[2], 'rb').read()
assert z.read(names[4]) == b''
assert len(names) == 5
)");
        out.clear();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, relais::test::runCommand("python3 " + script + " " + path + " " + bigPath + " 2>&1", &out));
    }

    void downloadHeaders() {
        TransferWorld w(settings());
        const std::string svg = R"(<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>)";
        auto t = w.send({w.up("données", "résumé été.txt"), w.up(svg, "logo.svg", "image/svg+xml")}, "");
        const std::string token = TransferWorld::tokenOf(t);
        auto f = w.pub("GET", base(token) + "/files/" + TransferWorld::fileId(t, 0));
        CPPUNIT_ASSERT_EQUAL(200, f.status);
        const std::string cd = f.header("content-disposition");
        CPPUNIT_ASSERT_MESSAGE(cd, cd.rfind("attachment", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(cd, cd.find("filename*=UTF-8''r%C3%A9sum%C3%A9%20%C3%A9t%C3%A9.txt") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("nosniff"), f.header("x-content-type-options"));
        CPPUNIT_ASSERT_MESSAGE(f.header("content-type"), f.header("content-type").rfind("text/plain", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("bytes"), f.header("accept-ranges"));
        auto s = w.pub("GET", base(token) + "/files/" + TransferWorld::fileId(t, 1));
        CPPUNIT_ASSERT_EQUAL(200, s.status);
        CPPUNIT_ASSERT_EQUAL(svg, s.body);
        CPPUNIT_ASSERT_EQUAL(std::string("image/svg+xml"), s.header("content-type"));
        CPPUNIT_ASSERT_MESSAGE(s.header("content-disposition"), s.header("content-disposition").rfind("attachment", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("nosniff"), s.header("x-content-type-options"));
        // A range past the end: 416 with the size.
        auto past = w.pub("GET", base(token) + "/files/" + TransferWorld::fileId(t, 1), {{"Range", "bytes=100000-"}});
        CPPUNIT_ASSERT_EQUAL(416, past.status);
        CPPUNIT_ASSERT_EQUAL("bytes */" + std::to_string(svg.size()), past.header("content-range"));
        auto tail = w.pub("GET", base(token) + "/files/" + TransferWorld::fileId(t, 1), {{"Range", "bytes=-6"}});
        CPPUNIT_ASSERT_EQUAL(206, tail.status);
        CPPUNIT_ASSERT_EQUAL(std::string("/svg>"), tail.body.substr(1));
    }

    void retention() {
        auto s = settings();
        s["wesend.retention_grace_days"] = "0";
        s["wesend.cleanup_interval_ms"] = "200";
        TransferWorld w(s);
        auto& rt = w.server.runtime();
        auto t = w.send({w.up("shred me", "x.txt"), w.up("me too", "y.txt")}, "");
        const std::string id = t->getValue<std::string>("id");
        std::vector<std::string> fileIds;
        for (const auto& r : rt.database().query("SELECT file_id FROM wesend_transfer_files WHERE transfer_id = ?", {id}))
            fileIds.push_back(r.getString("file_id"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), fileIds.size());
        for (const auto& f : fileIds) rt.files().stat(w.acme.id, f);  // there
        CPPUNIT_ASSERT_EQUAL(204, w.api("DELETE", "/api/v1/transfers/" + id).status);
        waitUntilShredded(rt, w.acme.id, fileIds);
        relais::test::waitUntil(
            [&] { return json(w.api("GET", "/api/v1/transfers/" + id).body)->getValue<bool>("files_deleted"); }, 15000,
            "files_deleted");
        auto admin = relais::test::createUser(rt, w.acme.id, "tenant_admin", uniqueName("adm") + "@acme.example");
        const auto adminToken = relais::test::login(w.port, w.acme.host, admin.email).token;
        auto journal = call(w.port, w.acme.host, adminToken, "GET", "/api/v1/admin/journal?limit=500");
        CPPUNIT_ASSERT_EQUAL(200, journal.status);
        CPPUNIT_ASSERT_MESSAGE(journal.body, journal.body.find("transfer.files_shredded") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(journal.body, journal.body.find(id) != std::string::npos);

        // An active transfer past its expiry becomes expired, with an event.
        auto e = w.send({w.up("expiring", "z.txt")}, "");
        const std::string eid = e->getValue<std::string>("id");
        rt.database().execute("UPDATE wesend_transfers SET expires_at = 1 WHERE id = ?", {eid});
        relais::test::waitUntil(
            [&] {
                auto rows = rt.database().query("SELECT state FROM wesend_transfers WHERE id = ?", {eid});
                return rows[0].getString("state") == "expired" && w.hasEvent(eid, "expired");
            },
            15000, "the transfer expired");
    }

    void statistics() {
        TransferWorld w(settings());
        auto t1 = w.send({w.up("12345", "a.txt"), w.up("abcdefgh", "b.pdf", "application/pdf")}, "");
        auto t2 = w.send({w.up("xyz", "c.txt")}, "");
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(TransferWorld::tokenOf(t1)) + "/files/" + TransferWorld::fileId(t1, 0)).status);
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(TransferWorld::tokenOf(t2)) + "/files/" + TransferWorld::fileId(t2, 0)).status);
        auto& rt = w.server.runtime();
        auto admin = relais::test::createUser(rt, w.acme.id, "tenant_admin", uniqueName("adm") + "@acme.example");
        const auto adminToken = relais::test::login(w.port, w.acme.host, admin.email).token;
        auto stats = [&](const std::string& q) {
            return call(w.port, w.acme.host, adminToken, "GET", "/api/v1/admin/stats" + q);
        };
        auto r = stats("");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto body = json(r.body);
        const std::string today = relais::formatRfc3339(relais::nowMs()).substr(0, 10);
        Poco::JSON::Object::Ptr day;
        auto series = body->getArray("series");
        for (std::size_t i = 0; i < series->size(); ++i)
            if (series->getObject(static_cast<unsigned>(i))->getValue<std::string>("period") == today)
                day = series->getObject(static_cast<unsigned>(i));
        CPPUNIT_ASSERT_MESSAGE(r.body, day);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), day->getValue<std::int64_t>("transfers"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(3), day->getValue<std::int64_t>("files"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(16), day->getValue<std::int64_t>("bytes_sent"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), day->getValue<std::int64_t>("downloads"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(8), day->getValue<std::int64_t>("bytes_downloaded"));
        auto types = body->getArray("by_type");
        std::map<std::string, std::int64_t> files;
        for (std::size_t i = 0; i < types->size(); ++i)
            files[types->getObject(static_cast<unsigned>(i))->getValue<std::string>("type")] =
                types->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("files");
        CPPUNIT_ASSERT_MESSAGE(r.body, files["text/plain"] == 2 && files["application/pdf"] == 1);
        auto top = body->getArray("top_senders");
        CPPUNIT_ASSERT_MESSAGE(r.body, top->size() >= 1);
        CPPUNIT_ASSERT_EQUAL(w.user.email, top->getObject(0)->getValue<std::string>("email"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), top->getObject(0)->getValue<std::int64_t>("transfers"));
        for (const char* g : {"week", "month"}) {
            auto gr = stats(std::string("?granularity=") + g);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(gr.body, 200, gr.status);
            auto s = json(gr.body)->getArray("series");
            std::int64_t transfers = 0;
            for (std::size_t i = 0; i < s->size(); ++i)
                transfers += s->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("transfers");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(gr.body, std::int64_t(2), transfers);
        }
        ASSERT_PROBLEM(stats("?granularity=year"), 400, "invalid_field");
        auto plain = call(w.port, w.acme.host, w.token, "GET", "/api/v1/admin/stats");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(plain.body, 403, plain.status);
    }

    // Two nodes on one database: a stream open on one sees a download served by the other
    // (through the events table: the nodes share no memory).
    void eventStreamAcrossNodes() {
        auto s = settings();
        s["wesend.stream_poll_ms"] = "200";
        TransferWorld w(s);
        relais::test::TestServer other(s);
        auto t = w.send({w.up("across", "a.txt")}, "");
        auto sock = openEventStream(w, other.port());
        std::string got;
        CPPUNIT_ASSERT_MESSAGE(got, readUntil(*sock, got, "retry:", 5000));
        CPPUNIT_ASSERT_EQUAL(200, w.pub("GET", base(TransferWorld::tokenOf(t)) + "/files/" + TransferWorld::fileId(t, 0)).status);
        CPPUNIT_ASSERT_MESSAGE(got, readUntil(*sock, got, "event: file_downloaded", 10000));
        sock->close();
    }

    void eventStream() {
        auto s = settings();
        s["wesend.stream_keepalive_ms"] = "300";  // a closed stream is noticed at the next write
        TransferWorld w(s);
        auto t = w.send({w.up("streamed", "s.txt")}, "");
        const std::string path = base(TransferWorld::tokenOf(t)) + "/files/" + TransferWorld::fileId(t, 0);
        auto openStream = [&](const std::string& lastEventId) { return openEventStream(w, w.port, lastEventId); };
        std::string got;
        {
            auto sock = openStream("");
            CPPUNIT_ASSERT_MESSAGE(got, readUntil(*sock, got, "retry:", 5000));
            CPPUNIT_ASSERT_MESSAGE(got, got.find(" 200 ") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(got, got.find("text/event-stream") != std::string::npos);
            std::thread downloader([&] { w.pub("GET", path); });
            const bool seen = readUntil(*sock, got, "event: file_downloaded", 10000);
            downloader.join();
            CPPUNIT_ASSERT_MESSAGE(got, seen);
            sock->close();
        }
        std::smatch m;
        const std::regex idThenEvent(R"(id: (\d+)\r?\nevent: file_downloaded)");
        CPPUNIT_ASSERT_MESSAGE(got, std::regex_search(got, m, idThenEvent));
        const long long downloadedId = std::stoll(m[1]);
        // The stream did not replay what happened before it opened.
        CPPUNIT_ASSERT_MESSAGE(got, got.find("event: created") == std::string::npos);
        // Reconnecting with an earlier id replays what was missed.
        std::string replay;
        {
            auto sock = openStream(std::to_string(downloadedId - 1));
            CPPUNIT_ASSERT_MESSAGE(replay, readUntil(*sock, replay, "event: file_downloaded", 10000));
            sock->close();
        }
        CPPUNIT_ASSERT_MESSAGE(replay, replay.find("id: " + std::to_string(downloadedId) + "\n") != std::string::npos);
        std::string all;
        {
            auto sock = openStream("0");
            CPPUNIT_ASSERT_MESSAGE(all, readUntil(*sock, all, "event: file_downloaded", 10000));
            sock->close();
        }
        CPPUNIT_ASSERT_MESSAGE(all, all.find("event: created") != std::string::npos);
        // Without a token: 401.
        CPPUNIT_ASSERT_EQUAL(401, call(w.port, w.acme.host, "", "GET", "/api/v1/events/stream").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TransferTest);

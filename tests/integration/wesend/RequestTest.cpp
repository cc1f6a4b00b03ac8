// WeSend upload requests: the invitation mail, the guest's tus uploads and deposit without an
// account, the owner's mail and downloads, the limits, passwords, closing, and the wall between
// guest uploads and account uploads.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>

#include <chrono>
#include <sstream>
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

namespace {

Poco::JSON::Object::Ptr json(const std::string& text) { return relais::test::jsonObject(text); }

std::string pubBase(const std::string& token) { return "/api/v1/public/upload-requests/" + token; }

struct RequestWorld : World {
    using World::World;
    Poco::JSON::Object::Ptr request(const std::string& body) {
        auto r = api("POST", "/api/v1/upload-requests", body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        return json(r.body);
    }
    static std::string tokenOf(const Poco::JSON::Object::Ptr& r) {
        const std::string link = r->getValue<std::string>("link");
        CPPUNIT_ASSERT_MESSAGE(link, link.find("/r/") != std::string::npos);
        return link.substr(link.rfind('/') + 1);
    }
    // A guest upload through the request's link (an access token when protected).
    std::string guestUpload(const std::string& reqToken, const std::string& content, const std::string& name,
                            const std::string& access = {}) {
        return upload(port, acme.host, access, content, name, "text/plain", pubBase(reqToken) + "/uploads");
    }
    HttpResult deposit(const std::string& reqToken, const std::vector<std::string>& uploads, const std::string& email,
                       const std::string& access = {}) {
        std::string body = R"({"uploads": [)";
        for (std::size_t i = 0; i < uploads.size(); ++i) body += (i ? ", \"" : "\"") + uploads[i] + "\"";
        body += R"(], "sender_email": ")" + email + R"(", "message": "Ci-joint les documents"})";
        return call(port, acme.host, access, "POST", pubBase(reqToken) + "/deposits", body);
    }
};

}  // namespace

class RequestTest : public relais::test::DatabaseFixture {
    CPPUNIT_TEST_SUITE(RequestTest);
    CPPUNIT_TEST(inviteUploadDepositDownload);
    CPPUNIT_TEST(limits);
    CPPUNIT_TEST(depositsAreListedNewestFirst);
    CPPUNIT_TEST(passwordProtected);
    CPPUNIT_TEST(closedRequest);
    CPPUNIT_TEST(guestAndAccountUploadsDoNotMix);
    CPPUNIT_TEST(closedRequestsFilesAreShredded);
    CPPUNIT_TEST_SUITE_END();

    std::map<std::string, std::string> settings() { return withMail(relais::test::productSettings(dir_, *db_)); }

public:

    void inviteUploadDepositDownload() {
        RequestWorld w(settings());
        const std::string guest = uniqueName("client") + "@client.example";
        auto req = w.request(R"({"recipients": [")" + guest + R"("], "message": "Merci de déposer vos pièces"})");
        const std::string id = req->getValue<std::string>("id");
        // The invitation carries the guest's own /r/ link.
        const std::string mail = waitForMail(guest, "/r/");
        CPPUNIT_ASSERT_MESSAGE(mail, mail.find(w.user.email) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(mail, mail.find("Merci de d") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(mail, mail.find("-- English --") != std::string::npos);
        const std::string token = tokenAfter(mail, "/r/");
        CPPUNIT_ASSERT_MESSAGE(mail, token.size() >= 20);
        CPPUNIT_ASSERT(token != RequestWorld::tokenOf(req));

        auto pub = call(w.port, w.acme.host, "", "GET", pubBase(token));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pub.body, 200, pub.status);
        CPPUNIT_ASSERT_EQUAL(w.user.email, json(pub.body)->getObject("owner")->getValue<std::string>("email"));

        // A guest tus upload, without any account token; Location is under the request's path.
        const std::string content = relais::randomBytes(300 * 1024);
        auto created = call(w.port, w.acme.host, "", "POST", pubBase(token) + "/uploads", "", "",
                            tusHeaders({{"Upload-Length", std::to_string(content.size())},
                                        {"Upload-Metadata", "filename " + b64("facture.pdf") + ",filetype " +
                                                                b64("application/pdf")}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const std::string location = created.header("location");
        CPPUNIT_ASSERT_MESSAGE(location, location.find(pubBase(token) + "/uploads/") != std::string::npos);
        const std::string path = location.substr(location.find("/api/v1/"));
        auto patched = call(w.port, w.acme.host, "", "PATCH", path, content, "application/offset+octet-stream",
                            tusHeaders({{"Upload-Offset", "0"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(patched.body, 204, patched.status);
        const std::string up1 = path.substr(path.rfind('/') + 1);
        const std::string up2 = w.guestUpload(token, "second", "note.txt");

        auto dep = w.deposit(token, {up1, up2}, "client@client.example");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(dep.body, 201, dep.status);
        const std::string depositId = json(dep.body)->getValue<std::string>("id");
        // Deposited uploads are used up.
        ASSERT_PROBLEM(w.deposit(token, {up2}, "client@client.example"), 422, "invalid_field");

        // The owner is told by mail.
        const std::string notice = waitForMail(w.user.email, "client@client.example");
        CPPUNIT_ASSERT_MESSAGE(notice, notice.find("facture.pdf") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(notice, notice.find("Ci-joint les documents") != std::string::npos);

        // The owner lists the deposit and downloads its files.
        auto list = w.api("GET", "/api/v1/upload-requests/" + id + "/deposits");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, 200, list.status);
        auto items = json(list.body)->getArray("items");
        CPPUNIT_ASSERT_EQUAL(1u, static_cast<unsigned>(items->size()));
        auto d = items->getObject(0);
        CPPUNIT_ASSERT_EQUAL(depositId, d->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(std::string("client@client.example"), d->getValue<std::string>("sender_email"));
        CPPUNIT_ASSERT_EQUAL(std::string("Ci-joint les documents"), d->getValue<std::string>("message"));
        auto files = d->getArray("files");
        CPPUNIT_ASSERT_EQUAL(2u, static_cast<unsigned>(files->size()));
        CPPUNIT_ASSERT_EQUAL(std::string("facture.pdf"), files->getObject(0)->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content), files->getObject(0)->getValue<std::string>("sha256"));
        const std::string url = files->getObject(0)->getValue<std::string>("download_url");
        auto whole = w.api("GET", url);
        CPPUNIT_ASSERT_EQUAL(200, whole.status);
        CPPUNIT_ASSERT(whole.body == content);
        CPPUNIT_ASSERT_EQUAL(std::string("application/pdf"), whole.header("content-type"));
        auto part = w.api("GET", url, "", {{"Range", "bytes=1000-1999"}});
        CPPUNIT_ASSERT_EQUAL(206, part.status);
        CPPUNIT_ASSERT(part.body == content.substr(1000, 1000));
        // Nobody else: another user, a guest, another request's path.
        auto other = relais::test::createUser(w.server.runtime(), w.acme.id, "user", uniqueName("jean") + "@acme.example");
        const auto otherToken = relais::test::login(w.port, w.acme.host, other.email).token;
        CPPUNIT_ASSERT_EQUAL(404, call(w.port, w.acme.host, otherToken, "GET", url).status);
        CPPUNIT_ASSERT_EQUAL(404, call(w.port, w.acme.host, otherToken, "GET", "/api/v1/upload-requests/" + id + "/deposits").status);
        CPPUNIT_ASSERT_EQUAL(401, call(w.port, w.acme.host, "", "GET", url).status);
        auto second = w.request("{}");
        std::string elsewhere = url;
        elsewhere.replace(elsewhere.find(id), id.size(), second->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(404, w.api("GET", elsewhere).status);

        // The request shows what it received and its tracking.
        auto got = json(w.api("GET", "/api/v1/upload-requests/" + id).body);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), got->getValue<std::int64_t>("files_received"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(content.size() + 6), got->getValue<std::int64_t>("bytes_received"));
        CPPUNIT_ASSERT_MESSAGE(text(got), text(got).find("deposit_received") != std::string::npos);
    }

    static std::string text(const Poco::JSON::Object::Ptr& o) {
        std::ostringstream out;
        o->stringify(out);
        return out.str();
    }

    void limits() {
        RequestWorld w(settings());
        auto req = w.request(R"({"max_files": 2, "max_bytes": 100})");
        const std::string token = RequestWorld::tokenOf(req);
        const std::string a = w.guestUpload(token, std::string(40, 'a'), "a.txt");
        // Too many bytes at creation.
        ASSERT_PROBLEM(call(w.port, w.acme.host, "", "POST", pubBase(token) + "/uploads", "", "",
                            tusHeaders({{"Upload-Length", "61"}})),
                       413, "request_limit_exceeded");
        const std::string b = w.guestUpload(token, std::string(60, 'b'), "b.txt");
        // A third file: beyond max_files.
        ASSERT_PROBLEM(call(w.port, w.acme.host, "", "POST", pubBase(token) + "/uploads", "", "",
                            tusHeaders({{"Upload-Length", "0"}})),
                       413, "request_limit_exceeded");
        CPPUNIT_ASSERT_EQUAL(201, w.deposit(token, {a}, "x@client.example").status);
        CPPUNIT_ASSERT_EQUAL(201, w.deposit(token, {b}, "x@client.example").status);
        ASSERT_PROBLEM(call(w.port, w.acme.host, "", "POST", pubBase(token) + "/uploads", "", "",
                            tusHeaders({{"Upload-Length", "1"}})),
                       413, "request_limit_exceeded");

        // A deposit beyond the limits: 409 (uploads created before another deposit filled it).
        auto req2 = w.request(R"({"max_files": 1})");
        const std::string t2 = RequestWorld::tokenOf(req2);
        const std::string c = w.guestUpload(t2, "c", "c.txt");
        CPPUNIT_ASSERT_EQUAL(201, w.deposit(t2, {c}, "x@client.example").status);
        auto& db = w.server.runtime().database();
        db.execute("UPDATE wesend_upload_requests SET max_files = 3 WHERE id = ?", {req2->getValue<std::string>("id")});
        const std::string d = w.guestUpload(t2, "d", "d.txt");
        const std::string e = w.guestUpload(t2, "e", "e.txt");
        db.execute("UPDATE wesend_upload_requests SET max_files = 2 WHERE id = ?", {req2->getValue<std::string>("id")});
        ASSERT_PROBLEM(w.deposit(t2, {d, e}, "x@client.example"), 409, "request_limit_exceeded");
        CPPUNIT_ASSERT_EQUAL(201, w.deposit(t2, {d}, "x@client.example").status);

        auto req3 = w.request(R"({"max_bytes": 10})");
        const std::string t3 = RequestWorld::tokenOf(req3);
        db.execute("UPDATE wesend_upload_requests SET max_bytes = 100 WHERE id = ?", {req3->getValue<std::string>("id")});
        const std::string f = w.guestUpload(t3, std::string(11, 'f'), "f.txt");
        db.execute("UPDATE wesend_upload_requests SET max_bytes = 10 WHERE id = ?", {req3->getValue<std::string>("id")});
        ASSERT_PROBLEM(w.deposit(t3, {f}, "x@client.example"), 409, "request_limit_exceeded");

        // A deferred length is checked against the bytes when it is declared, and the upload
        // is not counted a second time against max_files.
        auto req4 = w.request(R"({"max_files": 1, "max_bytes": 5})");
        const std::string t4 = RequestWorld::tokenOf(req4);
        auto deferred = call(w.port, w.acme.host, "", "POST", pubBase(t4) + "/uploads", "", "",
                             tusHeaders({{"Upload-Defer-Length", "1"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(deferred.body, 201, deferred.status);
        const std::string where = deferred.header("location");
        ASSERT_PROBLEM(call(w.port, w.acme.host, "", "PATCH", where, "abcdef", "application/offset+octet-stream",
                            tusHeaders({{"Upload-Offset", "0"}, {"Upload-Length", "6"}})),
                       413, "request_limit_exceeded");
        auto declared = call(w.port, w.acme.host, "", "PATCH", where, "abcde", "application/offset+octet-stream",
                             tusHeaders({{"Upload-Offset", "0"}, {"Upload-Length", "5"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(declared.body, 204, declared.status);
        CPPUNIT_ASSERT_EQUAL(201, w.deposit(t4, {where.substr(where.rfind('/') + 1)}, "x@client.example").status);
    }

    // Deposits are listed newest first, page by page.
    void depositsAreListedNewestFirst() {
        RequestWorld w(settings());
        auto req = w.request("{}");
        const std::string token = RequestWorld::tokenOf(req);
        const std::string id = req->getValue<std::string>("id");
        std::vector<std::string> deposits;
        for (int i = 0; i < 3; ++i) {
            auto d = w.deposit(token, {w.guestUpload(token, "x", "x.txt")}, "x@client.example");
            CPPUNIT_ASSERT_EQUAL(201, d.status);
            deposits.push_back(json(d.body)->getValue<std::string>("id"));
            // Distinct creation times, so that the order is the order of the deposits.
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        std::vector<std::string> listed;
        std::string path = "/api/v1/upload-requests/" + id + "/deposits?limit=2";
        while (!path.empty()) {
            auto r = w.api("GET", path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            auto items = json(r.body)->getArray("items");
            for (std::size_t i = 0; i < items->size(); ++i)
                listed.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
            path = json(r.body)->isNull("next_cursor")
                       ? std::string()
                       : "/api/v1/upload-requests/" + id + "/deposits?limit=2&cursor=" +
                             json(r.body)->getValue<std::string>("next_cursor");
            CPPUNIT_ASSERT(listed.size() <= 3);
        }
        CPPUNIT_ASSERT(std::vector<std::string>(deposits.rbegin(), deposits.rend()) == listed);
    }

    void passwordProtected() {
        RequestWorld w(settings());
        const std::string pw = "Depot-Secret-7";
        auto req = w.request(R"({"password": ")" + pw + "\"}");
        const std::string token = RequestWorld::tokenOf(req);
        ASSERT_PROBLEM(call(w.port, w.acme.host, "", "GET", pubBase(token)), 401, "password_required");
        ASSERT_PROBLEM(call(w.port, w.acme.host, "", "POST", pubBase(token) + "/uploads", "", "",
                            tusHeaders({{"Upload-Length", "5"}})),
                       401, "password_required");
        ASSERT_PROBLEM(w.deposit(token, {"up_x"}, "x@client.example"), 401, "password_required");
        ASSERT_PROBLEM(call(w.port, w.acme.host, "", "POST", pubBase(token) + "/unlock", R"({"password": "nope-nope"})"),
                       401, "invalid_password");
        auto u = call(w.port, w.acme.host, "", "POST", pubBase(token) + "/unlock", R"({"password": ")" + pw + "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(u.body, 200, u.status);
        const std::string access = json(u.body)->getValue<std::string>("access_token");
        CPPUNIT_ASSERT_EQUAL(200, call(w.port, w.acme.host, access, "GET", pubBase(token)).status);
        const std::string up = w.guestUpload(token, "protected", "p.txt", access);
        auto dep = w.deposit(token, {up}, "x@client.example", access);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(dep.body, 201, dep.status);
        // The access token of this request opens no other.
        auto other = w.request(R"({"password": ")" + pw + "\"}");
        ASSERT_PROBLEM(call(w.port, w.acme.host, access, "GET", pubBase(RequestWorld::tokenOf(other))), 401, "password_required");
    }

    void closedRequest() {
        RequestWorld w(settings());
        auto req = w.request("{}");
        const std::string token = RequestWorld::tokenOf(req);
        const std::string up = w.guestUpload(token, "late", "late.txt");
        CPPUNIT_ASSERT_EQUAL(204, w.api("DELETE", "/api/v1/upload-requests/" + req->getValue<std::string>("id")).status);
        ASSERT_PROBLEM(call(w.port, w.acme.host, "", "GET", pubBase(token)), 410, "link_expired");
        ASSERT_PROBLEM(w.deposit(token, {up}, "x@client.example"), 410, "link_expired");
        auto created = call(w.port, w.acme.host, "", "POST", pubBase(token) + "/uploads", "", "",
                            tusHeaders({{"Upload-Length", "5"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 410, created.status);
        CPPUNIT_ASSERT_EQUAL(404, call(w.port, w.acme.host, "", "GET", pubBase(relais::randomToken(32))).status);
        // Another user cannot close or read it.
        auto other = relais::test::createUser(w.server.runtime(), w.acme.id, "user", uniqueName("o") + "@acme.example");
        const auto otherToken = relais::test::login(w.port, w.acme.host, other.email).token;
        CPPUNIT_ASSERT_EQUAL(404, call(w.port, w.acme.host, otherToken, "GET", "/api/v1/upload-requests/" + req->getValue<std::string>("id")).status);
        CPPUNIT_ASSERT_EQUAL(404, call(w.port, w.acme.host, otherToken, "DELETE", "/api/v1/upload-requests/" + req->getValue<std::string>("id")).status);
    }

    void guestAndAccountUploadsDoNotMix() {
        RequestWorld w(settings());
        auto req = w.request("{}");
        const std::string token = RequestWorld::tokenOf(req);
        const std::string guestUp = w.guestUpload(token, "guest", "g.txt");
        // An account cannot see a guest upload through its own upload routes.
        auto head = w.api("HEAD", "/api/v1/uploads/" + guestUp, "", tusHeaders());
        CPPUNIT_ASSERT_EQUAL(404, head.status);
        auto patch = call(w.port, w.acme.host, w.token, "PATCH", "/api/v1/uploads/" + guestUp, "x",
                          "application/offset+octet-stream", tusHeaders({{"Upload-Offset", "5"}}));
        CPPUNIT_ASSERT_EQUAL(404, patch.status);
        // Nor send it.
        ASSERT_PROBLEM(w.api("POST", "/api/v1/transfers",
                             R"({"recipients": ["p@client.example"], "uploads": [")" + guestUp + "\"]}"),
                       422, "invalid_field");
        // An account's upload cannot be deposited.
        const std::string mine = upload(w.port, w.acme.host, w.token, "mine", "m.txt");
        ASSERT_PROBLEM(w.deposit(token, {mine}, "x@client.example"), 422, "invalid_field");
        // Another request's guest upload neither.
        auto req2 = w.request("{}");
        const std::string other = w.guestUpload(RequestWorld::tokenOf(req2), "other", "o.txt");
        ASSERT_PROBLEM(w.deposit(token, {other}, "x@client.example"), 422, "invalid_field");
        CPPUNIT_ASSERT_EQUAL(404, call(w.port, w.acme.host, "", "HEAD", pubBase(token) + "/uploads/" + other, "", "",
                                       tusHeaders())
                                      .status);
        // The right ones still work.
        CPPUNIT_ASSERT_EQUAL(201, w.deposit(token, {guestUp}, "x@client.example").status);
        CPPUNIT_ASSERT_EQUAL(201, w.api("POST", "/api/v1/transfers",
                                        R"({"recipients": ["p@client.example"], "uploads": [")" + mine + "\"]}")
                                      .status);
    }

    void closedRequestsFilesAreShredded() {
        auto s = settings();
        s["wesend.retention_grace_days"] = "0";
        s["wesend.cleanup_interval_ms"] = "200";
        RequestWorld w(s);
        auto& rt = w.server.runtime();
        auto req = w.request("{}");
        const std::string id = req->getValue<std::string>("id");
        const std::string token = RequestWorld::tokenOf(req);
        auto dep = w.deposit(token, {w.guestUpload(token, "deposited", "d.txt")}, "x@client.example");
        CPPUNIT_ASSERT_EQUAL(201, dep.status);
        const std::string pending = w.guestUpload(token, "never deposited", "p.txt");
        std::vector<std::string> fileIds;
        for (const auto& r : rt.database().query("SELECT file_id FROM wesend_deposit_files WHERE request_id = ?", {id}))
            fileIds.push_back(r.getString("file_id"));
        for (const auto& r : rt.database().query("SELECT file_id FROM wesend_uploads WHERE id = ?", {pending}))
            fileIds.push_back(r.getString("file_id"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), fileIds.size());
        auto list = json(w.api("GET", "/api/v1/upload-requests/" + id + "/deposits").body);
        const std::string url =
            list->getArray("items")->getObject(0)->getArray("files")->getObject(0)->getValue<std::string>("download_url");
        CPPUNIT_ASSERT_EQUAL(200, w.api("GET", url).status);
        CPPUNIT_ASSERT_EQUAL(204, w.api("DELETE", "/api/v1/upload-requests/" + id).status);
        waitUntilShredded(rt, w.acme.id, fileIds);
        relais::test::waitUntil(
            [&] { return json(w.api("GET", "/api/v1/upload-requests/" + id).body)->getValue<bool>("files_deleted"); },
            15000, "files_deleted");
        ASSERT_PROBLEM(w.api("GET", url), 410, "files_deleted");
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0),
                             rt.database().query("SELECT COUNT(*) AS n FROM wesend_uploads WHERE id = ?", {pending})[0].getInt("n"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestTest);

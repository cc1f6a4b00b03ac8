// The tus 1.0.0 server of WeSend (plugins/wesend/src/TusHandler.cpp) against the protocol text
// (https://tus.io/protocols/resumable-upload) and the lessons of tusd: core protocol, creation,
// creation-with-upload, creation-defer-length, termination, checksum, expiration, the method
// override, per-upload authorisation, locks, interrupted PATCHes and a kill -9 of relaisd.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/SHA1Engine.h>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "WesendSupport.h"
#include "relais/FileStore.h"
#include "relais/Random.h"
#include "runtime/Runtime.h"

using relais::test::call;
using relais::test::HttpResult;
using relais::test::problemCode;
using namespace relais::test::wesend;

namespace {

constexpr const char* kOctets = "application/offset+octet-stream";
constexpr std::int64_t kMiB = 1024 * 1024;

std::string sha256Header(const std::string& data) {
    return "sha256 " + b64(relais::fromHex(relais::sha256Hex(data)));
}

std::string sha1Header(const std::string& data) {
    Poco::SHA1Engine engine;
    engine.update(data.data(), static_cast<unsigned>(data.size()));
    const auto& d = engine.digest();
    return "sha1 " + b64(std::string(d.begin(), d.end()));
}

std::string idOf(const HttpResult& created) {
    const std::string location = created.header("location");
    return location.substr(location.rfind('/') + 1);
}

/// A PATCH request's head, as a client would send it, for the raw-socket tests.
std::string patchHead(const std::string& host, const std::string& token, const std::string& id,
                      std::int64_t offset, std::int64_t contentLength) {
    return "PATCH /api/v1/uploads/" + id + " HTTP/1.1\r\nHost: " + host +
           "\r\nAuthorization: Bearer " + token +
           "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + std::to_string(offset) +
           "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " +
           std::to_string(contentLength) + "\r\n\r\n";
}

void sendAll(Poco::Net::StreamSocket& socket, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const int n =
            socket.sendBytes(bytes.data() + sent,
                             static_cast<int>(std::min<std::size_t>(bytes.size() - sent, 1 << 20)));
        CPPUNIT_ASSERT(n > 0);
        sent += static_cast<std::size_t>(n);
    }
}

using Settings = std::map<std::string, std::string>;

/// One tenant, one user and their session on an in-process server with the product plugins.
struct Env {
    relais::test::TempDir dir;
    relais::test::TestDatabase db;
    std::unique_ptr<relais::test::TestServer> server;
    std::uint16_t port = 0;
    relais::test::TenantRef tenant;
    relais::test::UserRef user;
    std::string token;

    explicit Env(const std::map<std::string, std::string>& overrides = {}) {
        auto settings = relais::test::productSettings(dir, db);
        for (const auto& [k, v] : overrides)
            settings[k] = v;
        server = std::make_unique<relais::test::TestServer>(settings);
        port = server->port();
        tenant = relais::test::createTenant(server->runtime(), "acme", "pro");
        user = relais::test::createUser(server->runtime(), tenant.id, "user", "marie@acme.example");
        token = relais::test::login(port, tenant.host, user.email).token;
    }

    HttpResult req(const std::string& method, const std::string& path,
                   const std::map<std::string, std::string>& headers, const std::string& body = {},
                   const std::string& contentType = {}) {
        return call(port, tenant.host, token, method, path, body, contentType, headers);
    }
    HttpResult create(const std::map<std::string, std::string>& headers,
                      const std::string& body = {}, const std::string& contentType = {}) {
        return req("POST", "/api/v1/uploads", tusHeaders(headers), body, contentType);
    }
    /// A new upload of `length` bytes; fails the test unless 201.
    std::string createUpload(std::int64_t length, const std::string& name = "file.bin") {
        auto r = create({{"Upload-Length", std::to_string(length)},
                         {"Upload-Metadata", "filename " + b64(name)}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        return idOf(r);
    }
    HttpResult head(const std::string& id) {
        return req("HEAD", "/api/v1/uploads/" + id, tusHeaders());
    }
    std::int64_t offset(const std::string& id) {
        auto h = head(id);
        CPPUNIT_ASSERT_EQUAL(200, h.status);
        return std::stoll(h.header("upload-offset"));
    }
    HttpResult patch(const std::string& id, std::int64_t offset, const std::string& body,
                     std::map<std::string, std::string> extra = {}) {
        extra.emplace("Upload-Offset", std::to_string(offset));
        // The test client leaves Content-Type out of an empty body: a tus client sends it.
        if (body.empty())
            extra["Content-Type"] = kOctets;
        return req("PATCH", "/api/v1/uploads/" + id, tusHeaders(extra), body, kOctets);
    }
    /// Attaches a complete upload to a new transfer; returns files[0].
    Poco::JSON::Object::Ptr attach(const std::string& id) {
        auto t = call(port, tenant.host, token, "POST", "/api/v1/transfers",
                      R"({"recipients": ["paul@client.example"], "uploads": [")" + id + "\"]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(t.body, 201, t.status);
        return relais::test::jsonObject(t.body)->getArray("files")->getObject(0);
    }
};

}  // namespace

class TusProtocolTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TusProtocolTest);
    CPPUNIT_TEST(optionsAdvertisesTheServer);
    CPPUNIT_TEST(versionIsRequiredAndEchoed);
    CPPUNIT_TEST(creationValidatesUploadLength);
    CPPUNIT_TEST(creationAnswersLocationAndExpiry);
    CPPUNIT_TEST(zeroLengthUploadIsCompleteAtOnce);
    CPPUNIT_TEST(headReportsTheUpload);
    CPPUNIT_TEST(patchNeedsTheOffsetMediaType);
    CPPUNIT_TEST(patchWithWrongOffsetChangesNothing);
    CPPUNIT_TEST(patchPastTheLengthIsRefused);
    CPPUNIT_TEST(chunkedPatchPastTheLengthKeepsOnlyTheLength);
    CPPUNIT_TEST(emptyPatchKeepsTheOffset);
    CPPUNIT_TEST(patchesInSequenceBuildTheFile);
    CPPUNIT_TEST(backToBackPatchesAreNeverLocked);
    CPPUNIT_TEST(creationWithUpload);
    CPPUNIT_TEST(creationDeferLength);
    CPPUNIT_TEST(checksums);
    CPPUNIT_TEST(termination);
    CPPUNIT_TEST(methodOverride);
    CPPUNIT_TEST(uploadsArePrivate);
    CPPUNIT_TEST(concurrentPatchIsLockedAndBrokenPatchIsKept);
    CPPUNIT_TEST(resetConnectionKeepsWhatWasStored);
    CPPUNIT_TEST(metadataIsValidated);
    CPPUNIT_TEST(quotaIsCheckedAtCreation);
    CPPUNIT_TEST(expiredUploadsAreRemoved);
    CPPUNIT_TEST(killedServerResumes);
    CPPUNIT_TEST_SUITE_END();

public:
    void optionsAdvertisesTheServer() {
        Env env(Settings{{"wesend.max_upload_bytes", "5000000000"}});
        // No Tus-Resumable on the request: OPTIONS must work without it.
        for (const std::string path : {"/api/v1/uploads", "/api/v1/uploads/up_whatever"}) {
            auto r = env.req("OPTIONS", path, {});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path + " " + r.body, 204, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), r.header("tus-version"));
            CPPUNIT_ASSERT_EQUAL(std::string("creation,creation-with-upload,creation-defer-length,"
                                             "termination,checksum,expiration"),
                                 r.header("tus-extension"));
            CPPUNIT_ASSERT_EQUAL(std::string("5000000000"), r.header("tus-max-size"));
            CPPUNIT_ASSERT_EQUAL(std::string("sha1,sha256"), r.header("tus-checksum-algorithm"));
        }
    }

    void versionIsRequiredAndEchoed() {
        Env env;
        const std::string id = env.createUpload(10);
        for (const std::string version : {"", "0.2.2", "2.0.0"}) {
            std::map<std::string, std::string> h;
            if (!version.empty())
                h["Tus-Resumable"] = version;
            h["Upload-Length"] = "10";
            auto post = env.req("POST", "/api/v1/uploads", h);
            auto head = env.req("HEAD", "/api/v1/uploads/" + id, h);
            h.erase("Upload-Length");
            h["Upload-Offset"] = "0";
            auto patch = env.req("PATCH", "/api/v1/uploads/" + id, h, "abc", kOctets);
            auto del = env.req("DELETE", "/api/v1/uploads/" + id, h);
            for (const auto* r : {&post, &head, &patch, &del}) {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(version + " " + r->body, 412, r->status);
                CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), r->header("tus-version"));
                CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), r->header("tus-resumable"));
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0},
                             env.offset(id));  // the refused PATCHes changed nothing
        // Every answer but OPTIONS carries Tus-Resumable: successes and problems alike.
        auto ok = env.head(id);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), ok.header("tus-resumable"));
        auto missing = env.head("up_doesnotexist");
        CPPUNIT_ASSERT_EQUAL(404, missing.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), missing.header("tus-resumable"));
        auto conflict = env.patch(id, 5, "abc");
        CPPUNIT_ASSERT_EQUAL(409, conflict.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), conflict.header("tus-resumable"));
        auto noAuth = call(env.port, env.tenant.host, "", "HEAD", "/api/v1/uploads/" + id, "", "",
                           tusHeaders());
        CPPUNIT_ASSERT_EQUAL(401, noAuth.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), noAuth.header("tus-resumable"));
        auto created = env.create({{"Upload-Length", "1"}});
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), created.header("tus-resumable"));
    }

    void creationValidatesUploadLength() {
        Env env(Settings{{"wesend.max_upload_bytes", "1000000"}});
        auto none = env.create({});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(none.body, 400, none.status);
        for (const std::string bad : {"-1", "abc", "12a", "1.5", " ", "99999999999999999999999"}) {
            auto r = env.create({{"Upload-Length", bad}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE("Upload-Length '" + bad + "': " + r.body, 400, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), r.header("tus-resumable"));
        }
        auto huge = env.create({{"Upload-Length", "1000001"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(huge.body, 413, huge.status);
        auto limit = env.create({{"Upload-Length", "1000000"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(limit.body, 201, limit.status);
        auto both = env.create({{"Upload-Length", "10"}, {"Upload-Defer-Length", "1"}});
        CPPUNIT_ASSERT_EQUAL(400, both.status);
        auto deferBad = env.create({{"Upload-Defer-Length", "2"}});
        CPPUNIT_ASSERT_EQUAL(400, deferBad.status);
    }

    void creationAnswersLocationAndExpiry() {
        Env env;
        auto r = env.create({{"Upload-Length", "100"}});
        CPPUNIT_ASSERT_EQUAL(201, r.status);
        const std::string location = r.header("location");
        CPPUNIT_ASSERT_MESSAGE(
            location, std::regex_match(location, std::regex("/api/v1/uploads/[A-Za-z0-9_-]+")));
        // RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
        const std::regex imf(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] "
            "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
            "[0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT");
        CPPUNIT_ASSERT_MESSAGE(r.header("upload-expires"),
                               std::regex_match(r.header("upload-expires"), imf));
        auto h = env.head(idOf(r));
        CPPUNIT_ASSERT_MESSAGE(h.header("upload-expires"),
                               std::regex_match(h.header("upload-expires"), imf));
        auto p = env.patch(idOf(r), 0, "0123456789");
        CPPUNIT_ASSERT_EQUAL(204, p.status);
        CPPUNIT_ASSERT_MESSAGE(p.header("upload-expires"),
                               std::regex_match(p.header("upload-expires"), imf));
        // Two uploads, two ids.
        CPPUNIT_ASSERT(idOf(env.create({{"Upload-Length", "100"}})) != idOf(r));
    }

    void zeroLengthUploadIsCompleteAtOnce() {
        Env env;
        auto r = env.create(
            {{"Upload-Length", "0"}, {"Upload-Metadata", "filename " + b64("empty.txt")}});
        CPPUNIT_ASSERT_EQUAL(201, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string(), r.header("upload-expires"));
        auto h = env.head(idOf(r));
        CPPUNIT_ASSERT_EQUAL(200, h.status);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), h.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), h.header("upload-length"));
        CPPUNIT_ASSERT_EQUAL(std::string(), h.header("upload-expires"));
        auto file = env.attach(idOf(r));
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(""), file->getValue<std::string>("sha256"));
        CPPUNIT_ASSERT_EQUAL(std::string("empty.txt"), file->getValue<std::string>("name"));
    }

    void headReportsTheUpload() {
        Env env;
        const std::string metadata = "filename " + b64("rapport.pdf") + ",filetype " +
                                     b64("application/pdf") + ",is_confidential";
        auto r = env.create({{"Upload-Length", "42"}, {"Upload-Metadata", metadata}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        auto h = env.head(idOf(r));
        CPPUNIT_ASSERT_EQUAL(200, h.status);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), h.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(std::string("42"), h.header("upload-length"));
        CPPUNIT_ASSERT_EQUAL(std::string(), h.header("upload-defer-length"));
        CPPUNIT_ASSERT_EQUAL(std::string("no-store"), h.header("cache-control"));
        CPPUNIT_ASSERT_EQUAL(metadata, h.header("upload-metadata"));
        CPPUNIT_ASSERT_EQUAL(std::string(), h.body);

        auto d = env.create({{"Upload-Defer-Length", "1"}});
        CPPUNIT_ASSERT_EQUAL(201, d.status);
        auto hd = env.head(idOf(d));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), hd.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), hd.header("upload-defer-length"));
        CPPUNIT_ASSERT_EQUAL(std::string(), hd.header("upload-length"));
        CPPUNIT_ASSERT_EQUAL(std::string("no-store"), hd.header("cache-control"));
        CPPUNIT_ASSERT_EQUAL(std::string(), hd.header("upload-metadata"));
        CPPUNIT_ASSERT_EQUAL(404, env.head("up_unknown").status);
    }

    void patchNeedsTheOffsetMediaType() {
        Env env;
        const std::string id = env.createUpload(10);
        for (const std::string type : {"application/octet-stream", "text/plain", ""}) {
            auto r = env.req("PATCH", "/api/v1/uploads/" + id, tusHeaders({{"Upload-Offset", "0"}}),
                             "abc", type);
            CPPUNIT_ASSERT_EQUAL_MESSAGE("'" + type + "' " + r.body, 415, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), r.header("tus-resumable"));
        }
        auto noOffset = env.req("PATCH", "/api/v1/uploads/" + id, tusHeaders(), "abc", kOctets);
        CPPUNIT_ASSERT_EQUAL(400, noOffset.status);
        auto badOffset = env.patch(id, 0, "abc", {{"Upload-Offset", "-1"}});
        CPPUNIT_ASSERT_EQUAL(400, badOffset.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, env.offset(id));
    }

    void patchWithWrongOffsetChangesNothing() {
        Env env;
        const std::string content = "0123456789";
        const std::string id = env.createUpload(10);
        CPPUNIT_ASSERT_EQUAL(204, env.patch(id, 0, content.substr(0, 4)).status);
        for (std::int64_t wrong : {0, 3, 5, 10}) {
            auto r = env.patch(id, wrong, content.substr(4, 2));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(wrong) + " " + r.body, 409, r.status);
            auto h = env.head(id);
            CPPUNIT_ASSERT_EQUAL(std::string("4"), h.header("upload-offset"));
        }
        auto ok = env.patch(id, 4, content.substr(4));
        CPPUNIT_ASSERT_EQUAL(204, ok.status);
        CPPUNIT_ASSERT_EQUAL(std::string("10"), ok.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content),
                             env.attach(id)->getValue<std::string>("sha256"));
    }

    void patchPastTheLengthIsRefused() {
        Env env;
        const std::string id = env.createUpload(10);
        CPPUNIT_ASSERT_EQUAL(204, env.patch(id, 0, "0123").status);
        auto r = env.patch(id, 4, "456789ABCDEF");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 413, r.status);
        const std::int64_t stored = env.offset(id);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(stored), stored <= 10);
        // Whatever was kept, nothing past the length: finish from there and check the file.
        if (stored < 10)
            CPPUNIT_ASSERT_EQUAL(
                204, env.patch(id, stored, std::string("0123456789").substr(stored)).status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10}, env.offset(id));
        // A complete upload takes no more bytes.
        auto more = env.patch(id, 10, "X");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(more.body, 413, more.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10}, env.offset(id));
        auto file = env.attach(id);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex("0123456789"),
                             file->getValue<std::string>("sha256"));
        CPPUNIT_ASSERT_EQUAL(10, file->getValue<int>("size"));
        // Attached to a transfer, the upload is no longer a tus resource.
        CPPUNIT_ASSERT_EQUAL(404, env.head(id).status);
    }

    void chunkedPatchPastTheLengthKeepsOnlyTheLength() {
        // Without a Content-Length the server learns the body is too long only while reading.
        Env env;
        const std::string id = env.createUpload(10);
        CPPUNIT_ASSERT_EQUAL(204, env.patch(id, 0, "0123").status);
        std::string head = "PATCH /api/v1/uploads/" + id + " HTTP/1.1\r\nHost: " + env.tenant.host +
                           "\r\nAuthorization: Bearer " + env.token +
                           "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 4\r\nContent-Type: "
                           "application/offset+octet-stream"
                           "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        const std::string answer = relais::test::rawExchange(
            env.port, head + "c\r\n456789ABCDEF\r\n0\r\n\r\n", 10000, true);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer, 413, relais::test::statusOf(answer));
        const std::int64_t stored = env.offset(id);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(stored), stored == 4 || stored == 10);
        // However much was kept, the upload holds exactly the 10 bytes once complete; when HEAD
        // says offset = length, a client considers it done and sends no more PATCH.
        if (stored < 10) {
            HttpResult last = env.patch(
                id, stored, std::string("0123456789").substr(static_cast<std::size_t>(stored)));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(last.body, 204, last.status);
        }
        CPPUNIT_ASSERT_EQUAL(std::string(), env.head(id).header("upload-expires"));
        auto file = env.attach(id);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex("0123456789"),
                             file->getValue<std::string>("sha256"));

        // The same with creation-with-upload: a chunked POST body longer than Upload-Length.
        const std::string post =
            "POST /api/v1/uploads HTTP/1.1\r\nHost: " + env.tenant.host +
            "\r\nAuthorization: Bearer " + env.token +
            "\r\nTus-Resumable: 1.0.0\r\nUpload-Length: 10\r\nContent-Type: "
            "application/offset+octet-stream\r\nTransfer-Encoding: chunked\r\nConnection: "
            "close\r\n\r\n";
        const std::string created = relais::test::rawExchange(
            env.port, post + "c\r\n0123456789AB\r\n0\r\n\r\n", 10000, true);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created, 413, relais::test::statusOf(created));
    }

    void emptyPatchKeepsTheOffset() {
        Env env;
        const std::string id = env.createUpload(10);
        auto first = env.patch(id, 0, "");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 204, first.status);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), first.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(204, env.patch(id, 0, "abc").status);
        auto again = env.patch(id, 3, "");
        CPPUNIT_ASSERT_EQUAL(204, again.status);
        CPPUNIT_ASSERT_EQUAL(std::string("3"), again.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, env.offset(id));
    }

    void patchesInSequenceBuildTheFile() {
        Env env;
        const std::string content = relais::randomBytes(3 * kMiB + 12345);
        const std::string id = env.createUpload(static_cast<std::int64_t>(content.size()));
        const std::vector<std::size_t> cuts = {
            0, 1, 1000, kMiB, kMiB + 7, 2 * kMiB + 3, content.size()};
        for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
            auto r = env.patch(id, static_cast<std::int64_t>(cuts[i]),
                               content.substr(cuts[i], cuts[i + 1] - cuts[i]));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 204, r.status);
            CPPUNIT_ASSERT_EQUAL(std::to_string(cuts[i + 1]), r.header("upload-offset"));
            CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(cuts[i + 1]), env.offset(id));
        }
        auto h = env.head(id);
        CPPUNIT_ASSERT_EQUAL(std::string(),
                             h.header("upload-expires"));  // complete: no longer expires
        auto file = env.attach(id);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content), file->getValue<std::string>("sha256"));
        CPPUNIT_ASSERT_EQUAL(std::string("file.bin"), file->getValue<std::string>("name"));
    }

    void backToBackPatchesAreNeverLocked() {
        // A client sends its next PATCH the moment it reads the answer to the last one: the
        // lock must be free by then (it was released after the answer: a spurious 423).
        Env env;
        const std::string content = relais::randomBytes(300);
        const std::string id = env.createUpload(300);
        for (std::size_t i = 0; i < content.size(); i += 2) {
            auto r = env.patch(id, static_cast<std::int64_t>(i), content.substr(i, 2));
            CPPUNIT_ASSERT_EQUAL_MESSAGE("PATCH at " + std::to_string(i) + ": " + r.body, 204,
                                         r.status);
            // A wrong offset right after: 409, never 423.
            auto wrong = env.patch(id, 0, "x");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                "wrong PATCH after " + std::to_string(i) + ": " + wrong.body, 409, wrong.status);
        }
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content),
                             env.attach(id)->getValue<std::string>("sha256"));
    }

    void creationWithUpload() {
        Env env;
        const std::string content = relais::randomBytes(5000);
        // The whole file in the POST.
        auto whole =
            env.create({{"Upload-Length", "5000"}, {"Upload-Metadata", "filename " + b64("a.bin")}},
                       content, kOctets);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(whole.body, 201, whole.status);
        CPPUNIT_ASSERT_EQUAL(std::string("5000"), whole.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content),
                             env.attach(idOf(whole))->getValue<std::string>("sha256"));
        // Part of it, then the rest by PATCH.
        auto part = env.create({{"Upload-Length", "5000"}}, content.substr(0, 1234), kOctets);
        CPPUNIT_ASSERT_EQUAL(201, part.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1234"), part.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1234}, env.offset(idOf(part)));
        CPPUNIT_ASSERT_EQUAL(204, env.patch(idOf(part), 1234, content.substr(1234)).status);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content),
                             env.attach(idOf(part))->getValue<std::string>("sha256"));
        // A body of another type is refused; a body past Upload-Length too.
        auto wrongType = env.create({{"Upload-Length", "5000"}}, content, "text/plain");
        CPPUNIT_ASSERT_EQUAL(415, wrongType.status);
        auto tooLong = env.create({{"Upload-Length", "10"}}, content, kOctets);
        CPPUNIT_ASSERT_EQUAL(413, tooLong.status);
    }

    void creationDeferLength() {
        Env env;
        const std::string content = relais::randomBytes(3000);
        auto r = env.create({{"Upload-Defer-Length", "1"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        const std::string id = idOf(r);
        CPPUNIT_ASSERT_EQUAL(204, env.patch(id, 0, content.substr(0, 1000)).status);
        auto h = env.head(id);
        CPPUNIT_ASSERT_EQUAL(std::string("1000"), h.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), h.header("upload-defer-length"));
        // A length below what was received is refused.
        auto small = env.patch(id, 1000, "", {{"Upload-Length", "999"}});
        CPPUNIT_ASSERT_EQUAL(400, small.status);
        auto p = env.patch(id, 1000, content.substr(1000, 1000), {{"Upload-Length", "3000"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(p.body, 204, p.status);
        auto h2 = env.head(id);
        CPPUNIT_ASSERT_EQUAL(std::string("3000"), h2.header("upload-length"));
        CPPUNIT_ASSERT_EQUAL(std::string(), h2.header("upload-defer-length"));
        // Once set, the length cannot change.
        auto change = env.patch(id, 2000, content.substr(2000), {{"Upload-Length", "4000"}});
        CPPUNIT_ASSERT_EQUAL(400, change.status);
        CPPUNIT_ASSERT_EQUAL(204, env.patch(id, 2000, content.substr(2000)).status);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content),
                             env.attach(id)->getValue<std::string>("sha256"));
    }

    void checksums() {
        Env env;
        const std::string content = relais::randomBytes(2 * kMiB + 3000);  // past commit_bytes
        const std::string id = env.createUpload(static_cast<std::int64_t>(content.size()));
        const std::string a = content.substr(0, 1000), b = content.substr(1000, 2 * kMiB),
                          c = content.substr(1000 + 2 * kMiB);
        auto good1 = env.patch(id, 0, a, {{"Upload-Checksum", sha1Header(a)}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(good1.body, 204, good1.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1000"), good1.header("upload-offset"));
        // A wrong digest: 460 and the whole chunk is discarded, even past commit_bytes.
        auto wrong = env.patch(id, 1000, b, {{"Upload-Checksum", sha256Header(b + "x")}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(wrong.body, 460, wrong.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), wrong.header("tus-resumable"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1000}, env.offset(id));
        auto wrong1 = env.patch(id, 1000, b, {{"Upload-Checksum", sha1Header(a)}});
        CPPUNIT_ASSERT_EQUAL(460, wrong1.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1000}, env.offset(id));
        // Unknown algorithm, malformed values: refused from the headers (small bodies, since the
        // server may answer before reading a body it refuses).
        auto md5 =
            env.patch(id, 1000, "abc", {{"Upload-Checksum", "md5 " + b64(std::string(16, 'x'))}});
        CPPUNIT_ASSERT_EQUAL(400, md5.status);
        CPPUNIT_ASSERT_EQUAL(std::string("checksum_algorithm_unsupported"), problemCode(md5));
        for (const std::string& bad :
             std::vector<std::string>{"sha256", "sha256 !!!", "sha1 " + b64("short")}) {
            auto r = env.patch(id, 1000, "abc", {{"Upload-Checksum", bad}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, 400, r.status);
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1000}, env.offset(id));
        auto good256 = env.patch(id, 1000, b, {{"Upload-Checksum", sha256Header(b)}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(good256.body, 204, good256.status);
        CPPUNIT_ASSERT_EQUAL(std::to_string(1000 + 2 * kMiB), good256.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(
            204, env.patch(id, 1000 + 2 * kMiB, c, {{"Upload-Checksum", sha256Header(c)}}).status);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content),
                             env.attach(id)->getValue<std::string>("sha256"));
    }

    void termination() {
        Env env;
        const std::string id = env.createUpload(10);
        CPPUNIT_ASSERT_EQUAL(204, env.patch(id, 0, "abc").status);
        auto del = env.req("DELETE", "/api/v1/uploads/" + id, tusHeaders());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(del.body, 204, del.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), del.header("tus-resumable"));
        CPPUNIT_ASSERT_EQUAL(404, env.head(id).status);
        CPPUNIT_ASSERT_EQUAL(404, env.patch(id, 3, "def").status);
        CPPUNIT_ASSERT_EQUAL(404, env.req("DELETE", "/api/v1/uploads/" + id, tusHeaders()).status);
        // A terminated upload cannot be sent.
        auto t = call(env.port, env.tenant.host, env.token, "POST", "/api/v1/transfers",
                      R"({"recipients": ["paul@client.example"], "uploads": [")" + id + "\"]}");
        CPPUNIT_ASSERT_MESSAGE(t.body, t.status == 404 || t.status == 400 || t.status == 422);
    }

    void methodOverride() {
        Env env;
        const std::string id = env.createUpload(6);
        const std::string path = "/api/v1/uploads/" + id;
        auto patch = env.req(
            "POST", path, tusHeaders({{"X-HTTP-Method-Override", "PATCH"}, {"Upload-Offset", "0"}}),
            "abc", kOctets);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(patch.body, 204, patch.status);
        CPPUNIT_ASSERT_EQUAL(std::string("3"), patch.header("upload-offset"));
        auto conflict = env.req(
            "POST", path, tusHeaders({{"X-HTTP-Method-Override", "PATCH"}, {"Upload-Offset", "0"}}),
            "abc", kOctets);
        CPPUNIT_ASSERT_EQUAL(409, conflict.status);
        auto head = env.req("POST", path, tusHeaders({{"X-HTTP-Method-Override", "HEAD"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(head.body, 200, head.status);
        CPPUNIT_ASSERT_EQUAL(std::string("3"), head.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(std::string("6"), head.header("upload-length"));
        CPPUNIT_ASSERT_EQUAL(std::string("no-store"), head.header("cache-control"));
        auto get = env.req("GET", path, tusHeaders({{"X-HTTP-Method-Override", "DELETE"}}));
        CPPUNIT_ASSERT_EQUAL(400, get.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_method_override"), problemCode(get));
        CPPUNIT_ASSERT_EQUAL(200, env.head(id).status);
        auto del = env.req("POST", path, tusHeaders({{"X-HTTP-Method-Override", "DELETE"}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(del.body, 204, del.status);
        CPPUNIT_ASSERT_EQUAL(404, env.head(id).status);
    }

    void uploadsArePrivate() {
        Env env;
        const std::string id = env.createUpload(10);
        CPPUNIT_ASSERT_EQUAL(204, env.patch(id, 0, "abc").status);
        auto& rt = env.server->runtime();
        auto colleague = relais::test::createUser(rt, env.tenant.id, "user", "jean@acme.example");
        const auto colleagueToken =
            relais::test::login(env.port, env.tenant.host, colleague.email).token;
        auto other = relais::test::createTenant(rt, "globex", "pro");
        auto stranger =
            relais::test::createUser(rt, other.id, "tenant_admin", "eve@globex.example");
        const auto strangerToken = relais::test::login(env.port, other.host, stranger.email).token;
        const std::string path = "/api/v1/uploads/" + id;
        struct Caller {
            std::string host, token, who;
        };
        for (const auto& c : {Caller{env.tenant.host, colleagueToken, "colleague"},
                              Caller{other.host, strangerToken, "other tenant"}}) {
            auto head = call(env.port, c.host, c.token, "HEAD", path, "", "", tusHeaders());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.who, 404, head.status);
            CPPUNIT_ASSERT_EQUAL(std::string(), head.header("upload-offset"));
            auto patch = call(env.port, c.host, c.token, "PATCH", path, "def", kOctets,
                              tusHeaders({{"Upload-Offset", "3"}}));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.who, 404, patch.status);
            auto del = call(env.port, c.host, c.token, "DELETE", path, "", "", tusHeaders());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.who, 404, del.status);
        }
        for (const std::string method : {"POST", "HEAD", "PATCH", "DELETE"}) {
            auto r = call(env.port, env.tenant.host, "", method,
                          method == "POST" ? "/api/v1/uploads" : path, "def", kOctets,
                          tusHeaders({{"Upload-Offset", "3"}, {"Upload-Length", "3"}}));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method, 401, r.status);
        }
        // Nothing changed for the owner.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, env.offset(id));
        CPPUNIT_ASSERT_EQUAL(204, env.patch(id, 3, "defghij").status);
    }

    void concurrentPatchIsLockedAndBrokenPatchIsKept() {
        Env env(Settings{{"wesend.commit_bytes", "1048576"}});
        const std::string content = relais::randomBytes(4 * kMiB);
        const std::string id = env.createUpload(4 * kMiB);
        const std::int64_t sent = 3 * kMiB / 2;  // past commit_bytes
        {
            Poco::Net::StreamSocket socket;
            socket.connect(Poco::Net::SocketAddress("127.0.0.1", env.port));
            sendAll(socket, patchHead(env.tenant.host, env.token, id, 0, 4 * kMiB) +
                                content.substr(0, sent));
            // The first MiB is committed while the PATCH goes on.
            relais::test::waitUntil([&] { return env.offset(id) >= kMiB; }, 10000,
                                    "the first commit_bytes stored");
            auto second = env.patch(id, env.offset(id), "x");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(second.body, 423, second.status);
            CPPUNIT_ASSERT_EQUAL(std::string("upload_locked"), problemCode(second));
            CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), second.header("tus-resumable"));
            auto del = env.req("DELETE", "/api/v1/uploads/" + id, tusHeaders());
            CPPUNIT_ASSERT_EQUAL(423, del.status);
            socket.close();  // the connection breaks mid-body
        }
        // Every byte that reached the server is kept; HEAD tells it once the lock is free.
        relais::test::waitUntil([&] { return env.offset(id) == sent; }, 10000,
                                "the bytes of the broken PATCH kept");
        relais::test::waitUntil([&] { return env.patch(id, sent, "").status == 204; }, 10000,
                                "the lock released");
        auto resumed = env.patch(id, sent, content.substr(sent));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(resumed.body, 204, resumed.status);
        CPPUNIT_ASSERT_EQUAL(std::to_string(4 * kMiB), resumed.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content),
                             env.attach(id)->getValue<std::string>("sha256"));
    }

    void resetConnectionKeepsWhatWasStored() {
        Env env(Settings{{"wesend.commit_bytes", "1048576"}});
        const std::string content = relais::randomBytes(3 * kMiB);
        const std::string id = env.createUpload(3 * kMiB);
        {
            Poco::Net::StreamSocket socket;
            socket.connect(Poco::Net::SocketAddress("127.0.0.1", env.port));
            sendAll(socket, patchHead(env.tenant.host, env.token, id, 0, 3 * kMiB) +
                                content.substr(0, 2 * kMiB + 500));
            relais::test::waitUntil([&] { return env.offset(id) >= kMiB; }, 10000,
                                    "the first commit_bytes stored");
            socket.setLinger(true, 0);  // RST, not FIN
            socket.close();
        }
        // Whatever the server says it has must be exactly the prefix it received.
        std::int64_t offset = 0;
        relais::test::waitUntil(
            [&] {
                offset = env.offset(id);
                return env.patch(id, offset, "").status == 204;
            },
            10000, "the lock released");
        auto resumed = env.patch(id, offset, content.substr(static_cast<std::size_t>(offset)));
        CPPUNIT_ASSERT_MESSAGE(std::to_string(offset), offset >= kMiB && offset <= 2 * kMiB + 500);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(resumed.body, 204, resumed.status);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content),
                             env.attach(id)->getValue<std::string>("sha256"));
    }

    void metadataIsValidated() {
        Env env;
        auto refused = [&](const std::string& metadata, const std::string& what,
                           const std::string& code) {
            auto r = env.create({{"Upload-Length", "3"}, {"Upload-Metadata", metadata}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": " + r.body, 400, r.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, code, problemCode(r));
        };
        refused("filename " + b64(std::string("a\0b", 3)), "NUL", "invalid_metadata");
        refused("filename " + b64("a\x01"
                                  "b"),
                "control character", "invalid_metadata");
        refused("filename " + b64("a\nb.txt"), "newline", "invalid_metadata");
        refused("filename " + b64("a\x7f"
                                  "b"),
                "DEL", "invalid_metadata");
        refused("filename " + b64("\xC0\xAF"
                                  "etc"),
                "overlong UTF-8", "invalid_metadata");
        refused("filename " + b64("caf\xE9"), "Latin-1", "invalid_metadata");
        refused("filename " + b64("\xED\xA0\x80"), "surrogate", "invalid_metadata");
        refused("filename " + b64(std::string(256, 'a')), "256 bytes", "invalid_metadata");
        refused("filename not*base64!", "not base64", "invalid_metadata");
        refused("filename " + b64("a") + ",filename " + b64("b"), "repeated key",
                "invalid_metadata");
        refused("filename " + b64("a") + ",,filetype " + b64("b"), "empty pair",
                "invalid_metadata");
        auto bad = env.create({{"Upload-Length", "3"}, {"Upload-Metadata", "filename ===="}});
        CPPUNIT_ASSERT_EQUAL(400, bad.status);

        auto named = [&](const std::string& raw) {
            auto r =
                env.create({{"Upload-Length", "3"}, {"Upload-Metadata", "filename " + b64(raw)}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(raw + ": " + r.body, 201, r.status);
            CPPUNIT_ASSERT_EQUAL(204, env.patch(idOf(r), 0, "abc").status);
            return env.attach(idOf(r))->getValue<std::string>("name");
        };
        CPPUNIT_ASSERT_EQUAL(std::string("passwd"), named("../../etc/passwd"));
        CPPUNIT_ASSERT_EQUAL(std::string("evil.exe"), named("..\\..\\windows\\evil.exe"));
        CPPUNIT_ASSERT_EQUAL(std::string(255, 'a'), named(std::string(255, 'a')));
        CPPUNIT_ASSERT_EQUAL(std::string("résumé été.pdf"), named("résumé été.pdf"));
        const std::string dots = named("..");
        CPPUNIT_ASSERT_MESSAGE(dots, !dots.empty() && dots.find('/') == std::string::npos &&
                                         dots != ".." && dots != ".");
    }

    void quotaIsCheckedAtCreation() {
        Env env;
        env.server->runtime().files().setQuota(env.tenant.id, 10000);
        auto big = env.create({{"Upload-Length", "10001"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(big.body, 413, big.status);
        CPPUNIT_ASSERT_EQUAL(std::string("quota_exceeded"), problemCode(big));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), big.header("tus-resumable"));
        const std::string content = relais::randomBytes(6000);
        const std::string id = env.createUpload(6000);
        CPPUNIT_ASSERT_EQUAL(204, env.patch(id, 0, content).status);
        // 6000 used: 5000 more no longer fit.
        auto second = env.create({{"Upload-Length", "5000"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(second.body, 413, second.status);
        CPPUNIT_ASSERT_EQUAL(std::string("quota_exceeded"), problemCode(second));
        CPPUNIT_ASSERT_EQUAL(201, env.create({{"Upload-Length", "4000"}}).status);
    }

    void expiredUploadsAreRemoved() {
        Env env(
            Settings{{"wesend.upload_expiry_hours", "1"}, {"wesend.cleanup_interval_ms", "200"}});
        const std::string stale = env.createUpload(10);
        const std::string fresh = env.createUpload(10);
        CPPUNIT_ASSERT_EQUAL(204, env.patch(stale, 0, "abc").status);
        // An hour from now, give or take a minute.
        const auto expires = env.head(fresh).header("upload-expires");
        CPPUNIT_ASSERT(!expires.empty());
        env.server->runtime().database().execute(
            "UPDATE wesend_uploads SET expires_at = 1 WHERE id = ?", {stale});
        relais::test::waitUntil([&] { return env.head(stale).status == 404; }, 10000,
                                "the expired upload removed");
        CPPUNIT_ASSERT_EQUAL(404, env.patch(stale, 3, "def").status);
        CPPUNIT_ASSERT_EQUAL(200, env.head(fresh).status);
    }

    void killedServerResumes() {
        // relaisd as a real process, on a database an in-process server provisioned first.
        relais::test::TempDir dir;
        relais::test::TestDatabase db;
        auto settings = relais::test::productSettings(dir, db);
        settings["wesend.commit_bytes"] = "1048576";
        settings["wesend.upload_lock_ms"] = "2000";
        relais::test::TenantRef tenant;
        relais::test::UserRef user;
        {
            relais::test::TestServer server(settings);
            tenant = relais::test::createTenant(server.runtime(), "acme", "pro");
            user =
                relais::test::createUser(server.runtime(), tenant.id, "user", "marie@acme.example");
        }
        std::string config;
        for (const auto& [k, v] : settings)
            config += k + " = " + v + "\n";
        const std::string configFile = dir.file("relais-kill.properties");
        relais::test::writeFile(configFile, config);

        const std::string content = relais::randomBytes(8 * kMiB);
        std::string id;
        {
            relais::test::RelaisdProcess p({"--config", configFile}, dir.path());
            const auto port = p.waitListening();
            const auto token = relais::test::login(port, tenant.host, user.email).token;
            auto created = call(port, tenant.host, token, "POST", "/api/v1/uploads", "", "",
                                tusHeaders({{"Upload-Length", std::to_string(8 * kMiB)},
                                            {"Upload-Metadata", "filename " + b64("killed.bin")}}));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
            id = idOf(created);
            Poco::Net::StreamSocket socket;
            socket.connect(Poco::Net::SocketAddress("127.0.0.1", port));
            sendAll(socket,
                    patchHead(tenant.host, token, id, 0, 8 * kMiB) + content.substr(0, 5 * kMiB));
            relais::test::waitUntil(
                [&] {
                    auto h = call(port, tenant.host, token, "HEAD", "/api/v1/uploads/" + id, "", "",
                                  tusHeaders());
                    return std::stoll(h.header("upload-offset").empty()
                                          ? "0"
                                          : h.header("upload-offset")) >= 4 * kMiB;
                },
                15000, "4 MiB committed before the kill");
            p.signal(SIGKILL);
            p.wait();
        }
        relais::test::RelaisdProcess p({"--config", configFile}, dir.path());
        const auto port = p.waitListening();
        const auto token = relais::test::login(port, tenant.host, user.email).token;
        auto h =
            call(port, tenant.host, token, "HEAD", "/api/v1/uploads/" + id, "", "", tusHeaders());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h.body, 200, h.status);
        const std::int64_t offset = std::stoll(h.header("upload-offset"));
        // The dead process's lock lapses after upload_lock_ms: probe with empty PATCHes (a
        // 423 to a PATCH with a body may close the connection before the body is sent).
        relais::test::waitUntil(
            [&] {
                auto probe =
                    call(port, tenant.host, token, "PATCH", "/api/v1/uploads/" + id, "", "",
                         tusHeaders({{"Upload-Offset", std::to_string(offset)},
                                     {"Content-Type", kOctets}}));
                CPPUNIT_ASSERT_MESSAGE(probe.body, probe.status == 204 || probe.status == 423);
                return probe.status == 204;
            },
            15000, "the lock of the killed process lapsing");
        auto resumed = call(port, tenant.host, token, "PATCH", "/api/v1/uploads/" + id,
                            content.substr(static_cast<std::size_t>(offset)), kOctets,
                            tusHeaders({{"Upload-Offset", std::to_string(offset)}}));
        CPPUNIT_ASSERT_MESSAGE(std::to_string(offset), offset >= 4 * kMiB && offset <= 5 * kMiB);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(resumed.body, 204, resumed.status);
        CPPUNIT_ASSERT_EQUAL(std::to_string(8 * kMiB), resumed.header("upload-offset"));
        auto t = call(port, tenant.host, token, "POST", "/api/v1/transfers",
                      R"({"recipients": ["paul@client.example"], "uploads": [")" + id + "\"]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(t.body, 201, t.status);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content), relais::test::jsonObject(t.body)
                                                             ->getArray("files")
                                                             ->getObject(0)
                                                             ->getValue<std::string>("sha256"));
        p.signal(SIGTERM);
        p.wait();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TusProtocolTest);

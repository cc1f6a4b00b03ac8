// WeSend's tus server with real clients: tus-js-client (tests/clients/tus_client.mjs, on Node)
// uploads 200 MiB, is aborted at 80 MiB, resumes from the offset the server reports, and the
// file downloaded from the transfer is the file sent; and curl sends a PATCH as-is.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>
#include <Poco/String.h>

#include <filesystem>

#include "WesendSupport.h"
#include "relais/Random.h"

using relais::test::call;
using relais::test::HttpResult;
using namespace relais::test::wesend;

namespace {

constexpr std::int64_t kMiB = 1024 * 1024;

std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string lastLine(const std::string& text) {
    std::string t = text;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r'))
        t.pop_back();
    const auto nl = t.rfind('\n');
    return nl == std::string::npos ? t : t.substr(nl + 1);
}

std::string sha256OfFile(const std::string& path) {
    std::string out;
    CPPUNIT_ASSERT_EQUAL(0, relais::test::runCommand("sha256sum " + quote(path), &out));
    return out.substr(0, 64);
}

}  // namespace

class TusClientTest : public relais::test::DatabaseFixture {
    CPPUNIT_TEST_SUITE(TusClientTest);
    CPPUNIT_TEST(tusJsClientResumesAnAbortedUpload);
    CPPUNIT_TEST(curlSendsAPatch);
    CPPUNIT_TEST_SUITE_END();

public:

    void tusJsClientResumesAnAbortedUpload() {
        const std::string clients = relais::test::sourceDir() + "/tests/clients";
        CPPUNIT_ASSERT_MESSAGE(
            "tests/clients/node_modules is missing: run scripts/npm-install.sh tests/clients",
            std::filesystem::exists(clients + "/node_modules/tus-js-client"));
        World w(relais::test::productSettings(dir_, *db_));
        const auto port = w.port;
        const auto& acme = w.acme;
        const auto& token = w.token;

        const std::int64_t size = 200 * kMiB;
        const std::string source = dir_.file("big.bin");
        CPPUNIT_ASSERT_EQUAL(0, relais::test::runCommand("head -c " + std::to_string(size) +
                                                         " /dev/urandom > " + quote(source)));
        const std::string sourceSha = sha256OfFile(source);

        const std::string common = "node " + quote(clients + "/tus_client.mjs") + " --file " +
                                   quote(source) + " --header 'Host: " + acme.host + "' --header " +
                                   quote("Authorization: Bearer " + token);
        std::string out;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            out, 0,
            relais::test::runCommand(
                common + " --endpoint http://127.0.0.1:" + std::to_string(port) +
                    "/api/v1/uploads --metadata filename=big.bin --abort-after " +
                    std::to_string(80 * kMiB),
                &out));
        auto aborted = relais::test::jsonObject(lastLine(out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::string("aborted"),
                                     aborted->getValue<std::string>("status"));
        const std::string url = aborted->getValue<std::string>("url");
        const std::string prefix = "http://127.0.0.1:" + std::to_string(port) + "/api/v1/uploads/";
        CPPUNIT_ASSERT_MESSAGE(url, url.rfind(prefix, 0) == 0 && url.size() > prefix.size());
        const std::string id = url.substr(prefix.size());
        const std::int64_t bytesSent = aborted->getValue<std::int64_t>("bytes_sent");
        CPPUNIT_ASSERT_MESSAGE(std::to_string(bytesSent),
                               bytesSent >= 80 * kMiB && bytesSent < size);

        // The server keeps what it received of the aborted PATCH; HEAD says how much, once the
        // broken request has ended.
        std::int64_t offset = -1;
        relais::test::waitUntil(
            [&] {
                auto probe =
                    call(port, acme.host, token, "PATCH", "/api/v1/uploads/" + id, "", "",
                         tusHeaders({{"Upload-Offset", "0"},
                                     {"Content-Type", "application/offset+octet-stream"}}));
                return probe.status == 409 ||
                       probe.status == 204;  // not 423: the aborted PATCH is over
            },
            20000, "the aborted PATCH released its lock");
        auto head =
            call(port, acme.host, token, "HEAD", "/api/v1/uploads/" + id, "", "", tusHeaders());
        CPPUNIT_ASSERT_EQUAL(200, head.status);
        offset = std::stoll(head.header("upload-offset"));
        CPPUNIT_ASSERT_EQUAL(std::to_string(size), head.header("upload-length"));
        CPPUNIT_ASSERT_MESSAGE(std::to_string(offset) + " of " + std::to_string(bytesSent),
                               offset > 0 && offset <= bytesSent && offset < size);

        out.clear();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            out, 0, relais::test::runCommand(common + " --resume-url " + quote(url), &out));
        auto done = relais::test::jsonObject(lastLine(out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::string("done"),
                                     done->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(offset, done->getValue<std::int64_t>("start_offset"));
        CPPUNIT_ASSERT_EQUAL(size - offset, done->getValue<std::int64_t>("body_bytes"));
        auto complete =
            call(port, acme.host, token, "HEAD", "/api/v1/uploads/" + id, "", "", tusHeaders());
        CPPUNIT_ASSERT_EQUAL(std::to_string(size), complete.header("upload-offset"));

        auto created =
            call(port, acme.host, token, "POST", "/api/v1/transfers",
                 R"({"recipients": ["paul@client.example"], "uploads": [")" + id + "\"]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        auto transfer = relais::test::jsonObject(created.body);
        auto file = transfer->getArray("files")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(sourceSha, file->getValue<std::string>("sha256"));
        CPPUNIT_ASSERT_EQUAL(std::string("big.bin"), file->getValue<std::string>("name"));
        const std::string link = transfer->getValue<std::string>("link");
        const std::string linkToken = link.substr(link.rfind('/') + 1);
        const std::string copy = dir_.file("copy.bin");
        std::string status;
        CPPUNIT_ASSERT_EQUAL(
            0, relais::test::runCommand(
                   "curl -s -o " + quote(copy) + " -w '%{http_code}' -H 'Host: " + acme.host +
                       "' http://127.0.0.1:" + std::to_string(port) + "/api/v1/public/transfers/" +
                       linkToken + "/files/" + file->getValue<std::string>("id"),
                   &status));
        CPPUNIT_ASSERT_EQUAL(std::string("200"), status);
        CPPUNIT_ASSERT_EQUAL(static_cast<std::uintmax_t>(size), std::filesystem::file_size(copy));
        CPPUNIT_ASSERT_EQUAL(sourceSha, sha256OfFile(copy));
    }

    void curlSendsAPatch() {
        World w(relais::test::productSettings(dir_, *db_));
        const auto port = w.port;
        const auto& acme = w.acme;
        const auto& token = w.token;
        const std::string content = relais::randomBytes(kMiB + 17);
        const std::string source = dir_.file("part.bin");
        relais::test::writeFile(source, content);
        const std::string id = [&] {
            auto created = call(port, acme.host, token, "POST", "/api/v1/uploads", "", "",
                                tusHeaders({{"Upload-Length", std::to_string(content.size())},
                                            {"Upload-Metadata", "filename " + b64("part.bin")}}));
            CPPUNIT_ASSERT_EQUAL(201, created.status);
            return created.header("location").substr(created.header("location").rfind('/') + 1);
        }();
        const std::string curl = "curl -s -D - -o /dev/null -H 'Host: " + acme.host + "' -H " +
                                 quote("Authorization: Bearer " + token) +
                                 " -H 'Tus-Resumable: 1.0.0' ";
        std::string out;
        CPPUNIT_ASSERT_EQUAL(
            0, relais::test::runCommand(curl +
                                            "-X PATCH -H 'Upload-Offset: 0' -H 'Content-Type: "
                                            "application/offset+octet-stream' "
                                            "--data-binary @" +
                                            quote(source) + " http://127.0.0.1:" +
                                            std::to_string(port) + "/api/v1/uploads/" + id,
                                        &out));
        // curl asks for 100 Continue first for a body this size: the final answer follows it.
        CPPUNIT_ASSERT_MESSAGE(out, out.find("HTTP/1.1 204 ") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            out, out.find("\nUpload-Offset: " + std::to_string(content.size()) + "\r") !=
                         std::string::npos ||
                     out.find("\nupload-offset: " + std::to_string(content.size()) + "\r") !=
                         std::string::npos);
        out.clear();
        CPPUNIT_ASSERT_EQUAL(
            0, relais::test::runCommand(
                   curl + "-I http://127.0.0.1:" + std::to_string(port) + "/api/v1/uploads/" + id,
                   &out));
        CPPUNIT_ASSERT_MESSAGE(out, out.rfind("HTTP/1.1 200", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(
            out, Poco::toLower(out).find("\nupload-offset: " + std::to_string(content.size()) +
                                         "\r") != std::string::npos);
        auto created =
            call(port, acme.host, token, "POST", "/api/v1/transfers",
                 R"({"recipients": ["paul@client.example"], "uploads": [")" + id + "\"]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(content), relais::test::jsonObject(created.body)
                                                             ->getArray("files")
                                                             ->getObject(0)
                                                             ->getValue<std::string>("sha256"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TusClientTest);

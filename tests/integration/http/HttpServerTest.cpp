#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "TestSupport.h"
#include "runtime/Runtime.h"

using relais::test::bodyOf;
using relais::test::http;
using relais::test::rawExchange;
using relais::test::statusOf;

namespace {

Poco::JSON::Object::Ptr json(const std::string& body) {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

// Every error answer has the RFC 9457 shape with a stable code.
void assertProblem(const relais::test::HttpResult& r, int status, const std::string& code) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
    CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json; charset=utf-8"),
                         r.header("content-type"));
    auto p = json(r.body);
    CPPUNIT_ASSERT_EQUAL(code, p->getValue<std::string>("code"));
    CPPUNIT_ASSERT_EQUAL(status, p->getValue<int>("status"));
    CPPUNIT_ASSERT(!p->getValue<std::string>("title").empty());
    CPPUNIT_ASSERT(!p->getValue<std::string>("detail").empty());
    CPPUNIT_ASSERT_EQUAL("urn:relais:problem:" + code, p->getValue<std::string>("type"));
    CPPUNIT_ASSERT_EQUAL(r.header("x-request-id"), p->getValue<std::string>("request_id"));
}

}  // namespace

// A real server on port 0, with the fixture plugins, called over loopback.
class HttpServerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HttpServerTest);
    CPPUNIT_TEST(healthzReportsDatabaseAndStorage);
    CPPUNIT_TEST(livezAnswersWithoutTheDatabase);
    CPPUNIT_TEST(everyResponseCarriesARequestId);
    CPPUNIT_TEST(unknownPathsAreProblems);
    CPPUNIT_TEST(otherMethodsAreMethodNotAllowed);
    CPPUNIT_TEST(jsonBodiesAreChecked);
    CPPUNIT_TEST(oversizeBodiesAreRefusedBeforeBeingRead);
    CPPUNIT_TEST(anOversizeChunkedBodyIsCutOff);
    CPPUNIT_TEST(largeBodiesStreamThroughAHandler);
    CPPUNIT_TEST(largeResponsesStreamChunked);
    CPPUNIT_TEST(aStreamThatFailsIsCutNotEnded);
    CPPUNIT_TEST(headHasNoBody);
    CPPUNIT_TEST(keepAliveServesSeveralRequestsOnOneConnection);
    CPPUNIT_TEST(keepAliveEndsAfterTheConfiguredNumberOfRequests);
    CPPUNIT_TEST(aHandlerFailureIsAnOpaque500);
    CPPUNIT_TEST(expectContinueWaitsForTheHandler);
    CPPUNIT_TEST(aSlowClientIsCutOffWhileOthersAreServed);
    CPPUNIT_TEST(anIdleConnectionIsClosedAfterTheHeaderTimeout);
    CPPUNIT_TEST(pluginMiddlewareRuns);
    CPPUNIT_TEST(stopLetsARequestInFlightFinish);
    CPPUNIT_TEST(theWebFrontEndIsServedWithItsHeaders);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;
    std::unique_ptr<relais::test::TestDatabase> db_;
    std::unique_ptr<relais::test::TestServer> server_;

    std::map<std::string, std::string> settings() {
        auto s = relais::test::fixtureSettings(dir_, *db_);
        s["http.header_timeout_ms"] = "1000";
        s["http.max_body_bytes"] = "1024";
        return s;
    }
    std::uint16_t port() const { return server_->port(); }

public:
    void setUp() override {
        db_ = std::make_unique<relais::test::TestDatabase>();
        server_ = std::make_unique<relais::test::TestServer>(settings());
    }
    void tearDown() override {
        server_.reset();
        db_.reset();
    }

    void healthzReportsDatabaseAndStorage() {
        auto r = http(port(), "GET", "/healthz");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        auto body = json(r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), body->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), body->getValue<std::string>("database"));
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), body->getValue<std::string>("storage"));
        CPPUNIT_ASSERT_EQUAL(std::string("0.1.0"), body->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(std::string("no-store"), r.header("cache-control"));
    }

    void livezAnswersWithoutTheDatabase() {
        auto r = http(port(), "GET", "/livez");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"ok\"}"), r.body);
    }

    void everyResponseCarriesARequestId() {
        auto a = http(port(), "GET", "/livez"), b = http(port(), "GET", "/nowhere");
        CPPUNIT_ASSERT_EQUAL(std::size_t{32}, a.header("x-request-id").size());
        CPPUNIT_ASSERT(a.header("x-request-id") != b.header("x-request-id"));
        // A proxy's id is kept when it looks like one; anything else is replaced.
        auto c = http(port(), "GET", "/livez", "", "", {{"X-Request-Id", "lb-2f9c1e77aa"}});
        CPPUNIT_ASSERT_EQUAL(std::string("lb-2f9c1e77aa"), c.header("x-request-id"));
        auto d = http(port(), "GET", "/livez", "", "", {{"X-Request-Id", "<script>"}});
        CPPUNIT_ASSERT(d.header("x-request-id") != "<script>");
        CPPUNIT_ASSERT_EQUAL(std::string("nosniff"), a.header("x-content-type-options"));
    }

    // The bundle of web/ (here a small one written by the test): the page shell at the paths of
    // pages.json with a strict CSP and no framing, hashed assets cached for a year, gzip when
    // asked; other paths and unknown assets stay 404 problems.
    void theWebFrontEndIsServedWithItsHeaders() {
        relais::test::TempDir web;
        std::filesystem::create_directories(web.file("assets"));
        auto write = [&](const std::string& name, const std::string& content) {
            std::ofstream(web.file(name), std::ios::binary) << content;
        };
        write("index.html", "<!doctype html><title>Relais</title><script type=module src=/assets/app-1.js></script>");
        write("pages.json", R"(["/", "/d/{token}"])");
        write("assets/app-1.js", "console.log('relais');");
        write("assets/app-1.js.gz", "not really gzip, but what the build wrote");
        auto s = settings();
        s["web.dir"] = web.path();
        relais::test::TestServer server(s);
        const auto p = server.port();

        for (const std::string path : {"/", "/d/abcdef"}) {
            auto page = http(p, "GET", path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 200, page.status);
            CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), page.header("content-type"));
            CPPUNIT_ASSERT(page.body.find("<title>Relais</title>") != std::string::npos);
            const std::string csp = page.header("content-security-policy");
            CPPUNIT_ASSERT_MESSAGE(csp, csp.find("script-src 'self'") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(csp, csp.find("frame-ancestors 'none'") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(csp, csp.find("unsafe-inline") == std::string::npos);
            CPPUNIT_ASSERT_EQUAL(std::string("DENY"), page.header("x-frame-options"));
            CPPUNIT_ASSERT_EQUAL(std::string("no-referrer"), page.header("referrer-policy"));
            CPPUNIT_ASSERT_EQUAL(std::string("no-cache"), page.header("cache-control"));
        }
        auto js = http(p, "GET", "/assets/app-1.js");
        CPPUNIT_ASSERT_EQUAL(200, js.status);
        CPPUNIT_ASSERT_EQUAL(std::string("console.log('relais');"), js.body);
        CPPUNIT_ASSERT_EQUAL(std::string("text/javascript; charset=utf-8"), js.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(std::string("public, max-age=31536000, immutable"), js.header("cache-control"));
        CPPUNIT_ASSERT(js.header("content-encoding").empty());
        auto gz = http(p, "GET", "/assets/app-1.js", "", "", {{"Accept-Encoding", "gzip, br"}});
        CPPUNIT_ASSERT_EQUAL(std::string("gzip"), gz.header("content-encoding"));
        CPPUNIT_ASSERT_EQUAL(std::string("not really gzip, but what the build wrote"), gz.body);
        assertProblem(http(p, "GET", "/assets/app-2.js"), 404, "not_found");
        assertProblem(http(p, "GET", "/assets/app-1.js.gz"), 404, "not_found");
        assertProblem(http(p, "GET", "/d"), 404, "not_found");
        // A browser gets the page (saying "page not found") with the same 404; the API never.
        auto page = http(p, "GET", "/nowhere", "", "", {{"Accept", "text/html,application/xhtml+xml"}});
        CPPUNIT_ASSERT_EQUAL(404, page.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), page.header("content-type"));
        CPPUNIT_ASSERT(!page.header("content-security-policy").empty());
        assertProblem(http(p, "GET", "/api/v1/nowhere", "", "", {{"Accept", "text/html"}}), 404, "not_found");
        assertProblem(http(p, "GET", "/d/a/b"), 404, "not_found");
        assertProblem(http(p, "POST", "/d/abcdef", "{}", "application/json"), 405, "method_not_allowed");
    }

    void unknownPathsAreProblems() {
        assertProblem(http(port(), "GET", "/api/v1/nothing-here"), 404, "not_found");
        assertProblem(http(port(), "GET", "/fixture/items/999"), 404, "not_found");
        assertProblem(http(port(), "GET", "/a/%zz"), 400, "invalid_path");
        assertProblem(http(port(), "GET", "/a/%00/b"), 400, "invalid_path");
        assertProblem(http(port(), "GET", "/fixture/../healthz"), 400, "invalid_path");
    }

    void otherMethodsAreMethodNotAllowed() {
        auto r = http(port(), "DELETE", "/healthz");
        assertProblem(r, 405, "method_not_allowed");
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), r.header("allow"));
    }

    void jsonBodiesAreChecked() {
        auto ok =
            http(port(), "POST", "/fixture/items", "{\"name\":\"dossier\"}", "application/json");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 201, ok.status);
        const std::string id = std::to_string(json(ok.body)->getValue<int>("id"));
        CPPUNIT_ASSERT_EQUAL(200, http(port(), "GET", "/fixture/items/" + id).status);
        assertProblem(http(port(), "POST", "/fixture/items", "{\"name\":", "application/json"), 400,
                      "invalid_json");
        assertProblem(http(port(), "POST", "/fixture/items", "[1,2]", "application/json"), 400,
                      "invalid_json");
        assertProblem(
            http(port(), "POST", "/fixture/items", "{\"name\":\"\xff\xfe\"}", "application/json"),
            400, "invalid_json");
        assertProblem(
            http(port(), "POST", "/fixture/items", "name=x", "application/x-www-form-urlencoded"),
            415, "unsupported_media_type");
        auto invalid = http(port(), "POST", "/fixture/items", "{\"name\":3}", "application/json");
        assertProblem(invalid, 400, "invalid_field");
        auto errors = json(invalid.body)->getArray("errors");
        CPPUNIT_ASSERT_EQUAL(std::string("name"),
                             errors->getObject(0)->getValue<std::string>("field"));
    }

    void oversizeBodiesAreRefusedBeforeBeingRead() {
        // 10 MB announced to a route that takes 1 KiB: refused from the headers alone.
        std::string raw = rawExchange(
            port(),
            "POST /fixture/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            "Content-Length: 10000000\r\n\r\n{\"name\":",
            5000);
        CPPUNIT_ASSERT_EQUAL(413, statusOf(raw));
        CPPUNIT_ASSERT(bodyOf(raw).find("\"code\":\"body_too_large\"") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(raw,
                               Poco::toLower(raw).find("connection: close") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, http(port(), "GET", "/livez").status);
    }

    void anOversizeChunkedBodyIsCutOff() {
        std::string chunk(800, 'a');
        std::string req =
            "POST /fixture/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 3; ++i)
            req += "320\r\n" + chunk + "\r\n";
        req += "0\r\n\r\n";
        std::string raw = rawExchange(port(), req, 5000);
        CPPUNIT_ASSERT_EQUAL(413, statusOf(raw));
    }

    void largeBodiesStreamThroughAHandler() {
        // 64 MiB through a route with its own limit, read in blocks by the handler.
        const std::size_t size = 64u << 20;
        Poco::Net::HTTPClientSession session("127.0.0.1", port());
        Poco::Net::HTTPRequest req("POST", "/fixture/discard", Poco::Net::HTTPMessage::HTTP_1_1);
        req.setContentLength64(size);
        std::ostream& out = session.sendRequest(req);
        std::string block(1 << 20, 'z');
        for (std::size_t sent = 0; sent < size; sent += block.size())
            out.write(block.data(), block.size());
        Poco::Net::HTTPResponse resp;
        std::istream& in = session.receiveResponse(resp);
        std::string body;
        Poco::StreamCopier::copyToString(in, body);
        CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(resp.getStatus()));
        CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(size),
                             json(body)->getValue<std::int64_t>("bytes"));
    }

    void largeResponsesStreamChunked() {
        auto r = http(port(), "GET", "/fixture/stream?size=5000000");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("chunked"), r.header("transfer-encoding"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{5000000}, r.body.size());
    }

    // A body that fails once under way ends without its last chunk: the client sees a cut
    // transfer, never a short body that looks complete (an export missing its end). The server
    // goes on serving.
    void aStreamThatFailsIsCutNotEnded() {
        const std::string raw = relais::test::rawExchange(
            port(), "GET /fixture/stream?size=200000&fail=1 HTTP/1.1\r\nHost: localhost\r\n\r\n", 5000, true);
        CPPUNIT_ASSERT_EQUAL(200, relais::test::statusOf(raw));
        CPPUNIT_ASSERT(raw.size() > 200000);
        CPPUNIT_ASSERT_MESSAGE("the chunked body was ended normally",
                               raw.find("\r\n0\r\n\r\n") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, http(port(), "GET", "/livez").status);
    }

    void headHasNoBody() {
        std::string raw = rawExchange(
            port(), "HEAD /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 3000);
        CPPUNIT_ASSERT_EQUAL(200, statusOf(raw));
        CPPUNIT_ASSERT(bodyOf(raw).empty());
        CPPUNIT_ASSERT(raw.find("Content-Length: 64") != std::string::npos);
    }

    void keepAliveServesSeveralRequestsOnOneConnection() {
        std::string req = "GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n";
        std::string raw = rawExchange(
            port(),
            req + req + "GET /livez HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 3000,
            true);
        std::size_t count = 0;
        for (std::size_t pos = raw.find("HTTP/1.1 200"); pos != std::string::npos;
             pos = raw.find("HTTP/1.1 200", pos + 1))
            ++count;
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, count);
    }

    void keepAliveEndsAfterTheConfiguredNumberOfRequests() {
        auto count = [](const std::string& raw) {
            std::size_t n = 0;
            for (auto pos = raw.find("HTTP/1.1 200"); pos != std::string::npos; pos = raw.find("HTTP/1.1 200", pos + 1)) ++n;
            return n;
        };
        const std::string req = "GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n";
        for (const auto& [max, expected] : std::vector<std::pair<std::string, std::size_t>>{{"2", 2}, {"0", 4}}) {
            relais::test::TempDir dir;
            relais::test::TestDatabase db;  // its own keys, under its own master key
            auto s = relais::test::fixtureSettings(dir, db);
            s["http.keepalive_max_requests"] = max;  // 0: no limit
            relais::test::TestServer server(s);
            std::string raw = rawExchange(server.port(), req + req + req + req, 1500, true);
            CPPUNIT_ASSERT_EQUAL_MESSAGE("max " + max, expected, count(raw));
            if (max == "2") CPPUNIT_ASSERT(Poco::toLower(raw).find("connection: close") != std::string::npos);
        }
    }

    void aHandlerFailureIsAnOpaque500() {
        auto r = http(port(), "GET", "/fixture/fail");
        assertProblem(r, 500, "internal_error");
        CPPUNIT_ASSERT(r.body.find("internal detail") == std::string::npos);
        CPPUNIT_ASSERT(r.body.find(r.header("x-request-id")) != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, http(port(), "GET", "/livez").status);
    }

    void expectContinueWaitsForTheHandler() {
        // A refused body is refused before the client sends it...
        std::string raw = rawExchange(
            port(),
            "POST /fixture/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
            "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n",
            2000);
        CPPUNIT_ASSERT_EQUAL(415, statusOf(raw));
        // ...and an accepted one is asked for with 100 Continue.
        Poco::Net::StreamSocket s;
        s.connect(Poco::Net::SocketAddress("127.0.0.1", port()));
        std::string head =
            "POST /fixture/discard HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: "
            "100-continue\r\n\r\n";
        s.sendBytes(head.data(), static_cast<int>(head.size()));
        char buf[512];
        s.setReceiveTimeout(Poco::Timespan(3, 0));
        int n = s.receiveBytes(buf, sizeof buf);
        CPPUNIT_ASSERT(n > 0);
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 100"), std::string(buf, 12));
        s.sendBytes("hello", 5);
        n = s.receiveBytes(buf, sizeof buf);
        CPPUNIT_ASSERT(std::string(buf, n).find("\"bytes\":5") != std::string::npos);
    }

    void aSlowClientIsCutOffWhileOthersAreServed() {
        Poco::Net::StreamSocket slow;
        slow.connect(Poco::Net::SocketAddress("127.0.0.1", port()));
        std::string head = "GET /livez HTTP/1.1\r\nHost: localhost\r\nX-Drip: ";
        auto start = std::chrono::steady_clock::now();
        std::string answer;
        slow.setReceiveTimeout(Poco::Timespan(0, 100000));
        // One byte every 100 ms: each read succeeds, but the whole head takes too long.
        for (int i = 0; i < 40 && answer.empty(); ++i) {
            try {
                slow.sendBytes(i < static_cast<int>(head.size()) ? &head[i] : "a", 1);
            } catch (const Poco::Exception&) {
            }
            if (i == 3)
                CPPUNIT_ASSERT_EQUAL(200,
                                     http(port(), "GET", "/livez").status);  // others are served
            try {
                char buf[1024];
                int n = slow.receiveBytes(buf, sizeof buf);
                if (n > 0)
                    answer.assign(buf, n);
                if (n == 0)
                    break;
            } catch (const Poco::TimeoutException&) {
            } catch (const Poco::Exception&) {
                break;
            }
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer, 408, statusOf(answer));
        CPPUNIT_ASSERT(answer.find("\"code\":\"request_timeout\"") != std::string::npos);
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
    }

    void anIdleConnectionIsClosedAfterTheHeaderTimeout() {
        std::string raw = rawExchange(port(), "", 5000);  // connects, says nothing
        CPPUNIT_ASSERT_EQUAL(408, statusOf(raw));
    }

    void pluginMiddlewareRuns() {
        CPPUNIT_ASSERT_EQUAL(std::string("yes"),
                             http(port(), "GET", "/fixture/hello").header("x-fixture-middleware"));
    }

    void stopLetsARequestInFlightFinish() {
        // A 32 MiB response is being read slowly when the server is asked to stop.
        Poco::Net::HTTPClientSession session("127.0.0.1", port());
        Poco::Net::HTTPRequest req("GET", "/fixture/stream?size=33554432",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(req);
        Poco::Net::HTTPResponse resp;
        std::istream& in = session.receiveResponse(resp);
        std::thread stopper([&] { server_->runtime().stop(); });
        std::size_t total = 0;
        char buf[65536];
        while (in.read(buf, sizeof buf) || in.gcount() > 0) {
            total += static_cast<std::size_t>(in.gcount());
            if (total < (1u << 20))
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        stopper.join();
        CPPUNIT_ASSERT_EQUAL(std::size_t{33554432}, total);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HttpServerTest);

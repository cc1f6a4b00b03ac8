#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>
#include <cppunit/extensions/HelperMacros.h>

#include "TestSupport.h"
#include "runtime/Runtime.h"

namespace {

// A client that trusts the test certificate and speaks only the given protocols.
Poco::Net::Context::Ptr client(const std::string& caFile, int disabled, bool allowLegacy = false) {
    Poco::Net::Context::Params p;
    p.caLocation = caFile;
    p.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    p.loadDefaultCAs = false;
    // OpenSSL's own floor would refuse TLS 1.1 on the client side; lower it, so that only the
    // server can be the one saying no.
    if (allowLegacy)
        p.cipherList = "DEFAULT:@SECLEVEL=0";
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
    ctx->disableProtocols(static_cast<Poco::Net::Context::Protocols>(disabled));
    return ctx;
}

int get(std::uint16_t port, Poco::Net::Context::Ptr ctx, std::string* hsts = nullptr) {
    // An address, not a name: a minimal system may have no /etc/hosts to resolve localhost.
    Poco::Net::HTTPSClientSession session("127.0.0.1", port, ctx);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req("GET", "/livez", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(resp), body);
    if (hsts)
        *hsts = resp.get("Strict-Transport-Security", "");
    return resp.getStatus();
}

}  // namespace

// HTTPS with a certificate the test makes itself: TLS 1.2 and 1.3 are served, older ones refused.
class TlsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TlsTest);
    CPPUNIT_TEST(servesTls13AndTls12WithHsts);
    CPPUNIT_TEST(refusesTls11AndTls10);
    CPPUNIT_TEST(refusesPlainHttpOnTheTlsPort);
    CPPUNIT_TEST(anUnreadableCertificateStopsStartUp);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;
    std::unique_ptr<relais::test::TestDatabase> db_;
    std::unique_ptr<relais::test::TestServer> server_;
    relais::test::Certificate cert_;

public:
    void setUp() override {
        cert_ = relais::test::makeCertificate(dir_);
        db_ = std::make_unique<relais::test::TestDatabase>();
        auto s = relais::test::baseSettings(dir_, *db_);
        s["tls.enabled"] = "true";
        s["tls.cert"] = cert_.certFile;
        s["tls.key"] = cert_.keyFile;
        server_ = std::make_unique<relais::test::TestServer>(s);
    }
    void tearDown() override {
        server_.reset();
        db_.reset();
    }

    void servesTls13AndTls12WithHsts() {
        using C = Poco::Net::Context;
        std::string hsts;
        CPPUNIT_ASSERT_EQUAL(
            200, get(server_->port(),
                     client(cert_.certFile, C::PROTO_TLSV1 | C::PROTO_TLSV1_1 | C::PROTO_TLSV1_2),
                     &hsts));
        CPPUNIT_ASSERT_EQUAL(std::string("max-age=31536000"), hsts);
        CPPUNIT_ASSERT_EQUAL(
            200, get(server_->port(),
                     client(cert_.certFile, C::PROTO_TLSV1 | C::PROTO_TLSV1_1 | C::PROTO_TLSV1_3)));
        CPPUNIT_ASSERT(server_->runtime().baseUrl().rfind("https://", 0) == 0);
    }

    void refusesTls11AndTls10() {
        using C = Poco::Net::Context;
        CPPUNIT_ASSERT_THROW(
            get(server_->port(),
                client(cert_.certFile, C::PROTO_TLSV1 | C::PROTO_TLSV1_2 | C::PROTO_TLSV1_3, true)),
            Poco::Exception);
        CPPUNIT_ASSERT_THROW(
            get(server_->port(),
                client(cert_.certFile, C::PROTO_TLSV1_1 | C::PROTO_TLSV1_2 | C::PROTO_TLSV1_3,
                       true)),
            Poco::Exception);
        // And the server is still there for a modern client.
        CPPUNIT_ASSERT_EQUAL(200, get(server_->port(), client(cert_.certFile, 0)));
    }

    void refusesPlainHttpOnTheTlsPort() {
        std::string raw = relais::test::rawExchange(
            server_->port(), "GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n", 3000);
        CPPUNIT_ASSERT(raw.find("HTTP/1.1 200") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, get(server_->port(), client(cert_.certFile, 0)));
    }

    void anUnreadableCertificateStopsStartUp() {
        relais::test::TempDir other;
        relais::test::TestDatabase db;
        auto s = relais::test::baseSettings(other, db);
        s["tls.enabled"] = "true";
        s["tls.cert"] = other.file("missing.pem");
        s["tls.key"] = other.file("missing.key");
        try {
            relais::test::TestServer broken(s);
            CPPUNIT_FAIL("started without its certificate");
        } catch (const relais::StartupError& e) {
            CPPUNIT_ASSERT_MESSAGE(
                e.what(), std::string(e.what()).find("cannot listen on") != std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TlsTest);

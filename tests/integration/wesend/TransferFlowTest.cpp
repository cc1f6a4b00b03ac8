// The main journey of WeSend through the API: upload with tus, send to recipients, each
// recipient's mail carries their own link, the public side lists and serves the files (Range,
// ZIP), the sender sees the tracking and revokes the link.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>

#include "WesendSupport.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "runtime/Runtime.h"

using relais::test::call;
using relais::test::problemCode;
using namespace relais::test::wesend;

class TransferFlowTest : public relais::test::DatabaseFixture {
    CPPUNIT_TEST_SUITE(TransferFlowTest);
    CPPUNIT_TEST(sendDownloadTrackRevoke);
    CPPUNIT_TEST_SUITE_END();

public:

    void sendDownloadTrackRevoke() {
        auto settings = relais::test::productSettings(dir_, *db_);
        relais::test::TestServer server(settings);
        auto& rt = server.runtime();
        const auto port = server.port();
        auto acme = relais::test::createTenant(rt, "acme", "pro");
        auto user = relais::test::createUser(rt, acme.id, "user", "marie@acme.example");
        const auto session = relais::test::login(port, acme.host, user.email);

        const std::string big = relais::randomBytes(3 * 1024 * 1024 + 5);
        const std::string a = upload(port, acme.host, session.token, "Bonjour\n", "notes.txt");
        const std::string b = upload(port, acme.host, session.token, big, "../../etc/données.bin", "application/octet-stream");
        auto created = call(port, acme.host, session.token, "POST", "/api/v1/transfers",
                            R"({"recipients": ["paul@client.example"], "subject": "Dossier", "message": "Voici",
                                "uploads": [")" + a + "\", \"" + b + R"("], "notify_on_download": true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        auto t = relais::test::jsonObject(created.body);
        const std::string link = t->getValue<std::string>("link");
        CPPUNIT_ASSERT_MESSAGE(link, link.find("http://acme.localhost") == 0 && link.find("/d/") != std::string::npos);
        auto files = t->getArray("files");
        CPPUNIT_ASSERT_EQUAL(2u, static_cast<unsigned>(files->size()));
        CPPUNIT_ASSERT_EQUAL(std::string("données.bin"), files->getObject(1)->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex(big), files->getObject(1)->getValue<std::string>("sha256"));
        const std::string token = link.substr(link.rfind('/') + 1);

        auto pub = call(port, acme.host, "", "GET", "/api/v1/public/transfers/" + token);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pub.body, 200, pub.status);
        const std::string fileB = files->getObject(1)->getValue<std::string>("id");
        auto whole = call(port, acme.host, "", "GET", "/api/v1/public/transfers/" + token + "/files/" + fileB);
        CPPUNIT_ASSERT_EQUAL(200, whole.status);
        CPPUNIT_ASSERT(whole.body == big);
        CPPUNIT_ASSERT(whole.header("content-disposition").find("filename*=UTF-8''donn%C3%A9es.bin") != std::string::npos);
        auto part = call(port, acme.host, "", "GET", "/api/v1/public/transfers/" + token + "/files/" + fileB, "", "",
                         {{"Range", "bytes=100-199"}});
        CPPUNIT_ASSERT_EQUAL(206, part.status);
        CPPUNIT_ASSERT(part.body == big.substr(100, 100));
        auto zip = call(port, acme.host, "", "GET", "/api/v1/public/transfers/" + token + "/zip");
        CPPUNIT_ASSERT_EQUAL(200, zip.status);
        const std::string zipPath = dir_.file("t.zip");
        relais::test::writeFile(zipPath, zip.body);
        CPPUNIT_ASSERT_EQUAL(0, std::system(("unzip -tq " + zipPath + " >/dev/null").c_str()));

        auto detail = call(port, acme.host, session.token, "GET", "/api/v1/transfers/" + t->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(200, detail.status);
        const auto events = relais::test::jsonObject(detail.body)->getArray("events");
        std::string actions;
        for (std::size_t i = 0; i < events->size(); ++i) actions += events->getObject(i)->getValue<std::string>("action") + ",";
        CPPUNIT_ASSERT_MESSAGE(actions, actions.find("created,") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(actions, actions.find("link_opened,") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(actions, actions.find("file_downloaded,") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(actions, actions.find("zip_downloaded,") != std::string::npos);

        CPPUNIT_ASSERT_EQUAL(204, call(port, acme.host, session.token, "DELETE", "/api/v1/transfers/" + t->getValue<std::string>("id")).status);
        auto gone = call(port, acme.host, "", "GET", "/api/v1/public/transfers/" + token);
        CPPUNIT_ASSERT_EQUAL(410, gone.status);
        CPPUNIT_ASSERT_EQUAL(std::string("link_expired"), problemCode(gone));
        auto unknown = call(port, acme.host, "", "GET", "/api/v1/public/transfers/" + relais::randomToken(32));
        CPPUNIT_ASSERT_EQUAL(404, unknown.status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TransferFlowTest);

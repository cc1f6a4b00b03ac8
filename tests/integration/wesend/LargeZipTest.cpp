// A transfer whose ZIP passes 4 GiB, end to end: a 5 GiB file uploaded with tus (one chunked
// PATCH from curl), then the ZIP of the transfer downloaded through its link to disk, and read
// by Info-ZIP unzip and Python's zipfile. Label: slow (a few minutes, about 10 GB of disk for
// the length of the test: the stored, encrypted file and the downloaded ZIP).
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>

#include "WesendSupport.h"
#include "relais/Random.h"

using relais::test::call;
using relais::test::runCommand;
using namespace relais::test::wesend;

class LargeZipTest : public relais::test::DatabaseFixture {
    CPPUNIT_TEST_SUITE(LargeZipTest);
    CPPUNIT_TEST(zipOfAFiveGibFile);
    CPPUNIT_TEST_SUITE_END();

public:

    void zipOfAFiveGibFile() {
        const std::int64_t size = 5LL * 1024 * 1024 * 1024 + 123;
        World w(relais::test::productSettings(dir_, *db_));
        const std::string base = "http://127.0.0.1:" + std::to_string(w.port);
        const std::string auth = "-H 'Host: " + w.acme.host + "' -H 'Authorization: Bearer " + w.token + "'";

        auto created = call(w.port, w.acme.host, w.token, "POST", "/api/v1/uploads", "", "",
                            tusHeaders({{"Upload-Length", std::to_string(size)},
                                        {"Upload-Metadata", "filename " + b64("grand.bin")}}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const std::string location = created.header("location");
        // A pattern that is not all zeros, so that misplaced blocks would show in the CRC.
        std::string out;
        const int patched = runCommand(
            "python3 -c \"import sys; b = bytes((i * 31 + (i >> 8)) & 255 for i in range(1 << 20)); n = " +
                std::to_string(size) +
                "\nwhile n > 0:\n    k = min(n, len(b)); sys.stdout.buffer.write(b[:k]); n -= k\" | "
                "curl -sS -o /dev/null -w '%{http_code}' -X PATCH " + auth +
                " -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' -H 'Content-Type: application/offset+octet-stream'"
                " -T - " + base + location,
            &out);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, patched);
        CPPUNIT_ASSERT_EQUAL(std::string("204"), out);
        const std::string small = upload(w.port, w.acme.host, w.token, "petit\n", "grand.bin");

        auto t = call(w.port, w.acme.host, w.token, "POST", "/api/v1/transfers",
                      R"({"uploads": [")" + location.substr(location.rfind('/') + 1) + "\", \"" + small + "\"]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(t.body, 201, t.status);
        const std::string link = relais::test::jsonObject(t.body)->getValue<std::string>("link");
        const std::string token = link.substr(link.rfind('/') + 1);

        const std::string zip = dir_.file("grand.zip");
        out.clear();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0,
                                     runCommand("curl -sS -f -o " + zip + " -H 'Host: " + w.acme.host + "' " + base +
                                                    "/api/v1/public/transfers/" + token + "/zip",
                                                &out));
        out.clear();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, runCommand("unzip -t " + zip + " 2>&1", &out));
        CPPUNIT_ASSERT_MESSAGE(out, out.find("No errors detected") != std::string::npos);
        out.clear();
        // Python reads every entry and checks its CRC; the names are unique; the sizes are right.
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            out, 0,
            runCommand("python3 -c \"import zipfile, sys; z = zipfile.ZipFile(sys.argv[1]); "
                       "assert z.testzip() is None; "
                       "s = sorted((i.filename, i.file_size) for i in z.infolist()); "
                       "assert s == [('grand (2).bin', 6), ('grand.bin', " + std::to_string(size) + ")], s\" " + zip +
                           " 2>&1",
                       &out));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LargeZipTest);

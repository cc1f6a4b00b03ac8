// Why Relais writes its ZIPs with its own ZipWriter rather than POCO Zip (issue 5 asks for a
// maintained library if it can stream, checked by a test; this is that test).
//
// POCO Zip 1.11 (Debian 12) does stream: Compress(out, seekableOut = false, forceZip64 = true)
// writes stored entries with data descriptors and ZIP64 fields to a stream that cannot seek,
// and Info-ZIP unzip, 7-Zip and Python read a 4 GiB entry from it (checked by hand on
// 2026-11-26). But it marks every entry as made on MS-DOS while it sets the UTF-8 flag, and
// Debian's Info-ZIP unzip then reads the names of the central directory through the DOS code
// page: a name with an accent ("données.txt", the rule in a French product) no longer matches
// its local header, and `unzip -t` ends with a warning (exit 1). Users unzip with it.
// ZipWriter writes Unix as the maker, and the same archive tests clean.
//
// If this test starts failing because POCO's archive tests clean, POCO Zip has become usable
// for Relais: switch to it and drop ZipWriter.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <fstream>
#include <sstream>
#include <streambuf>

#include "TestSupport.h"
#include "relais/ZipWriter.h"

namespace {

// A file written through a stream that cannot seek, as an HTTP response.
class NoSeekFile final : public std::streambuf {
public:
    explicit NoSeekFile(const std::string& path) : file_(path, std::ios::binary) {}

protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        file_.write(s, n);
        return file_ ? n : 0;
    }
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) file_.put(traits_type::to_char_type(c));
        return file_ ? traits_type::not_eof(c) : traits_type::eof();
    }

private:
    std::ofstream file_;
};

const char* kName = "donn\xC3\xA9" "es.txt";  // données.txt
const char* kContent = "Compte rendu de la r\xC3\xA9union\n";

}  // namespace

class ZipLibraryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ZipLibraryTest);
    CPPUNIT_TEST(accentedNamesTestCleanOnlyWithZipWriter);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;

public:
    void accentedNamesTestCleanOnlyWithZipWriter() {
        const std::string poco = dir_.file("poco.zip");
        {
            NoSeekFile sink(poco);
            std::ostream out(&sink);
            Poco::Zip::Compress zip(out, false, true);
            std::istringstream in(kContent);
            zip.addFile(in, Poco::DateTime(), Poco::Path(kName, Poco::Path::PATH_UNIX), Poco::Zip::ZipCommon::CM_STORE);
            zip.close();
        }
        const std::string ours = dir_.file("zipwriter.zip");
        {
            NoSeekFile sink(ours);
            std::ostream out(&sink);
            relais::ZipWriter zip(out);
            zip.addEntry(kName, kContent, 1795694865123);
            zip.finish();
        }
        std::string output;
        // Both archives hold the right bytes under the right name for Python...
        for (const auto& path : {poco, ours}) {
            output.clear();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                output, 0,
                relais::test::runCommand("python3 -c \"import zipfile, sys; z = zipfile.ZipFile(sys.argv[1]); "
                                         "assert z.namelist() == ['donn\\u00e9es.txt'], z.namelist(); "
                                         "assert z.read('donn\\u00e9es.txt').decode() == 'Compte rendu de la "
                                         "r\\u00e9union\\n'\" " + path + " 2>&1",
                                         &output));
        }
        // ...but Info-ZIP unzip warns about POCO's, and not about ZipWriter's.
        output.clear();
        const int pocoStatus = relais::test::runCommand("unzip -t " + poco + " 2>&1", &output);
        CPPUNIT_ASSERT_MESSAGE(output, pocoStatus != 0);
        CPPUNIT_ASSERT_MESSAGE(output, output.find("mismatching \"local\" filename") != std::string::npos);
        output.clear();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(output, 0, relais::test::runCommand("unzip -t " + ours + " 2>&1", &output));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ZipLibraryTest);

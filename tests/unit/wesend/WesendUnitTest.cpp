// The pure parts of the WeSend module: file-name neutralisation, tus header grammar, Range
// parsing, Content-Disposition, ZIP entry names, and the documentation of its settings.
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "../../../plugins/wesend/src/Downloads.h"
#include "../../../plugins/wesend/src/FileNames.h"
#include "../../../plugins/wesend/src/Mails.h"
#include "../../../plugins/wesend/src/TusProtocol.h"
#include "../../../plugins/wesend/src/WesendSettings.h"
#include "TestSupport.h"
#include "relais/Config.h"
#include "relais/Problem.h"

using namespace relais::plugins::wesend;

namespace {

int statusOf(const std::function<void()>& fn, std::string* code = nullptr) {
    try {
        fn();
    } catch (const relais::Problem& p) {
        if (code) *code = p.code();
        return p.status();
    }
    return 0;
}

}  // namespace

class WesendUnitTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WesendUnitTest);
    CPPUNIT_TEST(fileNamesAreMetadataNeverPaths);
    CPPUNIT_TEST(utf8IsStrict);
    CPPUNIT_TEST(metadataFollowsTheTusGrammar);
    CPPUNIT_TEST(checksumHeaders);
    CPPUNIT_TEST(sizesAreDigitsOnly);
    CPPUNIT_TEST(ranges);
    CPPUNIT_TEST(contentDispositionCarriesTheUtf8Name);
    CPPUNIT_TEST(zipEntryNamesAreUnique);
    CPPUNIT_TEST(frenchSizes);
    CPPUNIT_TEST(shippedConfigurationDocumentsEveryKey);
    CPPUNIT_TEST_SUITE_END();

public:
    void fileNamesAreMetadataNeverPaths() {
        std::string why;
        CPPUNIT_ASSERT_EQUAL(std::string("passwd"), sanitiseFileName("../../etc/passwd", why));
        CPPUNIT_ASSERT_EQUAL(std::string("y.txt"), sanitiseFileName("C:\\x\\y.txt", why));
        CPPUNIT_ASSERT_EQUAL(std::string("fichier"), sanitiseFileName("..", why));
        CPPUNIT_ASSERT_EQUAL(std::string("fichier"), sanitiseFileName("", why));
        CPPUNIT_ASSERT_EQUAL(std::string("a_b_.txt"), sanitiseFileName("a<b>.txt", why));
        CPPUNIT_ASSERT_EQUAL(std::string("bashrc"), sanitiseFileName(".bashrc", why));
        CPPUNIT_ASSERT_EQUAL(std::string("Relevé de compte.pdf"), sanitiseFileName("Relevé de compte.pdf", why));
        CPPUNIT_ASSERT(why.empty());
        CPPUNIT_ASSERT(sanitiseFileName(std::string("a\0b", 3), why).empty());
        CPPUNIT_ASSERT(!why.empty());
        CPPUNIT_ASSERT(sanitiseFileName("a\nb", why).empty());
        CPPUNIT_ASSERT(sanitiseFileName("\xC0\xAF", why).empty());
        CPPUNIT_ASSERT(sanitiseFileName(std::string(256, 'a'), why).empty());
        CPPUNIT_ASSERT_EQUAL(std::string(255, 'a'), sanitiseFileName(std::string(255, 'a'), why));
        CPPUNIT_ASSERT_EQUAL(std::string("image/svg+xml"), sanitiseMediaType("Image/SVG+xml; charset=x"));
        CPPUNIT_ASSERT_EQUAL(std::string(), sanitiseMediaType("text/html\r\nX: y"));
        CPPUNIT_ASSERT_EQUAL(std::string(), sanitiseMediaType("nothing"));
    }

    void utf8IsStrict() {
        using relais::isValidUtf8;  // the kernel's, which file names are checked with
        CPPUNIT_ASSERT(isValidUtf8("é€😀"));
        CPPUNIT_ASSERT(!isValidUtf8("\xC0\xAF"));          // overlong '/'
        CPPUNIT_ASSERT(!isValidUtf8("\xE0\x80\xAF"));      // overlong, 3 bytes
        CPPUNIT_ASSERT(!isValidUtf8("\xED\xA0\x80"));      // a surrogate
        CPPUNIT_ASSERT(!isValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
        CPPUNIT_ASSERT(!isValidUtf8("\xC3"));              // truncated
    }

    void metadataFollowsTheTusGrammar() {
        auto m = tus::parseMetadata("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential,filetype YXBwbGljYXRpb24vcGRm");
        CPPUNIT_ASSERT_EQUAL(std::string("world_domination_plan.pdf"), m.get("filename"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/pdf"), m.get("filetype"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, m.pairs.size());
        CPPUNIT_ASSERT(tus::parseMetadata("").pairs.empty());
        std::string code;
        CPPUNIT_ASSERT_EQUAL(400, statusOf([] { tus::parseMetadata("filename %%%"); }, &code));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_metadata"), code);
        CPPUNIT_ASSERT_EQUAL(400, statusOf([] { tus::parseMetadata("a YQ==,a Yg=="); }));
        CPPUNIT_ASSERT_EQUAL(400, statusOf([] { tus::parseMetadata("a YQ==,,b"); }));
    }

    void checksumHeaders() {
        auto c = tus::parseChecksum("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=");
        CPPUNIT_ASSERT_EQUAL(std::string("sha1"), c.algorithm);
        CPPUNIT_ASSERT_EQUAL(std::size_t{20}, c.digest.size());
        std::string code;
        CPPUNIT_ASSERT_EQUAL(400, statusOf([] { tus::parseChecksum("md5 1B2M2Y8AsgTpgAmY7PhCfg=="); }, &code));
        CPPUNIT_ASSERT_EQUAL(std::string("checksum_algorithm_unsupported"), code);
        CPPUNIT_ASSERT_EQUAL(400, statusOf([] { tus::parseChecksum("sha256 Kq5sNclPz7QV2+lfQIuc6R7oRu0="); }, &code));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_header"), code);
        tus::ChunkHasher h("sha1");
        h.update("hello world", 11);
        CPPUNIT_ASSERT(h.digest() == c.digest);
    }

    void sizesAreDigitsOnly() {
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, tus::parseSize("0", "Upload-Offset"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5368709120}, tus::parseSize("5368709120", "Upload-Length"));
        for (const char* bad : {"-1", "", "1e3", " 1", "0x10", "9999999999999999999"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, 400, statusOf([&] { tus::parseSize(bad, "Upload-Offset"); }));
    }

    void ranges() {
        auto r = parseRange("bytes=0-99", 1000);
        CPPUNIT_ASSERT(r.partial && r.start == 0 && r.end == 100);
        r = parseRange("bytes=900-", 1000);
        CPPUNIT_ASSERT(r.partial && r.start == 900 && r.end == 1000);
        r = parseRange("bytes=-100", 1000);
        CPPUNIT_ASSERT(r.partial && r.start == 900 && r.end == 1000);
        r = parseRange("bytes=500-5000", 1000);
        CPPUNIT_ASSERT(r.partial && r.end == 1000);
        r = parseRange("bytes=0-1,5-6", 1000);  // several ranges: the whole file
        CPPUNIT_ASSERT(!r.partial && r.end == 1000);
        r = parseRange("items=0-1", 1000);
        CPPUNIT_ASSERT(!r.partial);
        std::string code;
        CPPUNIT_ASSERT_EQUAL(416, statusOf([] { parseRange("bytes=1000-", 1000); }, &code));
        CPPUNIT_ASSERT_EQUAL(std::string("range_not_satisfiable"), code);
    }

    void contentDispositionCarriesTheUtf8Name() {
        CPPUNIT_ASSERT_EQUAL(std::string("attachment; filename=\"Relev_ de compte.pdf\"; "
                                         "filename*=UTF-8''Relev%C3%A9%20de%20compte.pdf"),
                             contentDisposition("Relevé de compte.pdf"));
        CPPUNIT_ASSERT(contentDisposition("a\"b.txt").find("filename=\"a_b.txt\"") != std::string::npos);
    }

    void zipEntryNamesAreUnique() {
        std::set<std::string> used;
        CPPUNIT_ASSERT_EQUAL(std::string("a.txt"), uniqueEntryName("a.txt", used));
        CPPUNIT_ASSERT_EQUAL(std::string("A (2).txt"), uniqueEntryName("A.txt", used));
        CPPUNIT_ASSERT_EQUAL(std::string("a (3).txt"), uniqueEntryName("a.txt", used));
        CPPUNIT_ASSERT_EQUAL(std::string("notes"), uniqueEntryName("notes", used));
        CPPUNIT_ASSERT_EQUAL(std::string("notes (2)"), uniqueEntryName("notes", used));
    }

    void frenchSizes() {
        CPPUNIT_ASSERT_EQUAL(std::string("1,5 Mo"), mails::formatSize(1500000, true));
        CPPUNIT_ASSERT_EQUAL(std::string("1.5 MB"), mails::formatSize(1500000, false));
        CPPUNIT_ASSERT_EQUAL(std::string("812 o"), mails::formatSize(812, true));
    }

    void shippedConfigurationDocumentsEveryKey() {
        std::ifstream in(relais::test::sourceDir() + "/config/relais.properties");
        std::map<std::string, std::string> file;
        std::string line;
        const std::regex kv(R"(^\s*([a-z0-9_.]+)\s*=\s*(.*?)\s*$)");
        std::smatch m;
        while (std::getline(in, line))
            if (std::regex_match(line, m, kv)) file[m[1]] = m[2];
        relais::ConfigSchema schema;
        WesendSettings::declare(schema);
        for (const auto& s : schema.settings()) {
            auto it = file.find(s.key);
            CPPUNIT_ASSERT_MESSAGE("config/relais.properties does not document " + s.key, it != file.end());
            CPPUNIT_ASSERT_EQUAL_MESSAGE("default of " + s.key, s.defaultValue, it->second);
        }
        for (const auto& [k, v] : file)
            if (k.rfind("wesend.", 0) == 0)
                CPPUNIT_ASSERT_MESSAGE("undeclared " + k, schema.find(k) != nullptr);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WesendUnitTest);

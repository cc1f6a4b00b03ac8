#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "relais/Random.h"
#include "relais/ZipWriter.h"

// Archives written by ZipWriter, checked with the readers users have: Info-ZIP unzip, 7-Zip
// (p7zip's 7z) and Python's zipfile. The entry over 4 GiB is in ZipWriterLargeTest.cpp.

namespace {

using relais::test::runCommand;
using relais::test::TempDir;

const std::int64_t kMeetingMs = 1795694865123;  // 2026-11-26T12:07:45.123Z

std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Prints one line per entry: name, size, compressed size, CRC-32 in hex, whether the CRC of the
// bytes read matches, their SHA-256, the date and time; then "count N" and "testzip None".
const char* const kListScript = R"PY(
import hashlib, sys, zipfile, zlib
out = sys.stdout.buffer
with zipfile.ZipFile(sys.argv[1]) as zf:
    infos = zf.infolist()
    for info in infos:
        data = zf.read(info)
        line = "%s\t%d\t%d\t%08x\t%s\t%s\t%04d-%02d-%02d %02d:%02d:%02d\n" % (
            (info.filename, info.file_size, info.compress_size, info.CRC,
             "crc-ok" if zlib.crc32(data) == info.CRC else "crc-BAD",
             hashlib.sha256(data).hexdigest()) + info.date_time)
        out.write(line.encode("utf-8"))
    out.write(("count %d\ntestzip %s\n" % (len(infos), zf.testzip())).encode("utf-8"))
)PY";

struct PyEntry {
    std::uint64_t size = 0;
    std::uint64_t compressedSize = 0;
    std::string crc;
    std::string crcCheck;
    std::string sha256;
    std::string dateTime;
};

struct PyListing {
    std::vector<std::string> names;  // in archive order
    std::map<std::string, PyEntry> entries;
    std::string tail;  // the count and testzip lines
};

PyListing pythonList(const TempDir& dir, const std::string& archive) {
    const std::string script = dir.file("list.py");
    relais::test::writeFile(script, kListScript);
    std::string out;
    const int rc =
        runCommand("/usr/bin/python3 " + shellQuote(script) + " " + shellQuote(archive), &out);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out.substr(0, 2000), 0, rc);
    PyListing listing;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<std::string> f;
        std::istringstream fields(line);
        std::string field;
        while (std::getline(fields, field, '\t'))
            f.push_back(field);
        if (f.size() != 7) {
            listing.tail += line + "\n";
            continue;
        }
        PyEntry e;
        e.size = std::stoull(f[1]);
        e.compressedSize = std::stoull(f[2]);
        e.crc = f[3];
        e.crcCheck = f[4];
        e.sha256 = f[5];
        e.dateTime = f[6];
        listing.names.push_back(f[0]);
        listing.entries[f[0]] = e;
    }
    return listing;
}

void assertUnzipTestPasses(const std::string& archive) {
    std::string out;
    const int rc = runCommand("LC_ALL=C.UTF-8 unzip -t " + shellQuote(archive), &out);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out.substr(0, 4000), 0, rc);
    CPPUNIT_ASSERT_MESSAGE(out.substr(0, 4000),
                           out.find("No errors detected in compressed data") != std::string::npos);
}

void assert7zTestPasses(const std::string& archive) {
    std::string out;
    const int rc = runCommand("LC_ALL=C.UTF-8 7z t " + shellQuote(archive), &out);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, rc);
    CPPUNIT_ASSERT_MESSAGE(out, out.find("Everything is Ok") != std::string::npos);
    // Header inconsistencies are warnings for 7-Zip; they must not appear either.
    CPPUNIT_ASSERT_MESSAGE(out, out.find("WARNING") == std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(out, out.find("Headers Error") == std::string::npos);
}

std::string allByteValues(std::size_t size) {
    std::string s(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        s[i] = static_cast<char>((i * 7 + i / 256) & 0xFF);
    return s;
}

std::string pseudoRandomBytes(std::size_t size, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s(size, '\0');
    for (char& c : s)
        c = static_cast<char>(gen() & 0xFF);
    return s;
}

// A stream buffer without a buffer of its own that counts what reaches it and can fail after a
// given number of bytes, like a connection that drops.
class CountingBuf : public std::streambuf {
public:
    explicit CountingBuf(std::uint64_t failAfter = UINT64_MAX) : failAfter_(failAfter) {}
    std::uint64_t received() const { return received_; }

protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (received_ + static_cast<std::uint64_t>(n) > failAfter_)
            return 0;
        received_ += static_cast<std::uint64_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof()))
            return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
    }

private:
    std::uint64_t failAfter_;
    std::uint64_t received_ = 0;
};

std::int64_t mtimeOf(const std::string& path) {
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 0, ::stat(path.c_str(), &st));
    return st.st_mtime;
}

}  // namespace

class ZipWriterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ZipWriterTest);
    CPPUNIT_TEST(entriesReadBackByteForByteInAllThreeReaders);
    CPPUNIT_TEST(interruptedArchiveIsRefusedButItsCompleteEntriesRecoverable);
    CPPUNIT_TEST(emptyArchiveAndEmptyEntriesAreValid);
    CPPUNIT_TEST(seventyThousandEntriesNeedTheZip64Count);
    CPPUNIT_TEST(datesAreUtcAndClampedToTheDosRange);
    CPPUNIT_TEST(invalidNamesAreRefusedAndTheArchiveGoesOn);
    CPPUNIT_TEST(declaredSizesAreHeldTo);
    CPPUNIT_TEST(callsOutOfOrderAreLogicErrors);
    CPPUNIT_TEST(bytesReachTheStreamAsTheyAreWritten);
    CPPUNIT_TEST(streamFailuresSurfaceAsRuntimeErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void entriesReadBackByteForByteInAllThreeReaders() {
        TempDir dir;
        const std::string archive = dir.file("export.zip");
        const std::map<std::string, std::string> files = {
            {"readme.txt", "Relais export\n"},
            {"Compte rendu réunion.pdf", allByteValues(70001)},
            {"dossier/sous-dossier/données.bin", pseudoRandomBytes(1 << 20 | 3, 1)},
            {"vide.txt", ""},
            {"日本語/ファイル.txt", "utf-8 everywhere"},
        };
        {
            std::ofstream out(archive, std::ios::binary);
            relais::ZipWriter zip(out);
            zip.addEntry("readme.txt", files.at("readme.txt"), kMeetingMs);
            zip.addEntry("Compte rendu réunion.pdf", files.at("Compte rendu réunion.pdf"),
                         kMeetingMs);
            // Streamed in uneven pieces, as a file store hands them out.
            const std::string& big = files.at("dossier/sous-dossier/données.bin");
            zip.beginEntry("dossier/sous-dossier/données.bin", kMeetingMs);
            for (std::size_t at = 0, step = 1; at < big.size(); at += step, step = step * 3 + 1)
                zip.write(big.data() + at, std::min(step, big.size() - at));
            zip.endEntry();
            zip.addEntry("vide.txt", "", kMeetingMs);
            zip.addEntry("日本語/ファイル.txt", files.at("日本語/ファイル.txt"), kMeetingMs);
            zip.finish();
            CPPUNIT_ASSERT_EQUAL(static_cast<std::uint64_t>(out.tellp()), zip.bytesWritten());
        }

        assertUnzipTestPasses(archive);
        assert7zTestPasses(archive);

        const PyListing py = pythonList(dir, archive);
        CPPUNIT_ASSERT_EQUAL(std::string("count 5\ntestzip None\n"), py.tail);
        const std::vector<std::string> order = {"readme.txt", "Compte rendu réunion.pdf",
                                                "dossier/sous-dossier/données.bin", "vide.txt",
                                                "日本語/ファイル.txt"};
        CPPUNIT_ASSERT(order == py.names);
        for (const auto& [name, content] : files) {
            const PyEntry& e = py.entries.at(name);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, static_cast<std::uint64_t>(content.size()), e.size);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, e.size, e.compressedSize);  // stored
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::string("crc-ok"), e.crcCheck);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, relais::sha256Hex(content), e.sha256);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::string("2026-11-26 12:07:44"), e.dateTime);
        }
        // A published CRC-32 check value: "123456789" gives cbf43926.
        {
            std::ostringstream out;
            relais::ZipWriter zip(out);
            zip.addEntry("check.txt", "123456789", kMeetingMs);
            zip.finish();
            const std::string small = dir.file("check.zip");
            relais::test::writeFile(small, out.str());
            CPPUNIT_ASSERT_EQUAL(std::string("cbf43926"),
                                 pythonList(dir, small).entries.at("check.txt").crc);
        }

        // Extracted by unzip and by 7z: the same bytes, and unzip restores the modification time
        // from the extended timestamp.
        for (const std::string tool : {"unzip", "7z"}) {
            const std::string to = dir.file("out-" + tool);
            std::string out;
            const std::string command =
                tool == "unzip"
                    ? "LC_ALL=C.UTF-8 unzip -q " + shellQuote(archive) + " -d " + shellQuote(to)
                    : "LC_ALL=C.UTF-8 7z x -y -o" + shellQuote(to) + " " + shellQuote(archive);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, runCommand(command, &out));
            for (const auto& [name, content] : files) {
                const std::string path = to + "/" + name;
                CPPUNIT_ASSERT_MESSAGE(tool + ": " + name, relais::test::readFile(path) == content);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(tool + ": " + name, kMeetingMs / 1000, mtimeOf(path));
            }
        }
    }

    // A download cut short (no finish()): no reader takes it for a whole archive, and 7-Zip,
    // which then walks the local headers and data descriptors, recovers the complete entries.
    void interruptedArchiveIsRefusedButItsCompleteEntriesRecoverable() {
        TempDir dir;
        const std::string archive = dir.file("interrupted.zip");
        const std::map<std::string, std::string> files = {
            {"un.txt", "premier fichier\n"},
            {"Compte rendu réunion.pdf", pseudoRandomBytes(300001, 2)},
            {"vide.txt", ""},
        };
        {
            std::ofstream out(archive, std::ios::binary);
            relais::ZipWriter zip(out);
            for (const auto& [name, content] : files)
                zip.addEntry(name, content, kMeetingMs);
            zip.beginEntry("coupé.bin", kMeetingMs);
            const std::string partial = pseudoRandomBytes(5000, 3);
            zip.write(partial.data(), partial.size());
        }  // the connection drops here

        std::string out;
        CPPUNIT_ASSERT(runCommand("unzip -t " + shellQuote(archive), &out) != 0);
        CPPUNIT_ASSERT(
            runCommand("/usr/bin/python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1])' " +
                           shellQuote(archive),
                       &out) != 0);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("BadZipFile") != std::string::npos);

        const std::string to = dir.file("recovered");
        out.clear();
        const int rc = runCommand(
            "LC_ALL=C.UTF-8 7z x -y -o" + shellQuote(to) + " " + shellQuote(archive), &out);
        CPPUNIT_ASSERT_MESSAGE(out, rc != 0);  // reported as damaged
        for (const auto& [name, content] : files)
            CPPUNIT_ASSERT_MESSAGE(name + "\n" + out,
                                   relais::test::readFile(to + "/" + name) == content);
    }

    void emptyArchiveAndEmptyEntriesAreValid() {
        TempDir dir;
        const std::string empty = dir.file("empty.zip");
        {
            std::ofstream out(empty, std::ios::binary);
            relais::ZipWriter zip(out);
            zip.finish();
            CPPUNIT_ASSERT_EQUAL(std::uint64_t{22}, zip.bytesWritten());
        }
        CPPUNIT_ASSERT_EQUAL(std::string("count 0\ntestzip None\n"), pythonList(dir, empty).tail);
        assert7zTestPasses(empty);
        // Info-ZIP reports an empty archive with a warning (exit code 1), not as damaged.
        std::string out;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 1, runCommand("unzip -t " + shellQuote(empty), &out));
        CPPUNIT_ASSERT_MESSAGE(out, out.find("zipfile is empty") != std::string::npos);

        const std::string onlyEmpty = dir.file("only-empty-entries.zip");
        {
            std::ofstream out(onlyEmpty, std::ios::binary);
            relais::ZipWriter zip(out);
            zip.addEntry("a.txt", "", kMeetingMs);
            zip.beginEntry("b/c.txt", kMeetingMs);
            zip.write(nullptr, 0);
            zip.endEntry();
            zip.finish();
        }
        assertUnzipTestPasses(onlyEmpty);
        assert7zTestPasses(onlyEmpty);
        const PyListing py = pythonList(dir, onlyEmpty);
        CPPUNIT_ASSERT_EQUAL(std::string("count 2\ntestzip None\n"), py.tail);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, py.entries.at("a.txt").size);
        CPPUNIT_ASSERT_EQUAL(std::string("00000000"), py.entries.at("b/c.txt").crc);
    }

    void seventyThousandEntriesNeedTheZip64Count() {
        TempDir dir;
        const std::string archive = dir.file("many.zip");
        const int count = 70000;  // more than the 65535 of the classic end record
        auto nameOf = [](int i) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "d%02d/f%05d.txt", i % 100, i);
            return std::string(buf);
        };
        {
            std::ofstream out(archive, std::ios::binary);
            relais::ZipWriter zip(out);
            for (int i = 0; i < count; ++i)
                zip.addEntry(nameOf(i), "entry " + std::to_string(i) + "\n", kMeetingMs);
            zip.finish();
        }
        assertUnzipTestPasses(archive);
        assert7zTestPasses(archive);
        const PyListing py = pythonList(dir, archive);
        CPPUNIT_ASSERT_EQUAL("count " + std::to_string(count) + "\ntestzip None\n", py.tail);
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(count), py.names.size());
        for (int i : {0, 65534, 65535, 65536, count - 1}) {
            CPPUNIT_ASSERT_EQUAL(nameOf(i), py.names[static_cast<std::size_t>(i)]);
            CPPUNIT_ASSERT_EQUAL(relais::sha256Hex("entry " + std::to_string(i) + "\n"),
                                 py.entries.at(nameOf(i)).sha256);
        }
        std::string out;
        const int rc = runCommand("unzip -p " + shellQuote(archive) + " d36/f69936.txt", &out);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, rc);
        CPPUNIT_ASSERT_EQUAL(std::string("entry 69936\n"), out);
    }

    void datesAreUtcAndClampedToTheDosRange() {
        TempDir dir;
        const std::string archive = dir.file("dates.zip");
        {
            std::ofstream out(archive, std::ios::binary);
            relais::ZipWriter zip(out);
            zip.addEntry("leap.txt", "x", 1709164799999);     // 2024-02-28T23:59:59.999Z
            zip.addEntry("leapday.txt", "x", 1709251199000);  // 2024-02-29T23:59:59Z
            zip.addEntry("epoch.txt", "x", 0);                // before 1980: clamped
            zip.addEntry("before.txt", "x", -86400001);       // 1969: clamped
            zip.addEntry("far.txt", "x", 5000000000000);      // 2128: clamped
            zip.addEntry("y2038.txt", "x", 2147483647000);    // 2038-01-19T03:14:07Z
            zip.finish();
        }
        assertUnzipTestPasses(archive);
        assert7zTestPasses(archive);
        const PyListing py = pythonList(dir, archive);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-02-28 23:59:58"),
                             py.entries.at("leap.txt").dateTime);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-02-29 23:59:58"),
                             py.entries.at("leapday.txt").dateTime);
        CPPUNIT_ASSERT_EQUAL(std::string("1980-01-01 00:00:00"),
                             py.entries.at("epoch.txt").dateTime);
        CPPUNIT_ASSERT_EQUAL(std::string("1980-01-01 00:00:00"),
                             py.entries.at("before.txt").dateTime);
        CPPUNIT_ASSERT_EQUAL(std::string("2107-12-31 23:59:58"), py.entries.at("far.txt").dateTime);
        CPPUNIT_ASSERT_EQUAL(std::string("2038-01-19 03:14:06"),
                             py.entries.at("y2038.txt").dateTime);
        // The extended timestamp keeps the exact second where it can, and unzip uses it.
        const std::string to = dir.file("out");
        std::string out;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            out, 0, runCommand("unzip -q " + shellQuote(archive) + " -d " + shellQuote(to), &out));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1709164799}, mtimeOf(to + "/leap.txt"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, mtimeOf(to + "/epoch.txt"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2147483647}, mtimeOf(to + "/y2038.txt"));
    }

    void invalidNamesAreRefusedAndTheArchiveGoesOn() {
        TempDir dir;
        const std::string archive = dir.file("names.zip");
        std::ofstream out(archive, std::ios::binary);
        relais::ZipWriter zip(out);
        zip.addEntry("ok.txt", "ok", kMeetingMs);
        const std::vector<std::string> bad = {
            "",
            "/etc/passwd",
            "C:/Windows/win.ini",
            "c:relative",
            "..",
            "../escape.txt",
            "a/../../escape.txt",
            "a/..",
            ".",
            "./a.txt",
            "a//b.txt",
            "folder/",
            "a\\b.txt",
            std::string("a\0b.txt", 7),
            "tab\there",
            "new\nline",
            "del\x7f",
            "c1\xc2\x85next",     // U+0085, a C1 control
            "latin1 r\xe9union",  // not UTF-8
            "cut \xc3",           // truncated sequence
            "overlong \xc0\xaf",  // overlong '/'
            "overlong \xe0\x80\xaf",
            "surrogate \xed\xa0\x80",
            "too big \xf4\x90\x80\x80",
            std::string(65536, 'n'),
            "ok.txt",  // duplicate
        };
        for (const std::string& name : bad) {
            CPPUNIT_ASSERT_THROW_MESSAGE(name.substr(0, 40), zip.beginEntry(name, kMeetingMs),
                                         std::invalid_argument);
            CPPUNIT_ASSERT_THROW_MESSAGE(name.substr(0, 40), zip.addEntry(name, "x", kMeetingMs),
                                         std::invalid_argument);
        }
        // Refusals change nothing: the archive goes on, and near misses are accepted.
        for (const std::string good : {"a..b.txt", ".hidden", "...", "x/y.z", "Ok.txt", "ab:c.txt"})
            zip.addEntry(good, good, kMeetingMs);
        zip.finish();
        out.close();
        assertUnzipTestPasses(archive);
        const PyListing py = pythonList(dir, archive);
        const std::vector<std::string> expected = {"ok.txt", "a..b.txt", ".hidden", "...",
                                                   "x/y.z",  "Ok.txt",   "ab:c.txt"};
        CPPUNIT_ASSERT(expected == py.names);

        // The longest name the format holds is accepted.
        std::ostringstream sink;
        relais::ZipWriter longName(sink);
        longName.addEntry(std::string(65535, 'n'), "x", kMeetingMs);
        longName.finish();
    }

    void declaredSizesAreHeldTo() {
        TempDir dir;
        const std::string archive = dir.file("declared.zip");
        {
            std::ofstream out(archive, std::ios::binary);
            relais::ZipWriter zip(out);
            zip.beginEntry("declared.txt", kMeetingMs, 10);
            zip.write("12345", 5);
            const std::uint64_t before = zip.bytesWritten();
            // Refused without a byte written, and the entry stays open.
            CPPUNIT_ASSERT_THROW(zip.write("678901", 6), std::logic_error);
            CPPUNIT_ASSERT_EQUAL(before, zip.bytesWritten());
            CPPUNIT_ASSERT_THROW(zip.endEntry(), std::logic_error);
            zip.write("67890", 5);
            zip.endEntry();
            zip.beginEntry("declared-empty.txt", kMeetingMs, 0);
            CPPUNIT_ASSERT_THROW(zip.write("x", 1), std::logic_error);
            zip.endEntry();
            zip.beginEntry("undeclared.txt", kMeetingMs);
            zip.write("abc", 3);
            zip.endEntry();
            zip.finish();
        }
        assertUnzipTestPasses(archive);
        assert7zTestPasses(archive);
        const PyListing py = pythonList(dir, archive);
        CPPUNIT_ASSERT_EQUAL(std::string("count 3\ntestzip None\n"), py.tail);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex("1234567890"), py.entries.at("declared.txt").sha256);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, py.entries.at("declared-empty.txt").size);
        CPPUNIT_ASSERT_EQUAL(relais::sha256Hex("abc"), py.entries.at("undeclared.txt").sha256);
    }

    void callsOutOfOrderAreLogicErrors() {
        std::ostringstream out;
        relais::ZipWriter zip(out);
        CPPUNIT_ASSERT_THROW(zip.write("x", 1), std::logic_error);
        CPPUNIT_ASSERT_THROW(zip.endEntry(), std::logic_error);
        zip.beginEntry("a.txt", kMeetingMs);
        CPPUNIT_ASSERT_THROW(zip.beginEntry("b.txt", kMeetingMs), std::logic_error);
        CPPUNIT_ASSERT_THROW(zip.finish(), std::logic_error);
        zip.endEntry();
        zip.finish();
        CPPUNIT_ASSERT_THROW(zip.addEntry("c.txt", "c", kMeetingMs), std::logic_error);
        CPPUNIT_ASSERT_THROW(zip.finish(), std::logic_error);
        CPPUNIT_ASSERT_EQUAL(static_cast<std::uint64_t>(out.str().size()), zip.bytesWritten());
    }

    void bytesReachTheStreamAsTheyAreWritten() {
        CountingBuf sink;
        std::ostream out(&sink);
        std::uint64_t before;
        {
            relais::ZipWriter zip(out);
            CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, sink.received());
            zip.beginEntry("stream.bin", kMeetingMs);
            const std::uint64_t header = sink.received();
            CPPUNIT_ASSERT(header > 30);
            CPPUNIT_ASSERT_EQUAL(header, zip.bytesWritten());
            const std::string chunk(1 << 20, 'z');
            for (int i = 1; i <= 8; ++i) {
                zip.write(chunk.data(), chunk.size());
                // Nothing is held back: each chunk is in the stream when write() returns.
                CPPUNIT_ASSERT_EQUAL(header + i * chunk.size(), sink.received());
            }
            zip.endEntry();
            CPPUNIT_ASSERT_EQUAL(header + 8 * chunk.size() + 24, sink.received());
            zip.addEntry("unfinished.txt", "x", kMeetingMs);
            before = sink.received();
            CPPUNIT_ASSERT_EQUAL(before, zip.bytesWritten());
        }
        // Destroyed without finish(): nothing more is written.
        CPPUNIT_ASSERT_EQUAL(before, sink.received());
    }

    void streamFailuresSurfaceAsRuntimeErrors() {
        {
            CountingBuf sink(1000);  // the connection drops after 1000 bytes
            std::ostream out(&sink);
            relais::ZipWriter zip(out);
            zip.beginEntry("a.bin", kMeetingMs);
            const std::string chunk(600, 'a');
            zip.write(chunk.data(), chunk.size());
            CPPUNIT_ASSERT_THROW(zip.write(chunk.data(), chunk.size()), std::runtime_error);
            // The archive is broken: every later call says so.
            CPPUNIT_ASSERT_THROW(zip.write(chunk.data(), chunk.size()), std::runtime_error);
            CPPUNIT_ASSERT_THROW(zip.endEntry(), std::runtime_error);
            CPPUNIT_ASSERT_THROW(zip.finish(), std::runtime_error);
        }
        {
            CountingBuf sink(100);  // fails in the central directory
            std::ostream out(&sink);
            relais::ZipWriter zip(out);
            zip.addEntry("a.txt", "a", kMeetingMs);
            CPPUNIT_ASSERT_THROW(zip.finish(), std::runtime_error);
        }
        {
            std::ofstream out("/nonexistent-folder/x.zip", std::ios::binary);  // never opened
            relais::ZipWriter zip(out);
            CPPUNIT_ASSERT_THROW(zip.addEntry("a.txt", "a", kMeetingMs), std::runtime_error);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ZipWriterTest);

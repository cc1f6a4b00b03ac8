#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "relais/ZipWriter.h"

// Entries of 4 GiB and more streamed to a file in bounded memory, each followed by an entry whose
// local header lies beyond 4 GiB; checked with Info-ZIP unzip, 7-Zip and Python's zipfile
// (label: slow; about a minute, and 4.3 GB of disk for the length of a test).

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

// The content of the big entry: this 1 MiB block over and over, cut at the entry's size.
std::vector<char> patternBlock() {
    std::vector<char> block(1 << 20);
    for (std::size_t i = 0; i < block.size(); ++i)
        block[i] = static_cast<char>((i * 31 + (i >> 8)) & 0xFF);
    return block;
}

// Prints the CRC-32 of the same pattern computed by zlib, then one line per entry: name, size,
// compressed size, CRC-32, local header offset, and the bytes in hex of entries under 1 KiB
// (read through the offset, so past 4 GiB for the last one).
const char* const kBigScript = R"PY(
import sys, zipfile, zlib
path, size = sys.argv[1], int(sys.argv[2])
block = bytes((i * 31 + (i >> 8)) & 0xFF for i in range(1 << 20))
crc, left = 0, size
while left:
    n = min(left, len(block))
    crc = zlib.crc32(block if n == len(block) else block[:n], crc)
    left -= n
out = sys.stdout.buffer
out.write(b"pattern %08x\n" % crc)
with zipfile.ZipFile(path) as zf:
    for info in zf.infolist():
        small = zf.read(info).hex() if info.file_size < 1024 else "-"
        out.write(("%s\t%d\t%d\t%08x\t%d\t%s\n" % (info.filename, info.file_size,
            info.compress_size, info.CRC, info.header_offset, small)).encode("utf-8"))
)PY";

std::string hexOf(const std::string& bytes) {
    std::string hex;
    char buf[3];
    for (unsigned char c : bytes) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        hex += buf;
    }
    return hex;
}

std::vector<std::string> splitTabs(const std::string& line) {
    std::vector<std::string> fields;
    std::istringstream in(line);
    std::string field;
    while (std::getline(in, field, '\t'))
        fields.push_back(field);
    return fields;
}

// Peak resident memory of this process, in KiB.
std::int64_t peakRssKib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stoll(line.substr(6));
    return -1;
}

// Starts the peak over from the current resident size (Linux 4.0+), so that what earlier
// tests allocated does not hide growth; harmless where it is not allowed.
void resetPeakRss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

}  // namespace

class ZipWriterLargeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ZipWriterLargeTest);
    CPPUNIT_TEST(entryOverFourGibibytesOfUnknownSize);
    CPPUNIT_TEST(entryOfExactlyFourGibibytesMinusOneOfDeclaredSize);
    CPPUNIT_TEST_SUITE_END();

public:
    void entryOverFourGibibytesOfUnknownSize() {
        checkBigEntryBetweenSmallOnes("disque/image.iso", 4617089843, false);  // 4.3 GiB
    }

    // 0xFFFFFFFF, the largest file FAT32 holds: the one size where Info-ZIP unzip 6.0 reads
    // the local header's ZIP64 field, for this entry and the others listed with it.
    void entryOfExactlyFourGibibytesMinusOneOfDeclaredSize() {
        checkBigEntryBetweenSmallOnes("clé usb/fat32 max.img", 0xFFFFFFFFu, true);
    }

private:
    // Writes avant.txt, `bigSize` bytes of the pattern, then après.txt (whose local header lies
    // past 4 GiB), and checks the archive with the three readers.
    static void checkBigEntryBetweenSmallOnes(const std::string& bigName, std::uint64_t bigSize,
                                              bool declareSize) {
        TempDir dir;
        const std::string archive = dir.file("large.zip");
        const std::vector<char> block = patternBlock();

        resetPeakRss();
        const std::int64_t peakBefore = peakRssKib();
        std::uint64_t archiveSize;
        {
            std::ofstream out(archive, std::ios::binary);
            relais::ZipWriter zip(out);
            zip.addEntry("avant.txt", "avant\n", kMeetingMs);
            zip.beginEntry(bigName, kMeetingMs,
                           declareSize ? static_cast<std::int64_t>(bigSize) : -1);
            for (std::uint64_t at = 0; at < bigSize;) {
                const std::size_t n =
                    static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), bigSize - at));
                zip.write(block.data(), n);
                at += n;
            }
            zip.endEntry();
            zip.addEntry("après.txt", "après\n", kMeetingMs);
            zip.finish();
            archiveSize = zip.bytesWritten();
        }
        // Bounded memory: over 4 GiB went through, the peak grew by far less than one entry.
        const std::int64_t growthMib = (peakRssKib() - peakBefore) / 1024;
        CPPUNIT_ASSERT_MESSAGE("peak memory grew by " + std::to_string(growthMib) + " MiB",
                               growthMib < 64);
        CPPUNIT_ASSERT(archiveSize > bigSize);

        std::string out;
        int rc = runCommand("LC_ALL=C.UTF-8 unzip -t " + shellQuote(archive), &out);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, rc);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("No errors detected") != std::string::npos);

        out.clear();
        rc = runCommand("LC_ALL=C.UTF-8 7z t " + shellQuote(archive), &out);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, rc);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("Everything is Ok") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("WARNING") == std::string::npos);

        const std::string script = dir.file("big.py");
        relais::test::writeFile(script, kBigScript);
        out.clear();
        rc = runCommand("/usr/bin/python3 " + shellQuote(script) + " " + shellQuote(archive) + " " +
                            std::to_string(bigSize),
                        &out);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, rc);
        std::istringstream lines(out);
        std::string line;
        std::getline(lines, line);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::string("pattern "), line.substr(0, 8));
        const std::string patternCrc = line.substr(8);
        std::vector<std::vector<std::string>> entries;
        while (std::getline(lines, line))
            entries.push_back(splitTabs(line));
        // name, size, compressed size, CRC-32, local header offset, content in hex
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::size_t{3}, entries.size());
        for (const auto& fields : entries)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::size_t{6}, fields.size());
        CPPUNIT_ASSERT_EQUAL(std::string("avant.txt"), entries[0][0]);
        CPPUNIT_ASSERT_EQUAL(hexOf("avant\n"), entries[0][5]);
        const std::vector<std::string> big = {bigName, std::to_string(bigSize),
                                              std::to_string(bigSize), patternCrc};
        CPPUNIT_ASSERT_MESSAGE(
            out, big == std::vector<std::string>(entries[1].begin(), entries[1].begin() + 4));
        CPPUNIT_ASSERT_EQUAL(std::string("après.txt"), entries[2][0]);
        CPPUNIT_ASSERT(std::stoull(entries[2][4]) > bigSize);
        CPPUNIT_ASSERT_EQUAL(hexOf("après\n"), entries[2][5]);

        std::remove(archive.c_str());  // over 4 GB: not left for the end of the run
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ZipWriterLargeTest);

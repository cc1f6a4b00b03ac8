#include <cppunit/extensions/HelperMacros.h>


#include <cstring>
#include <fstream>
#include <random>

#include "TestSupport.h"
#include "relais/Sha256.h"
#include "storage/EncryptedFileStore.h"

// A 3 GiB file through the store and back, in constant memory (label: slow).
class LargeFileTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LargeFileTest);
    CPPUNIT_TEST(threeGibibytesRoundTrip);
    CPPUNIT_TEST_SUITE_END();

public:
    // Peak resident memory of this process, in KiB.
    static std::int64_t peakRssKib() {
        std::ifstream in("/proc/self/status");
        std::string line;
        while (std::getline(in, line))
            if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
        return -1;
    }

    void threeGibibytesRoundTrip() {
        relais::test::StorageStack s(1 << 20);
        const std::int64_t total = 3LL << 30;
        std::vector<char> block(4 << 20);
        std::mt19937_64 gen(1);
        for (std::size_t i = 0; i < block.size(); i += 8) {
            const std::uint64_t v = gen();
            std::memcpy(block.data() + i, &v, 8);
        }
        relais::Sha256 in, out;
        const std::int64_t peakBefore = peakRssKib();
        const std::string id = s.files().createFile("tn_big");
        auto w = s.files().append("tn_big", id, total);
        for (std::int64_t written = 0; written < total; written += static_cast<std::int64_t>(block.size())) {
            block[static_cast<std::size_t>(written / block.size()) % block.size()] ^= 1;  // every block differs
            w->write(block.data(), block.size());
            in.update(block.data(), block.size());
        }
        CPPUNIT_ASSERT_EQUAL(total, w->commit());
        auto r = s.files().open("tn_big", id);
        std::vector<char> buf(3 << 20);  // not a multiple of the segment size
        std::int64_t at = 0;
        while (std::size_t n = r->read(at, buf.data(), buf.size())) {
            out.update(buf.data(), n);
            at += static_cast<std::int64_t>(n);
        }
        CPPUNIT_ASSERT_EQUAL(total, at);
        CPPUNIT_ASSERT_EQUAL(in.hexDigest(), out.hexDigest());
        // Bounded memory: 3 GiB went through, the peak grew by buffers only (segments, 3 MiB
        // read buffer), far below the file's size.
        const std::int64_t growthMib = (peakRssKib() - peakBefore) / 1024;
        CPPUNIT_ASSERT_MESSAGE("peak memory grew by " + std::to_string(growthMib) + " MiB", growthMib < 128);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LargeFileTest);

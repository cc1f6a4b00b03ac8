#include <cppunit/extensions/HelperMacros.h>

#include <cstring>
#include <functional>
#include <random>
#include <set>

#include "relais/FileStore.h"
#include "relais/Random.h"
#include "storage/PieceFormat.h"

using relais::PieceReader;
using relais::PieceWriter;
using relais::StorageError;

namespace {

constexpr std::uint32_t kSegment = 4096;

class MemoryWriter final : public relais::BlobWriter {
public:
    explicit MemoryWriter(std::string& out) : out_(out) {}
    void write(const char* data, std::size_t size) override { out_.append(data, size); }
    void commit() override {}

private:
    std::string& out_;
};

class MemoryReader final : public relais::BlobReader {
public:
    explicit MemoryReader(std::string data) : data_(std::move(data)) {}
    std::int64_t size() const override { return static_cast<std::int64_t>(data_.size()); }
    std::size_t readAt(std::int64_t offset, char* buffer, std::size_t length) override {
        if (offset >= size()) return 0;
        const std::size_t n = std::min(length, data_.size() - static_cast<std::size_t>(offset));
        std::memcpy(buffer, data_.data() + offset, n);
        return n;
    }

private:
    std::string data_;
};

std::string pattern(std::size_t size, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s(size, '\0');
    for (auto& c : s) c = static_cast<char>(gen());
    return s;
}

std::string encrypt(const std::string& key, const std::string& plain, const std::string& fileId = "fl_a",
                    std::uint32_t piece = 0) {
    std::string blob;
    PieceWriter w(std::make_unique<MemoryWriter>(blob), key, fileId, piece, kSegment);
    for (std::size_t at = 0; at < plain.size(); at += 1000) w.write(plain.data() + at, std::min<std::size_t>(1000, plain.size() - at));
    w.commit();
    return blob;
}

std::unique_ptr<PieceReader> reader(const std::string& key, const std::string& blob, std::int64_t plainSize,
                                    const std::string& fileId = "fl_a", std::uint32_t piece = 0) {
    return std::make_unique<PieceReader>(std::make_unique<MemoryReader>(blob), key, fileId, piece, kSegment, plainSize);
}

std::string readAll(PieceReader& r) {
    std::string out(static_cast<std::size_t>(r.size()), '\0');
    CPPUNIT_ASSERT_EQUAL(out.size(), r.read(0, out.data(), out.size()));
    return out;
}

bool integrityFails(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const StorageError& e) {
        return e.kind() == StorageError::Kind::Integrity;
    }
    return false;
}

std::size_t segmentAt(std::size_t index) { return relais::piece::kHeaderBytes + index * (kSegment + relais::piece::kTagBytes); }

}  // namespace

class PieceFormatTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PieceFormatTest);
    CPPUNIT_TEST(roundTripsAtTheEdgesOfSegments);
    CPPUNIT_TEST(randomRangesMatchAPlainCopy);
    CPPUNIT_TEST(noPlaintextReachesTheBlob);
    CPPUNIT_TEST(aFlippedByteAnywhereIsCaught);
    CPPUNIT_TEST(aBadSegmentReturnsNoneOfItsBytes);
    CPPUNIT_TEST(swappedSegmentsAreCaught);
    CPPUNIT_TEST(truncationAndExtensionAreCaught);
    CPPUNIT_TEST(aBlobMovedToAnotherFileOrPieceIsCaught);
    CPPUNIT_TEST(aWrongKeyIsCaught);
    CPPUNIT_TEST(everyPieceHasItsOwnNoncePrefix);
    CPPUNIT_TEST_SUITE_END();

    const std::string key_ = relais::randomBytes(32);

public:
    void roundTripsAtTheEdgesOfSegments() {
        for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{kSegment - 1}, std::size_t{kSegment},
                                 std::size_t{kSegment + 1}, std::size_t{3 * kSegment + 17}}) {
            const std::string plain = pattern(size, static_cast<unsigned>(size));
            const std::string blob = encrypt(key_, plain);
            CPPUNIT_ASSERT_EQUAL(relais::piece::blobSize(static_cast<std::int64_t>(size), kSegment),
                                 static_cast<std::int64_t>(blob.size()));
            auto r = reader(key_, blob, static_cast<std::int64_t>(size));
            CPPUNIT_ASSERT_MESSAGE("size " + std::to_string(size), plain == readAll(*r));
            r->verifyAll();
        }
    }

    void randomRangesMatchAPlainCopy() {
        const std::string plain = pattern(5 * kSegment + 333, 7);
        auto r = reader(key_, encrypt(key_, plain), static_cast<std::int64_t>(plain.size()));
        std::mt19937 gen(42);
        for (int i = 0; i < 300; ++i) {
            const std::size_t offset = gen() % (plain.size() + 10);
            const std::size_t length = gen() % (3 * kSegment);
            std::string got(length, '\0');
            const std::size_t n = r->read(static_cast<std::int64_t>(offset), got.data(), length);
            const std::size_t expected = offset >= plain.size() ? 0 : std::min(length, plain.size() - offset);
            CPPUNIT_ASSERT_EQUAL(expected, n);
            CPPUNIT_ASSERT(got.compare(0, n, plain, std::min(offset, plain.size()), n) == 0);
        }
    }

    void noPlaintextReachesTheBlob() {
        const std::string plain(3 * kSegment, 'A');
        const std::string blob = encrypt(key_, plain);
        CPPUNIT_ASSERT(blob.find(std::string(64, 'A')) == std::string::npos);
        CPPUNIT_ASSERT(blob.find("fl_a") == std::string::npos);  // nor the file id
    }

    void aFlippedByteAnywhereIsCaught() {
        const std::string plain = pattern(2 * kSegment + 100, 3);
        const std::string blob = encrypt(key_, plain);
        // Every byte of the header that matters, and samples across every segment and tag.
        std::vector<std::size_t> positions;
        for (std::size_t i = 0; i < 28; ++i) positions.push_back(i);
        for (std::size_t i = relais::piece::kHeaderBytes; i < blob.size(); i += 97) positions.push_back(i);
        positions.push_back(blob.size() - 1);
        for (std::size_t pos : positions) {
            std::string bad = blob;
            bad[pos] = static_cast<char>(bad[pos] ^ 0x20);
            CPPUNIT_ASSERT_MESSAGE("byte " + std::to_string(pos), integrityFails([&] {
                                       auto r = reader(key_, bad, static_cast<std::int64_t>(plain.size()));
                                       readAll(*r);
                                   }));
        }
    }

    void aBadSegmentReturnsNoneOfItsBytes() {
        const std::string plain = pattern(3 * kSegment, 4);
        std::string blob = encrypt(key_, plain);
        blob[segmentAt(1) + 10] ^= 1;
        auto r = reader(key_, blob, static_cast<std::int64_t>(plain.size()));
        std::string first(kSegment, '\0');
        CPPUNIT_ASSERT_EQUAL(std::size_t{kSegment}, r->read(0, first.data(), kSegment));  // segment 0 is fine
        std::string buffer(2 * kSegment, '#');
        CPPUNIT_ASSERT(integrityFails([&] { r->read(kSegment, buffer.data(), buffer.size()); }));
        CPPUNIT_ASSERT_EQUAL(std::string(2 * kSegment, '#'), buffer);
        // A read that starts in a good segment and runs into the bad one stops at the bad one.
        std::string span(kSegment + 10, '#');
        CPPUNIT_ASSERT(integrityFails([&] { r->read(kSegment - 10, span.data(), span.size()); }));
        CPPUNIT_ASSERT_EQUAL(std::string(kSegment, '#'), span.substr(10));
    }

    void swappedSegmentsAreCaught() {
        const std::string plain = pattern(3 * kSegment, 5);
        std::string blob = encrypt(key_, plain);
        const std::size_t len = kSegment + relais::piece::kTagBytes;
        const std::string s0 = blob.substr(segmentAt(0), len), s1 = blob.substr(segmentAt(1), len);
        blob.replace(segmentAt(0), len, s1);
        blob.replace(segmentAt(1), len, s0);
        CPPUNIT_ASSERT(integrityFails([&] { readAll(*reader(key_, blob, static_cast<std::int64_t>(plain.size()))); }));
    }

    void truncationAndExtensionAreCaught() {
        const std::string plain = pattern(3 * kSegment, 6);
        const std::string blob = encrypt(key_, plain);
        const auto size = static_cast<std::int64_t>(plain.size());
        // A segment cut off, or a byte: the size no longer matches the record.
        CPPUNIT_ASSERT(integrityFails([&] { reader(key_, blob.substr(0, segmentAt(2)), size); }));
        CPPUNIT_ASSERT(integrityFails([&] { reader(key_, blob.substr(0, blob.size() - 1), size); }));
        // Cut at a segment boundary and the record shortened to match: the new last segment
        // was not written as a last one.
        CPPUNIT_ASSERT(integrityFails([&] { readAll(*reader(key_, blob.substr(0, segmentAt(2)), 2 * kSegment)); }));
        // A segment repeated at the end.
        const std::string extended = blob + blob.substr(segmentAt(2), kSegment + relais::piece::kTagBytes);
        CPPUNIT_ASSERT(integrityFails([&] { reader(key_, extended, size); }));
        CPPUNIT_ASSERT(integrityFails([&] { readAll(*reader(key_, extended, 4 * kSegment)); }));
    }

    void aBlobMovedToAnotherFileOrPieceIsCaught() {
        const std::string plain = pattern(kSegment + 5, 8);
        const std::string blob = encrypt(key_, plain, "fl_a", 0);
        const auto size = static_cast<std::int64_t>(plain.size());
        CPPUNIT_ASSERT(integrityFails([&] { readAll(*reader(key_, blob, size, "fl_b", 0)); }));
        CPPUNIT_ASSERT(integrityFails([&] { readAll(*reader(key_, blob, size, "fl_a", 1)); }));
    }

    void aWrongKeyIsCaught() {
        const std::string plain = pattern(100, 9);
        const std::string blob = encrypt(key_, plain);
        CPPUNIT_ASSERT(integrityFails([&] { readAll(*reader(relais::randomBytes(32), blob, 100)); }));
    }

    void everyPieceHasItsOwnNoncePrefix() {
        std::set<std::string> prefixes;
        for (int i = 0; i < 50; ++i) prefixes.insert(encrypt(key_, "x").substr(20, 8));
        CPPUNIT_ASSERT_EQUAL(std::size_t{50}, prefixes.size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PieceFormatTest);

// Feeds arbitrary blobs to the piece decoder: it must refuse them with StorageError, never
// crash, read out of bounds or return unauthenticated bytes.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "PieceFuzzInput.h"
#include "relais/FileStore.h"
#include "storage/PieceFormat.h"

namespace {

class BufferReader final : public relais::BlobReader {
public:
    BufferReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::int64_t size() const override { return static_cast<std::int64_t>(size_); }
    std::size_t readAt(std::int64_t offset, char* buffer, std::size_t length) override {
        if (offset < 0 || static_cast<std::size_t>(offset) >= size_) return 0;
        const std::size_t n = std::min(length, size_ - static_cast<std::size_t>(offset));
        std::memcpy(buffer, data_ + offset, n);
        return n;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace relais::fuzz;
    if (size < kPrefixBytes) return 0;
    std::uint64_t claimed = 0;
    for (int i = 7; i >= 0; --i) claimed = (claimed << 8) | data[i];
    const auto plainSize = static_cast<std::int64_t>(claimed % (1u << 20));
    const std::uint32_t piece = data[8];
    try {
        relais::PieceReader reader(std::make_unique<BufferReader>(data + kPrefixBytes, size - kPrefixBytes), kKey,
                                   kFileId, piece, kSegmentBytes, plainSize);
        std::string buffer(3000, '\0');  // reads that straddle segments
        for (std::int64_t at = 0; at < plainSize;) {
            const std::size_t n = reader.read(at, buffer.data(), buffer.size());
            if (n == 0) __builtin_trap();  // a short piece must be refused, not read short
            at += static_cast<std::int64_t>(n);
        }
        reader.verifyAll();
    } catch (const relais::StorageError&) {
    }
    return 0;
}

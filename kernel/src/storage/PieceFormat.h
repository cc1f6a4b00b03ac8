#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "crypto/Aead.h"
#include "storage/BlobStore.h"

namespace relais {

/// The encrypted form of one piece of a file (a file is one piece, or several when it was
/// appended to, as resumable uploads do). Version 1:
///
///   header, 64 bytes:  "RLSPIECE" | u16 version=1 | u16 0 | u32 segment size S |
///                      u32 piece index | 8-byte random nonce prefix | 36 zero bytes
///   segments:          AES-256-GCM(ciphertext) ‖ tag (16), every one S plaintext bytes but
///                      the last, which holds the rest (0 bytes only for an empty piece)
///
/// Segment i uses nonce = prefix ‖ u32be(i), and associated data binding the file id, the
/// header's first 28 bytes, u64be(i) and a last-segment flag. Swapping, dropping, repeating or
/// appending segments, moving a blob to another file or piece, or editing the header all fail
/// authentication. A piece is written once and never rewritten, and each has a fresh random
/// prefix: no nonce repeats under a data key. Integers are big-endian.
namespace piece {
constexpr std::size_t kHeaderBytes = 64;
constexpr std::uint16_t kVersion = 1;
constexpr std::size_t kTagBytes = Aes256Gcm::kTagBytes;

/// Segments in a piece of `plainSize` bytes.
std::uint64_t segmentCount(std::int64_t plainSize, std::uint32_t segmentBytes);
/// The blob size of a piece of `plainSize` bytes.
std::int64_t blobSize(std::int64_t plainSize, std::uint32_t segmentBytes);
}  // namespace piece

/// Encrypts a piece into a blob, one segment at a time, in bounded memory (two segments).
class PieceWriter {
public:
    PieceWriter(std::unique_ptr<BlobWriter> blob, const std::string& dataKey, const std::string& fileId,
                std::uint32_t piece, std::uint32_t segmentBytes);
    void write(const char* data, std::size_t size);
    std::int64_t written() const { return written_; }
    /// Writes the last segment and commits the blob.
    void commit();

private:
    void emit(bool last);

    std::unique_ptr<BlobWriter> blob_;
    Aes256Gcm gcm_;
    std::string fileId_;
    std::string header_;
    std::uint32_t segmentBytes_;
    std::vector<char> plain_;
    std::size_t fill_ = 0;
    std::vector<char> out_;
    std::uint64_t index_ = 0;
    std::int64_t written_ = 0;
};

/// Reads a piece back, decrypting only the segments asked for, and never returning a byte of
/// a segment that failed authentication (StorageError Integrity). Checks the header and the
/// blob's size against what the database says before the first read.
class PieceReader {
public:
    PieceReader(std::unique_ptr<BlobReader> blob, const std::string& dataKey, const std::string& fileId,
                std::uint32_t piece, std::uint32_t segmentBytes, std::int64_t plainSize);
    std::int64_t size() const { return plainSize_; }
    std::size_t read(std::int64_t offset, char* buffer, std::size_t size);
    /// Authenticates every segment (relaisd storage verify).
    void verifyAll();

private:
    void load(std::uint64_t index);

    std::unique_ptr<BlobReader> blob_;
    Aes256Gcm gcm_;
    std::string fileId_;
    std::string header_;
    std::uint32_t segmentBytes_;
    std::int64_t plainSize_;
    std::uint64_t segments_;
    std::vector<char> cipher_;
    std::vector<char> plain_;
    std::uint64_t cached_ = UINT64_MAX;  // index of the segment in plain_
    std::size_t cachedSize_ = 0;
};

}  // namespace relais

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace relais::plugins::wesend::tus {

// tus 1.0.0 (https://tus.io/protocols/resumable-upload): header grammar, nothing about storage.

constexpr const char* kVersion = "1.0.0";
constexpr const char* kExtensions =
    "creation,creation-with-upload,creation-defer-length,termination,checksum,expiration";
constexpr const char* kChecksumAlgorithms = "sha1,sha256";
constexpr const char* kOffsetMediaType = "application/offset+octet-stream";

/// Upload-Metadata: comma-separated "key base64value" pairs, the value optional. Keys are
/// unique, non-empty, without spaces or commas. Problem 400 `invalid_metadata` otherwise.
struct Metadata {
    std::vector<std::pair<std::string, std::string>> pairs;  ///< decoded values
    /// The decoded value of `key`, or "".
    std::string get(const std::string& key) const;
};
Metadata parseMetadata(const std::string& header);

/// A non-negative decimal header value (Upload-Offset, Upload-Length): digits only, at most
/// 18 of them. Problem 400 `invalid_header` naming the header otherwise.
std::int64_t parseSize(const std::string& value, const char* header);

/// Upload-Checksum "<algorithm> <base64 digest>". Problem 400 `checksum_algorithm_unsupported`
/// for an algorithm other than sha1 and sha256, 400 `invalid_header` for a malformed value.
struct Checksum {
    std::string algorithm;
    std::string digest;  ///< raw bytes
};
Checksum parseChecksum(const std::string& header);

/// Hashes a PATCH body with the algorithm of its Upload-Checksum.
class ChunkHasher {
public:
    explicit ChunkHasher(const std::string& algorithm);
    ~ChunkHasher();
    ChunkHasher(const ChunkHasher&) = delete;
    ChunkHasher& operator=(const ChunkHasher&) = delete;
    void update(const char* data, std::size_t size);
    /// The raw digest; call once.
    std::string digest();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace relais::plugins::wesend::tus

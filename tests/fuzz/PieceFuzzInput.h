#pragma once

// The layout of a fuzz input for the piece decoder: 8 bytes of claimed plaintext size
// (little-endian, taken modulo 1 MiB), 1 byte of piece index, then the blob. The key and the
// file id are fixed, so that seeds written by make_piece_seeds decrypt.

#include <cstdint>
#include <string>

namespace relais::fuzz {
constexpr std::uint32_t kSegmentBytes = 4096;
inline const std::string kKey(32, '\x5a');
inline const std::string kFileId = "fl_fuzz";
constexpr std::size_t kPrefixBytes = 9;
}  // namespace relais::fuzz

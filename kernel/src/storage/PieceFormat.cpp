#include "storage/PieceFormat.h"

#include <cstring>

#include "relais/FileStore.h"
#include "relais/Random.h"

namespace relais {

namespace {

const char kMagic[8] = {'R', 'L', 'S', 'P', 'I', 'E', 'C', 'E'};
constexpr std::size_t kBoundHeaderBytes = 28;  // magic..prefix, bound into every segment

void putU16(std::string& s, std::size_t at, std::uint16_t v) {
    s[at] = static_cast<char>(v >> 8);
    s[at + 1] = static_cast<char>(v);
}
void putU32(std::string& s, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (24 - 8 * i));
}
std::uint32_t getU32(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
    return v;
}

[[noreturn]] void corrupt(const std::string& fileId, const std::string& why) {
    throw StorageError(StorageError::Kind::Integrity, "file " + fileId + ": " + why);
}

std::string segmentAad(const std::string& fileId, const std::string& header, std::uint64_t index, bool last) {
    std::string aad = "relais/segment-v1|" + fileId + "|";
    aad.append(header, 0, kBoundHeaderBytes);
    for (int i = 7; i >= 0; --i) aad.push_back(static_cast<char>(index >> (8 * i)));
    aad.push_back(last ? '\x01' : '\x00');
    return aad;
}

void segmentNonce(const std::string& header, std::uint64_t index, unsigned char* nonce) {
    std::memcpy(nonce, header.data() + 20, 8);
    for (int i = 0; i < 4; ++i) nonce[8 + i] = static_cast<unsigned char>(index >> (24 - 8 * i));
}

}  // namespace

std::uint64_t piece::segmentCount(std::int64_t plainSize, std::uint32_t segmentBytes) {
    return plainSize <= 0 ? 1 : static_cast<std::uint64_t>((plainSize + segmentBytes - 1) / segmentBytes);
}

std::int64_t piece::blobSize(std::int64_t plainSize, std::uint32_t segmentBytes) {
    return static_cast<std::int64_t>(kHeaderBytes) + plainSize +
           static_cast<std::int64_t>(segmentCount(plainSize, segmentBytes) * kTagBytes);
}

PieceWriter::PieceWriter(std::unique_ptr<BlobWriter> blob, const std::string& dataKey, const std::string& fileId,
                         std::uint32_t piece, std::uint32_t segmentBytes)
    : blob_(std::move(blob)),
      gcm_(dataKey),
      fileId_(fileId),
      header_(piece::kHeaderBytes, '\0'),
      segmentBytes_(segmentBytes),
      plain_(segmentBytes),
      out_(segmentBytes + piece::kTagBytes) {
    std::memcpy(header_.data(), kMagic, 8);
    putU16(header_, 8, piece::kVersion);
    putU32(header_, 12, segmentBytes);
    putU32(header_, 16, piece);
    header_.replace(20, 8, randomBytes(8));
    blob_->write(header_.data(), header_.size());
}

void PieceWriter::emit(bool last) {
    unsigned char nonce[Aes256Gcm::kNonceBytes];
    segmentNonce(header_, index_, nonce);
    gcm_.seal(nonce, segmentAad(fileId_, header_, index_, last), plain_.data(), fill_, out_.data(),
              reinterpret_cast<unsigned char*>(out_.data() + fill_));
    blob_->write(out_.data(), fill_ + piece::kTagBytes);
    ++index_;
    fill_ = 0;
}

void PieceWriter::write(const char* data, std::size_t size) {
    while (size > 0) {
        // A full segment goes out only when more data shows it is not the last.
        if (fill_ == segmentBytes_) emit(false);
        const std::size_t n = std::min(size, segmentBytes_ - fill_);
        std::memcpy(plain_.data() + fill_, data, n);
        fill_ += n;
        data += n;
        size -= n;
        written_ += static_cast<std::int64_t>(n);
    }
}

void PieceWriter::commit() {
    emit(true);
    blob_->commit();
}

PieceReader::PieceReader(std::unique_ptr<BlobReader> blob, const std::string& dataKey, const std::string& fileId,
                         std::uint32_t piece, std::uint32_t segmentBytes, std::int64_t plainSize)
    : blob_(std::move(blob)),
      gcm_(dataKey),
      fileId_(fileId),
      header_(piece::kHeaderBytes, '\0'),
      segmentBytes_(segmentBytes),
      plainSize_(plainSize),
      segments_(piece::segmentCount(plainSize, segmentBytes)) {
    if (segmentBytes == 0 || plainSize < 0) corrupt(fileId, "impossible piece geometry");
    if (blob_->readAt(0, header_.data(), header_.size()) != header_.size()) corrupt(fileId, "the header is truncated");
    if (std::memcmp(header_.data(), kMagic, 8) != 0) corrupt(fileId, "not a Relais piece");
    if (header_[8] != 0 || header_[9] != piece::kVersion) corrupt(fileId, "unknown piece format version");
    if (getU32(header_, 12) != segmentBytes || getU32(header_, 16) != piece)
        corrupt(fileId, "the header does not match the file's record");
    const std::int64_t expected = piece::blobSize(plainSize, segmentBytes);
    if (blob_->size() != expected)
        corrupt(fileId, "the blob holds " + std::to_string(blob_->size()) + " bytes, " + std::to_string(expected) +
                            " expected (truncated or extended)");
    cipher_.resize(segmentBytes + piece::kTagBytes);
    plain_.resize(segmentBytes);
}

void PieceReader::load(std::uint64_t index) {
    if (cached_ == index) return;
    cached_ = UINT64_MAX;
    const std::int64_t start = static_cast<std::int64_t>(index) * segmentBytes_;
    const std::size_t length = static_cast<std::size_t>(std::min<std::int64_t>(segmentBytes_, plainSize_ - start));
    const std::int64_t at = static_cast<std::int64_t>(piece::kHeaderBytes) +
                            static_cast<std::int64_t>(index) * (segmentBytes_ + piece::kTagBytes);
    if (blob_->readAt(at, cipher_.data(), length + piece::kTagBytes) != length + piece::kTagBytes)
        corrupt(fileId_, "segment " + std::to_string(index) + " is truncated");
    unsigned char nonce[Aes256Gcm::kNonceBytes];
    segmentNonce(header_, index, nonce);
    // Decrypted into a private buffer; it is exposed only once the tag verified.
    if (!gcm_.open(nonce, segmentAad(fileId_, header_, index, index + 1 == segments_), cipher_.data(), length,
                   reinterpret_cast<const unsigned char*>(cipher_.data() + length), plain_.data()))
        corrupt(fileId_, "segment " + std::to_string(index) + " fails authentication");
    cached_ = index;
    cachedSize_ = length;
}

std::size_t PieceReader::read(std::int64_t offset, char* buffer, std::size_t size) {
    std::size_t done = 0;
    while (done < size && offset < plainSize_) {
        const std::uint64_t index = static_cast<std::uint64_t>(offset / segmentBytes_);
        load(index);
        const std::size_t within = static_cast<std::size_t>(offset - static_cast<std::int64_t>(index) * segmentBytes_);
        const std::size_t n = std::min(size - done, cachedSize_ - within);
        std::memcpy(buffer + done, plain_.data() + within, n);
        done += n;
        offset += static_cast<std::int64_t>(n);
    }
    return done;
}

void PieceReader::verifyAll() {
    for (std::uint64_t i = 0; i < segments_; ++i) load(i);
}

}  // namespace relais

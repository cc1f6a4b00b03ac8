#include "TusProtocol.h"

#include <Poco/Base64Decoder.h>

#include <openssl/evp.h>

#include <sstream>
#include <stdexcept>

#include "relais/Problem.h"

namespace relais::plugins::wesend::tus {

namespace {

// Strict base64 (RFC 4648 alphabet, padding optional); false if `in` is not base64.
bool decodeBase64(const std::string& in, std::string& out) {
    if (in.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
        std::string::npos)
        return false;
    const auto pad = in.find('=');
    if (pad != std::string::npos && in.find_first_not_of('=', pad) != std::string::npos) return false;
    if (in.size() % 4 == 1) return false;
    try {
        std::istringstream is(in);
        Poco::Base64Decoder decoder(is);
        out.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const std::exception&) {
        return false;
    }
    return true;
}

Problem invalidHeader(const std::string& header, const std::string& why) {
    return Problem(400, "invalid_header", header + ": " + why);
}

}  // namespace

std::string Metadata::get(const std::string& key) const {
    for (const auto& [k, v] : pairs)
        if (k == key) return v;
    return {};
}

Metadata parseMetadata(const std::string& header) {
    Metadata m;
    if (header.size() > 16384) throw Problem(400, "invalid_metadata", "Upload-Metadata is too long.");
    std::size_t start = 0;
    while (start <= header.size() && !header.empty()) {
        std::size_t comma = header.find(',', start);
        if (comma == std::string::npos) comma = header.size();
        std::string pair = header.substr(start, comma - start);
        const auto b = pair.find_first_not_of(' ');
        const auto e = pair.find_last_not_of(' ');
        if (b == std::string::npos)
            throw Problem(400, "invalid_metadata", "Upload-Metadata has an empty pair.");
        pair = pair.substr(b, e - b + 1);
        const auto space = pair.find(' ');
        const std::string key = pair.substr(0, space);
        if (key.empty() || key.find_first_of("\t") != std::string::npos)
            throw Problem(400, "invalid_metadata", "Upload-Metadata has an invalid key.");
        std::string value;
        if (space != std::string::npos && !decodeBase64(pair.substr(space + 1), value))
            throw Problem(400, "invalid_metadata",
                          "The Upload-Metadata value of '" + key + "' is not base64.");
        for (const auto& [k, v] : m.pairs)
            if (k == key) throw Problem(400, "invalid_metadata", "Upload-Metadata repeats a key.");
        m.pairs.emplace_back(key, std::move(value));
        start = comma + 1;
        if (comma == header.size()) break;
    }
    return m;
}

std::int64_t parseSize(const std::string& value, const char* header) {
    if (value.empty() || value.size() > 18 || value.find_first_not_of("0123456789") != std::string::npos)
        throw invalidHeader(header, "expected a non-negative integer");
    return std::stoll(value);
}

Checksum parseChecksum(const std::string& header) {
    const auto space = header.find(' ');
    if (space == std::string::npos || space == 0)
        throw invalidHeader("Upload-Checksum", "expected '<algorithm> <base64 digest>'");
    Checksum c;
    c.algorithm = header.substr(0, space);
    if (c.algorithm != "sha1" && c.algorithm != "sha256")
        throw Problem(400, "checksum_algorithm_unsupported",
                      "Upload-Checksum: the algorithms supported are sha1 and sha256.");
    if (!decodeBase64(header.substr(space + 1), c.digest) ||
        c.digest.size() != (c.algorithm == "sha1" ? 20u : 32u))
        throw invalidHeader("Upload-Checksum", "the digest is not a base64 " + c.algorithm + " digest");
    return c;
}

struct ChunkHasher::Impl {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

ChunkHasher::ChunkHasher(const std::string& algorithm) : impl_(std::make_unique<Impl>()) {
    if (!impl_->ctx ||
        EVP_DigestInit_ex(impl_->ctx, algorithm == "sha1" ? EVP_sha1() : EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("cannot initialise a digest");
}

ChunkHasher::~ChunkHasher() = default;

void ChunkHasher::update(const char* data, std::size_t size) {
    if (EVP_DigestUpdate(impl_->ctx, data, size) != 1) throw std::runtime_error("digest update failed");
}

std::string ChunkHasher::digest() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(impl_->ctx, md, &len) != 1) throw std::runtime_error("digest failed");
    return std::string(reinterpret_cast<char*>(md), len);
}

}  // namespace relais::plugins::wesend::tus

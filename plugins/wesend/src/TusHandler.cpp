#include "TusHandler.h"

#include <vector>

#include "FileNames.h"
#include "StoredFiles.h"
#include "TusProtocol.h"
#include "relais/FileStore.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Sha256.h"
#include "relais/Time.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"

namespace relais::plugins::wesend {

namespace {

constexpr std::size_t kBlock = 1 << 20;

// Releases an upload's lock when the request ends, however it ends.
class LockGuard {
public:
    LockGuard(UploadStore& uploads, std::string tenantId, std::string id, std::string owner)
        : uploads_(uploads), tenantId_(std::move(tenantId)), id_(std::move(id)), owner_(std::move(owner)) {}
    ~LockGuard() { release(); }
    /// Unlocks now: before the answer is sent, so that a client's next PATCH, sent as soon as
    /// it reads this answer, does not find the upload still locked (a spurious 423).
    void release() {
        if (released_) return;
        released_ = true;
        try {
            uploads_.unlock(tenantId_, id_, owner_);
        } catch (const std::exception&) {
            // The lock lapses by itself after wesend.upload_lock_ms.
        }
    }

private:
    UploadStore& uploads_;
    std::string tenantId_, id_, owner_;
    bool released_ = false;
};

}  // namespace

void TusHandler::guarded(http::Request& req, http::Response& res, bool requireVersion,
                         const std::function<void()>& body) {
    res.setHeader("Tus-Resumable", tus::kVersion);
    try {
        if (requireVersion && req.header("Tus-Resumable") != tus::kVersion)
            throw Problem(412, "tus_version_unsupported",
                          "This server speaks tus 1.0.0: send Tus-Resumable: 1.0.0.")
                .withHeader("Tus-Version", tus::kVersion);
        body();
    } catch (Problem& p) {
        p.withHeader("Tus-Resumable", tus::kVersion);
        throw;
    }
}

void TusHandler::options(http::Request&, http::Response& res) {
    res.setHeader("Tus-Resumable", tus::kVersion);
    res.setHeader("Tus-Version", tus::kVersion);
    res.setHeader("Tus-Extension", tus::kExtensions);
    res.setHeader("Tus-Max-Size", std::to_string(settings_.maxUploadBytes));
    res.setHeader("Tus-Checksum-Algorithm", tus::kChecksumAlgorithms);
    res.sendEmpty(204);
}

void TusHandler::setExpiresHeader(http::Response& res, std::int64_t expiresAtMs) const {
    res.setHeader("Upload-Expires", formatHttpDate(expiresAtMs));
}

UploadRecord TusHandler::load(const UploadScope& scope, const std::string& id) {
    auto rec = uploads_.find(scope.tenantId, id);
    if (!rec || rec->ownerUserId != scope.ownerUserId || rec->requestId != scope.requestId)
        throw Problem::notFound("No such upload.");
    return *rec;
}

void TusHandler::create(http::Request& req, http::Response& res, const UploadScope& scope) {
    const bool hasLength = req.hasHeader("Upload-Length");
    const bool deferred = req.hasHeader("Upload-Defer-Length");
    if (hasLength && deferred)
        throw Problem(400, "invalid_header", "Send Upload-Length or Upload-Defer-Length, not both.");
    if (deferred && req.header("Upload-Defer-Length") != "1")
        throw Problem(400, "invalid_header", "Upload-Defer-Length: the only value is 1.");
    if (!hasLength && !deferred)
        throw Problem(400, "missing_upload_length",
                      "Upload-Length (or Upload-Defer-Length: 1) is required.");
    const std::int64_t length = hasLength ? tus::parseSize(req.header("Upload-Length"), "Upload-Length") : -1;
    if (length > settings_.maxUploadBytes)
        throw Problem(413, "upload_too_large",
                      "The upload is larger than Tus-Max-Size (" +
                          std::to_string(settings_.maxUploadBytes) + " bytes).")
            .withHeader("Tus-Max-Size", std::to_string(settings_.maxUploadBytes));

    const bool withBody = req.contentLength() != 0;
    if (withBody && req.mediaType() != tus::kOffsetMediaType)
        throw Problem::unsupportedMediaType(tus::kOffsetMediaType);

    const std::string metadataHeader = req.header("Upload-Metadata");
    const tus::Metadata metadata = tus::parseMetadata(metadataHeader);
    std::string why;
    const std::string rawName = metadata.get("filename").empty() ? metadata.get("name") : metadata.get("filename");
    const std::string filename = sanitiseFileName(rawName, why);
    if (!why.empty())
        throw Problem(400, "invalid_metadata", "The file name is refused: " + why + ".",
                      {{"filename", why}});
    std::string filetype = metadata.get("filetype");
    if (filetype.empty()) filetype = metadata.get("type");
    filetype = sanitiseMediaType(filetype);

    if (scope.checkSize) scope.checkSize(length, true);
    if (length > 0) {
        const StorageUsage usage = files_.usage(scope.tenantId);
        if (usage.quotaBytes >= 0 && usage.usedBytes + length > usage.quotaBytes)
            throw Problem(413, "quota_exceeded",
                          "The upload does not fit in the organisation's remaining storage.");
    }

    // Refused before anything is created: no orphan file or row for a hostile request.
    if (withBody && length >= 0 && req.contentLength() > length)
        throw Problem(413, "upload_length_exceeded", "The body is longer than Upload-Length.");

    const std::int64_t now = nowMs();
    UploadRecord rec;
    rec.id = randomId("up");
    rec.tenantId = scope.tenantId;
    rec.ownerUserId = scope.ownerUserId;
    rec.requestId = scope.requestId;
    rec.fileId = files_.createFile(scope.tenantId);
    rec.length = length;
    rec.metadata = metadataHeader;
    rec.filename = filename;
    rec.filetype = filetype;
    rec.state = "open";
    rec.createdAtMs = now;
    rec.expiresAtMs = now + settings_.uploadTtlMs;
    uploads_.insert(rec);

    res.setHeader("Location", scope.basePath + "/" + rec.id);
    if (withBody) {
        const std::string owner = randomId("lk");
        if (!uploads_.tryLock(rec.tenantId, rec.id, owner, now, now + settings_.uploadLockMs))
            throw Problem(423, "upload_locked", "The upload is busy.");
        LockGuard guard(uploads_, rec.tenantId, rec.id, owner);
        res.setHeader("Upload-Offset", std::to_string(append(req, rec, 0, owner)));
    }
    if (length == 0) finish(rec, sha256Hex(""));
    if (rec.state == "open") setExpiresHeader(res, rec.expiresAtMs);
    res.sendEmpty(201);
}

void TusHandler::head(http::Request&, http::Response& res, const UploadScope& scope, const std::string& id) {
    const UploadRecord rec = load(scope, id);
    const std::int64_t offset = files_.stat(rec.tenantId, rec.fileId).size;
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Upload-Offset", std::to_string(offset));
    if (rec.length >= 0)
        res.setHeader("Upload-Length", std::to_string(rec.length));
    else
        res.setHeader("Upload-Defer-Length", "1");
    if (!rec.metadata.empty()) res.setHeader("Upload-Metadata", rec.metadata);
    if (rec.state == "open") setExpiresHeader(res, rec.expiresAtMs);
    res.sendEmpty(200);
}

void TusHandler::patch(http::Request& req, http::Response& res, const UploadScope& scope,
                       const std::string& id) {
    if (req.mediaType() != tus::kOffsetMediaType)
        throw Problem::unsupportedMediaType(tus::kOffsetMediaType);
    if (!req.hasHeader("Upload-Offset"))
        throw Problem(400, "invalid_header", "Upload-Offset is required.");
    const std::int64_t clientOffset = tus::parseSize(req.header("Upload-Offset"), "Upload-Offset");
    if (req.hasHeader("Upload-Checksum")) tus::parseChecksum(req.header("Upload-Checksum"));
    UploadRecord rec = load(scope, id);

    const std::int64_t now = nowMs();
    const std::string owner = randomId("lk");
    if (!uploads_.tryLock(rec.tenantId, rec.id, owner, now, now + settings_.uploadLockMs))
        throw Problem(423, "upload_locked", "Another request is writing to this upload; retry shortly.")
            .withHeader("Retry-After", "1");
    LockGuard guard(uploads_, rec.tenantId, rec.id, owner);
    rec = load(scope, id);  // as it is now that we hold the lock

    const std::int64_t current = files_.stat(rec.tenantId, rec.fileId).size;
    if (clientOffset != current)
        throw Problem(409, "offset_mismatch",
                      "Upload-Offset is " + std::to_string(clientOffset) + " but the upload has " +
                          std::to_string(current) + " bytes.")
            .withHeader("Upload-Offset", std::to_string(current));
    if (req.hasHeader("Upload-Length")) {
        const std::int64_t length = tus::parseSize(req.header("Upload-Length"), "Upload-Length");
        if (rec.length >= 0 && length != rec.length)
            throw Problem(400, "invalid_header", "Upload-Length cannot change once set.");
        if (rec.length < 0) {
            if (length < current)
                throw Problem(400, "invalid_header", "Upload-Length is smaller than what was received.");
            if (length > settings_.maxUploadBytes)
                throw Problem(413, "upload_too_large", "The upload is larger than Tus-Max-Size.");
            if (scope.checkSize) scope.checkSize(length, false);
            uploads_.setLength(rec.tenantId, rec.id, length);
            rec.length = length;
        }
    }
    if (rec.length >= 0 && req.contentLength() > rec.length - current)
        throw Problem(413, "upload_length_exceeded", "The body goes past Upload-Length.");

    const std::int64_t offset = append(req, rec, current, owner);
    if (rec.state == "open") setExpiresHeader(res, now + settings_.uploadTtlMs);
    guard.release();
    res.setHeader("Upload-Offset", std::to_string(offset));
    res.sendEmpty(204);
}

std::int64_t TusHandler::receive(http::Request& req, UploadRecord& rec, std::int64_t offset,
                                 const std::string& lockOwner, std::string& wholeSha) {
    // A body that starts at byte 0 is hashed as it comes: if it completes the upload, its
    // SHA-256 needs no second reading.
    std::unique_ptr<Sha256> whole = offset == 0 ? std::make_unique<Sha256>() : nullptr;
    std::unique_ptr<tus::ChunkHasher> checksumHasher;
    tus::Checksum checksum;
    if (req.hasHeader("Upload-Checksum")) {
        checksum = tus::parseChecksum(req.header("Upload-Checksum"));
        checksumHasher = std::make_unique<tus::ChunkHasher>(checksum.algorithm);
    }
    std::int64_t remaining = rec.length >= 0 ? rec.length - offset : settings_.maxUploadBytes - offset;
    const std::int64_t declared = req.contentLength();
    std::int64_t received = 0;
    auto expected = [&] { return declared >= 0 ? declared - received : std::int64_t{-1}; };

    std::int64_t size = offset;  // what is stored for good, from each commit's answer
    std::unique_ptr<FileWriter> writer = files_.append(rec.tenantId, rec.fileId, expected());
    std::vector<char> buf(kBlock);
    auto lastRefresh = nowMs();
    try {
        while (std::size_t n = req.read(buf.data(), buf.size())) {
            if (static_cast<std::int64_t>(n) > remaining) {
                // Keep what fits (without a checksum), refuse the rest.
                writer->write(buf.data(), static_cast<std::size_t>(remaining));
                throw Problem(413, "upload_length_exceeded", "The body goes past Upload-Length.");
            }
            if (checksumHasher) checksumHasher->update(buf.data(), n);
            if (whole) whole->update(buf.data(), n);
            writer->write(buf.data(), n);
            remaining -= static_cast<std::int64_t>(n);
            received += static_cast<std::int64_t>(n);
            // Without a checksum to verify at the end, what arrived is made durable as it
            // comes, so that a broken connection or a crash loses at most commit_bytes.
            if (!checksumHasher && writer->written() >= settings_.commitBytes) {
                size = writer->commit();
                writer = files_.append(rec.tenantId, rec.fileId, expected());
            }
            const std::int64_t now = nowMs();
            if (now - lastRefresh > settings_.uploadLockMs / 3) {
                uploads_.refresh(rec.tenantId, rec.id, lockOwner, now + settings_.uploadLockMs,
                                 now + settings_.uploadTtlMs);
                lastRefresh = now;
            }
        }
    } catch (...) {
        // A broken PATCH keeps every byte received and stored, unless a checksum was to
        // vouch for the whole chunk.
        if (!checksumHasher && writer && writer->written() > 0) {
            try {
                writer->commit();
            } catch (const std::exception&) {
                // Nothing more can be kept; the offset stays where it was.
            }
        }
        throw;
    }
    if (checksumHasher && checksumHasher->digest() != checksum.digest) {
        writer.reset();  // the chunk is discarded
        throw Problem(460, "checksum_mismatch",
                      "The body does not match Upload-Checksum; nothing of it was kept.");
    }
    if (writer->written() > 0) size = writer->commit();
    uploads_.refresh(rec.tenantId, rec.id, lockOwner, nowMs() + settings_.uploadLockMs,
                     nowMs() + settings_.uploadTtlMs);
    if (whole && size == received) wholeSha = whole->hexDigest();
    return size;
}

std::int64_t TusHandler::append(http::Request& req, UploadRecord& rec, std::int64_t offset,
                                const std::string& lockOwner) {
    std::string wholeSha;
    std::int64_t size = offset;
    try {
        size = receive(req, rec, offset, lockOwner, wholeSha);
    } catch (...) {
        // A body that failed (too long without a Content-Length, or broken) after the bytes
        // kept reached Upload-Length leaves a complete upload: no client sends another PATCH.
        if (rec.length >= 0 && rec.state == "open" && files_.stat(rec.tenantId, rec.fileId).size == rec.length)
            finish(rec, "");
        throw;
    }
    if (rec.length >= 0 && size == rec.length && rec.state == "open") finish(rec, wholeSha);
    return size;
}

void TusHandler::finish(UploadRecord& rec, const std::string& sha256FromStream) {
    files_.seal(rec.tenantId, rec.fileId);
    const std::string sha = sha256FromStream.empty() ? sha256OfStoredFile(files_, rec.tenantId, rec.fileId)
                                                     : sha256FromStream;
    const std::int64_t now = nowMs();
    uploads_.complete(rec.tenantId, rec.id, sha, now, now + settings_.uploadTtlMs);
    rec.state = "complete";
    rec.sha256 = sha;
}

void TusHandler::terminate(http::Request&, http::Response& res, const UploadScope& scope,
                           const std::string& id) {
    const UploadRecord rec = load(scope, id);
    const std::int64_t now = nowMs();
    const std::string owner = randomId("lk");
    if (!uploads_.tryLock(rec.tenantId, rec.id, owner, now, now + settings_.uploadLockMs))
        throw Problem(423, "upload_locked", "Another request is writing to this upload; retry shortly.")
            .withHeader("Retry-After", "1");
    // A transfer that claimed the upload meanwhile took the row, and keeps the file.
    if (!uploads_.remove(rec.tenantId, rec.id, owner))
        throw Problem::notFound("No such upload.");
    shredFile(files_, rec.tenantId, rec.fileId);
    res.sendEmpty(204);
}

int TusHandler::expire(std::int64_t now) {
    int n = 0;
    for (const auto& rec : uploads_.expired(now, 500)) {
        if (!uploads_.remove(rec.tenantId, rec.id, {}, now)) continue;  // claimed meanwhile
        shredFile(files_, rec.tenantId, rec.fileId);
        ++n;
    }
    return n;
}

}  // namespace relais::plugins::wesend

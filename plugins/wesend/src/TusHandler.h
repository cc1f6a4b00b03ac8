#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "UploadStore.h"
#include "WesendSettings.h"

namespace relais {
class FileStore;
namespace http {
class Request;
class Response;
}  // namespace http
}  // namespace relais

namespace relais::plugins::wesend {

/// Whose uploads a tus request works on: an account's (`ownerUserId`) or the guests' of an
/// upload request (`requestId`). Every request on an upload is checked against it, and an
/// upload of anyone else is 404.
struct UploadScope {
    std::string tenantId;
    std::string ownerUserId;
    std::string requestId;
    /// Where the uploads of this scope live ("/api/v1/uploads"): Location is this + "/" + id.
    std::string basePath;
    /// Called before an upload of `length` bytes (-1: deferred) is created (`added` true), and
    /// when a deferred upload declares its length (`added` false: it is already counted as a
    /// file); throws a Problem to refuse it (an upload request's limits).
    std::function<void(std::int64_t length, bool added)> checkSize;
};

/// The tus 1.0.0 server: core protocol and the creation, creation-with-upload,
/// creation-defer-length, termination, checksum and expiration extensions. Stateless: offsets
/// are the stored files' sizes and locks are rows, so any node can take any request.
class TusHandler {
public:
    TusHandler(FileStore& files, UploadStore& uploads, const WesendSettings& settings)
        : files_(files), uploads_(uploads), settings_(settings) {}

    /// OPTIONS: the server's capabilities. No Tus-Resumable is required of the client.
    void options(http::Request& req, http::Response& res);
    /// POST to the collection: a new upload, maybe with its first bytes.
    void create(http::Request& req, http::Response& res, const UploadScope& scope);
    void head(http::Request& req, http::Response& res, const UploadScope& scope, const std::string& id);
    void patch(http::Request& req, http::Response& res, const UploadScope& scope, const std::string& id);
    /// DELETE (termination): the upload and its bytes are gone.
    void terminate(http::Request& req, http::Response& res, const UploadScope& scope,
                   const std::string& id);

    /// Runs `body` with tus's framing: a Tus-Resumable check first (412 with Tus-Version), and
    /// Tus-Resumable on every answer, problems included.
    static void guarded(http::Request& req, http::Response& res, bool requireVersion,
                        const std::function<void()>& body);

    /// Deletes uploads past their expiry; returns how many.
    int expire(std::int64_t nowMs);

private:
    UploadRecord load(const UploadScope& scope, const std::string& id);
    /// Appends the body at the current offset; the lock is held. Returns the new offset.
    /// `wholeSha` is set when this body was the whole file.
    std::int64_t receive(http::Request& req, UploadRecord& upload, std::int64_t offset,
                         const std::string& lockOwner, std::string& wholeSha);
    /// receive(), then finish() once the upload holds Upload-Length bytes, whether the body
    /// ended well or not. Returns the new offset.
    std::int64_t append(http::Request& req, UploadRecord& upload, std::int64_t offset,
                        const std::string& lockOwner);
    void finish(UploadRecord& upload, const std::string& sha256FromStream);
    void setExpiresHeader(http::Response& res, std::int64_t expiresAtMs) const;

    FileStore& files_;
    UploadStore& uploads_;
    const WesendSettings& settings_;
};

}  // namespace relais::plugins::wesend

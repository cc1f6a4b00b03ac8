#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace relais {
class FileStore;
namespace http {
class Request;
class Response;
}  // namespace http
}  // namespace relais

namespace relais::plugins::wesend {

/// The bytes a GET asks for.
struct ByteRange {
    std::int64_t start = 0;
    std::int64_t end = 0;  ///< exclusive
    bool partial = false;  ///< a satisfiable Range: 206
};

/// Reads a Range header (RFC 9110 §14: one "bytes=" range; anything else, several ranges
/// included, is served whole). Problem 416 `range_not_satisfiable`, with Content-Range
/// "bytes */size", for a range that starts past the end.
ByteRange parseRange(const std::string& header, std::int64_t size);

struct DownloadFile {
    std::string fileId;  ///< in the FileStore
    std::string name;
    std::string type;
    std::int64_t size = 0;
    std::string sha256;
};

/// Sends one stored file as an attachment: 200 or 206 with Content-Range, Accept-Ranges,
/// Content-Disposition with the original name, the stored media type or
/// application/octet-stream, an ETag, no caching. A HEAD gets the headers only. Returns the
/// body bytes written; throws (after the headers, so the response is cut) if the client goes.
std::int64_t sendFile(http::Request& req, http::Response& res, FileStore& files,
                      const std::string& tenantId, const DownloadFile& file, const ByteRange& range);

/// Streams `files` as one ZIP (stored entries, ZIP64, unique sanitised names) as it is built,
/// with no temporary copy. Returns the bytes written.
std::int64_t sendZip(http::Response& res, FileStore& files, const std::string& tenantId,
                     const std::vector<DownloadFile>& entries, const std::string& zipName,
                     std::int64_t modifiedAtMs);

}  // namespace relais::plugins::wesend

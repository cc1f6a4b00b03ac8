#include "Downloads.h"

#include <ostream>
#include <set>
#include <streambuf>
#include <vector>

#include "FileNames.h"
#include "relais/FileStore.h"
#include "relais/Problem.h"
#include "relais/ZipWriter.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"

namespace relais::plugins::wesend {

namespace {

constexpr std::size_t kBlock = 1 << 20;

// An ostream over a response body, for the ZIP writer; large writes pass straight through.
class ResponseBuf final : public std::streambuf {
public:
    explicit ResponseBuf(http::Response& res) : res_(res), buf_(64 * 1024) { setp(buf_.data(), buf_.data() + buf_.size()); }

protected:
    int_type overflow(int_type ch) override {
        if (!flushBuffer()) return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (n >= static_cast<std::streamsize>(buf_.size())) {
            if (!flushBuffer()) return 0;
            try {
                res_.write(s, static_cast<std::size_t>(n));
            } catch (const std::exception&) {
                return 0;
            }
            return n;
        }
        return std::streambuf::xsputn(s, n);
    }
    int sync() override { return flushBuffer() ? 0 : -1; }

private:
    bool flushBuffer() {
        const auto n = pptr() - pbase();
        if (n > 0) {
            try {
                res_.write(pbase(), static_cast<std::size_t>(n));
            } catch (const std::exception&) {
                return false;
            }
        }
        setp(buf_.data(), buf_.data() + buf_.size());
        return true;
    }
    http::Response& res_;
    std::vector<char> buf_;
};

bool allDigits(const std::string& s) {
    return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

ByteRange parseRange(const std::string& header, std::int64_t size) {
    ByteRange whole{0, size, false};
    if (header.rfind("bytes=", 0) != 0) return whole;
    const std::string spec = header.substr(6);
    if (spec.find(',') != std::string::npos) return whole;
    const auto dash = spec.find('-');
    if (dash == std::string::npos) return whole;
    const std::string a = spec.substr(0, dash);
    const std::string b = spec.substr(dash + 1);
    ByteRange r;
    r.partial = true;
    if (a.empty()) {  // the last N bytes
        if (!allDigits(b)) return whole;
        const std::int64_t n = std::stoll(b);
        if (n == 0)
            throw Problem(416, "range_not_satisfiable", "The range is empty.")
                .withHeader("Content-Range", "bytes */" + std::to_string(size));
        r.start = n >= size ? 0 : size - n;
        r.end = size;
    } else {
        if (!allDigits(a) || (!b.empty() && !allDigits(b))) return whole;
        r.start = std::stoll(a);
        r.end = b.empty() ? size : std::min<std::int64_t>(size, std::stoll(b) + 1);
        if (!b.empty() && std::stoll(b) < r.start) return whole;  // invalid: ignored
        if (r.start >= size)
            throw Problem(416, "range_not_satisfiable", "The range starts past the end of the file.")
                .withHeader("Content-Range", "bytes */" + std::to_string(size));
    }
    return r;
}

std::int64_t sendFile(http::Request& req, http::Response& res, FileStore& files, const std::string& tenantId,
                      const DownloadFile& file, const ByteRange& range) {
    res.setHeader("Content-Type", file.type.empty() ? "application/octet-stream" : file.type);
    res.setHeader("Content-Disposition", contentDisposition(file.name));
    res.setHeader("Accept-Ranges", "bytes");
    res.setHeader("Cache-Control", "private, no-store");
    if (!file.sha256.empty()) res.setHeader("ETag", "\"" + file.sha256 + "\"");
    if (range.partial) {
        res.setStatus(206);
        res.setHeader("Content-Range", "bytes " + std::to_string(range.start) + "-" +
                                           std::to_string(range.end - 1) + "/" + std::to_string(file.size));
    } else {
        res.setStatus(200);
    }
    const std::int64_t length = range.end - range.start;
    if (req.method() == "HEAD") {
        res.beginBody(length);  // headers only: the kernel sends no body to a HEAD
        return 0;
    }
    auto reader = files.open(tenantId, file.fileId);
    res.beginBody(length);
    std::vector<char> buf(kBlock);
    std::int64_t offset = range.start;
    while (offset < range.end) {
        const std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(range.end - offset, buf.size()));
        const std::size_t n = reader->read(offset, buf.data(), want);
        if (n == 0) throw StorageError(StorageError::Kind::Integrity, "the file is shorter than recorded");
        res.write(buf.data(), n);
        offset += static_cast<std::int64_t>(n);
    }
    return offset - range.start;
}

std::int64_t sendZip(http::Response& res, FileStore& files, const std::string& tenantId,
                     const std::vector<DownloadFile>& entries, const std::string& zipName,
                     std::int64_t modifiedAtMs) {
    res.setStatus(200);
    res.setHeader("Content-Type", "application/zip");
    res.setHeader("Content-Disposition", contentDisposition(zipName));
    res.setHeader("Cache-Control", "private, no-store");
    res.beginBody(-1);
    ResponseBuf buf(res);
    std::ostream out(&buf);
    ZipWriter zip(out);
    std::set<std::string> used;
    std::vector<char> block(kBlock);
    for (const auto& e : entries) {
        std::string why;
        std::string name = sanitiseFileName(e.name, why);
        if (name.empty()) name = "fichier";
        zip.beginEntry(uniqueEntryName(name, used), modifiedAtMs, e.size);
        auto reader = files.open(tenantId, e.fileId);
        std::int64_t offset = 0;
        while (offset < e.size) {
            const std::size_t n = reader->read(offset, block.data(), block.size());
            if (n == 0) throw StorageError(StorageError::Kind::Integrity, "the file is shorter than recorded");
            zip.write(block.data(), n);
            offset += static_cast<std::int64_t>(n);
        }
        zip.endEntry();
    }
    zip.finish();
    out.flush();
    if (!out) throw std::runtime_error("the client went away");
    return static_cast<std::int64_t>(zip.bytesWritten());
}

}  // namespace relais::plugins::wesend

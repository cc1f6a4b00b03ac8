#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace Poco::Net {
class HTTPServerResponse;
}

namespace relais::http {

/// The response to one request. Set the status and headers, then send a whole body with
/// send()/sendEmpty(), or stream one with beginBody() and write(). Headers go out at the first
/// send or beginBody; after that the response is committed and only body bytes may follow.
class Response {
public:
    /// Kernel use only.
    explicit Response(Poco::Net::HTTPServerResponse& response);
    ~Response();
    Response(const Response&) = delete;
    Response& operator=(const Response&) = delete;

    void setStatus(int status);
    int status() const { return status_; }
    /// Replaces a header.
    void setHeader(const std::string& name, const std::string& value);
    /// Adds a header line, keeping earlier ones of the same name (Set-Cookie).
    void addHeader(const std::string& name, const std::string& value);
    const std::string& header(const std::string& name) const;

    /// Sends a whole body with its Content-Length.
    void send(int status, const std::string& contentType, std::string_view body);
    /// Sends no body (204, 304, HEAD answers...).
    void sendEmpty(int status);

    /// Commits the headers and opens the body: with Content-Length when `contentLength` >= 0,
    /// chunked otherwise. Write the body with write() in large blocks.
    void beginBody(std::int64_t contentLength);
    void write(const char* data, std::size_t size);
    /// Flushes what is buffered to the client (for event streams).
    void flush();

    bool committed() const { return committed_; }
    /// False when a declared Content-Length was not fully written.
    bool complete() const { return declaredLength_ < 0 || bytesSent_ >= declaredLength_; }
    std::int64_t bytesSent() const { return bytesSent_; }
    /// Asks that the connection be closed after this response.
    void closeConnection();

    Poco::Net::HTTPServerResponse& poco() { return response_; }
    /// Kernel use only: sends bytes straight to the connection. Large writes then skip POCO's
    /// 4 KiB body stream buffer (one send(2) per 4 KiB), with the framing (Content-Length or
    /// chunks) kept by this class.
    void setRawWriter(std::function<void(const char*, std::size_t)> writer) { rawWriter_ = std::move(writer); }
    /// Kernel use only: the request is a HEAD, so body bytes are counted but not sent.
    void setHeadOnly() { headOnly_ = true; }

private:
    /// Writes at least this large go straight to the connection when a raw writer is set.
    static constexpr std::size_t kRawWriteMin = 16 * 1024;
    void writeRaw(const char* data, std::size_t size);
    Poco::Net::HTTPServerResponse& response_;
    std::ostream* body_ = nullptr;
    int status_ = 200;
    bool committed_ = false;
    bool headOnly_ = false;
    std::function<void(const char*, std::size_t)> rawWriter_;
    std::int64_t bytesSent_ = 0;
    std::int64_t declaredLength_ = -1;
};

}  // namespace relais::http

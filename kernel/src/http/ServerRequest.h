#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>

#include <algorithm>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>

namespace relais::http {

/// POCO's server session with its reads opened up, so that request bodies are read by our
/// own strict decoder, and large reads go straight to recv() into the caller's buffer.
class ServerSession final : public Poco::Net::HTTPServerSession {
public:
    ServerSession(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params)
        : HTTPServerSession(socket, params) {}
    /// Up to `size` bytes: what the session buffered first, then one recv(). 0 at EOF.
    int readSome(char* buffer, std::streamsize size) { return read(buffer, size); }
    int getByte() { return get(); }
    /// Bytes already received and not yet consumed (a pipelined request).
    int pending() const { return buffered(); }
    /// Sends all of `size` bytes straight to the socket (no 4 KiB stream buffer in between).
    /// Throws POCO's exceptions when the client is gone or the send times out.
    void writeAll(const char* data, std::size_t size) {
        while (size > 0) {
            const int n = write(data, static_cast<std::streamsize>(std::min<std::size_t>(size, 1 << 30)));
            if (n <= 0) throw Poco::Net::NetException("the connection was closed while sending");
            data += n;
            size -= static_cast<std::size_t>(n);
        }
    }
};

/// Where a request body comes from: the framing that the head announced, decoded strictly.
/// A malformed chunk or a body cut short throws Problem 400; a stalled client, POCO's
/// TimeoutException.
class BodySource {
public:
    virtual ~BodySource() = default;
    /// Up to `size` bytes of body; 0 once the whole body was read.
    virtual std::size_t read(char* buffer, std::size_t size) = 0;
    /// The announced length: Content-Length, -1 for a chunked body, 0 without a body.
    virtual std::int64_t declaredLength() const = 0;
    /// Whether the whole body was read (or there was none).
    virtual bool finished() const = 0;
};

/// The request as POCO's types see it, with the head parsed by POCO and the body by us: a
/// fixed length (Content-Length), chunked coding (RFC 9112 §7.1, strictly: a bad size line,
/// a missing CRLF or an over-long line is an error, never the end of the body), or nothing.
class ServerRequest final : public Poco::Net::HTTPServerRequest, public BodySource {
public:
    /// Reads the head from the session. Throws what POCO throws for a malformed head.
    ServerRequest(Poco::Net::HTTPServerResponseImpl& response, ServerSession& session,
                  Poco::Net::HTTPServerParams* params, const Poco::Net::SocketAddress& client,
                  const Poco::Net::SocketAddress& server);
    ~ServerRequest() override;

    std::size_t read(char* buffer, std::size_t size) override;
    std::int64_t declaredLength() const override { return declared_; }
    bool finished() const override { return done_; }

    std::istream& stream() override;
    const Poco::Net::SocketAddress& clientAddress() const override { return client_; }
    const Poco::Net::SocketAddress& serverAddress() const override { return server_; }
    const Poco::Net::HTTPServerParams& serverParams() const override { return *params_; }
    Poco::Net::HTTPServerResponse& response() const override { return response_; }
    bool secure() const override;

private:
    std::size_t readChunked(char* buffer, std::size_t size);
    std::string readLine(std::size_t limit);
    void expectCrlf();

    Poco::Net::HTTPServerResponseImpl& response_;
    ServerSession& session_;
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::SocketAddress client_;
    Poco::Net::SocketAddress server_;
    enum class Framing { None, Length, Chunked } framing_ = Framing::None;
    std::int64_t remaining_ = 0;  // Length: bytes left; Chunked: bytes left in the chunk
    std::int64_t declared_ = 0;
    bool done_ = false;
    std::unique_ptr<std::istream> stream_;
};

}  // namespace relais::http
